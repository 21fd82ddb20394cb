"""The range's per-model table and cards, checked against sums of the known calls in test_reports."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest

from playground.history.calls import HistoryStore
from playground.history.storage import Storage
from playground.pricing.money import Money
from playground.spend.budgets import Budgets
from playground.spend.charts import month_running, stacked, timestamp
from playground.spend.export import models_csv
from playground.spend.overview import BudgetState, Overview, budget_state
from playground.spend.reports import Reports
from tests.playground.spend.test_reports import CALLS, fill


@pytest.fixture
def reports(tmp_path):
    storage = Storage(tmp_path / "h.db")
    fill(HistoryStore(storage))
    yield Reports(storage)
    storage.close()


def by_hand(first: str, last: str) -> dict[str, dict]:
    out: dict[str, dict] = defaultdict(lambda: {"calls": 0, "errors": 0, "in": 0, "out": 0, "cost": Money()})
    for day, model, status, cost, tin, tout, _ms, _ttft in CALLS:
        if first <= day <= last:
            m = out[model]
            m["calls"] += 1
            m["errors"] += status == "error"
            m["in"] += tin
            m["out"] += tout
            m["cost"] += Money.of(None if cost is None else Decimal(cost))
    return out


@pytest.mark.parametrize(("first", "last"), [("2026-10-30", "2026-11-02"), ("2026-10-31", "2026-11-01")])
def test_model_rows_are_the_sums_of_the_ranges_calls(reports, first, last):
    rows = Overview(reports).models(date.fromisoformat(first), date.fromisoformat(last))
    expected = by_hand(first, last)
    assert {r.model for r in rows} == expected.keys()
    priced = sum((e["cost"].priced for e in expected.values()), Decimal(0))
    for r in rows:
        e = expected[r.model]
        assert (r.calls, r.errors, r.input_tokens, r.output_tokens) == (
            e["calls"],
            e["errors"],
            e["in"],
            e["out"],
        )
        assert r.cost == e["cost"]
        if e["cost"].priced and priced:
            assert r.share == pytest.approx(float(e["cost"].priced / priced))


def test_latency_and_speed_per_model(reports):
    (gpt,) = [r for r in Overview(reports).models(None, None) if r.model == "gpt-4o"]
    assert abs(gpt.p50_ms - 2000) / 2000 < 0.1  # 1000, 2000, 4000 ms: within one 10 % bucket
    assert abs(gpt.ttft_p50_ms - 300) / 300 < 0.1
    # output per second after the first token, over the calls that produced output (not the error)
    assert gpt.tokens_per_s == pytest.approx(
        (50 + 5 + 900) * 1000 / ((1000 - 200) + (2000 - 300) + (4000 - 400))
    )
    (haiku_unpriced,) = Overview(reports).models(date(2026, 10, 31), date(2026, 10, 31))
    assert haiku_unpriced.share is None and haiku_unpriced.cost == Money(Decimal(0), 1)  # unknown, not 0 %


def test_cards_are_the_rows_sums_and_the_month_is_projected(reports):
    overview = Overview(reports)
    rows = overview.models(date(2026, 10, 30), date(2026, 11, 2))
    cards = overview.cards(rows, date(2026, 11, 2), Budgets(monthly=Decimal("10")), today=date(2026, 11, 2))
    assert cards.spend == Money(Decimal("1.372068890123"), 1)
    assert cards.calls == len(CALLS) and cards.errors == 1
    assert cards.month == Money(Decimal("1.272067890123"))
    assert cards.projected_month == Money(Decimal("1.272067890123") / 2 * 30)  # two days of thirty
    assert cards.budget_state == BudgetState.COULD_CROSS
    assert cards.average_per_call == Decimal("1.372068890123") / 5


def test_with_a_model_picked_the_month_is_that_models_and_the_budget_stays_all_spend(reports):
    """The Month end card said all models' projection beside a month chart of the one picked."""
    overview = Overview(reports)
    november = by_hand("2026-11-01", "2026-11-02")
    model = next(m for m, e in november.items() if e["cost"].priced)
    rows = overview.models(date(2026, 10, 30), date(2026, 11, 2), [model])
    budgets = Budgets(monthly=Decimal("10"))
    picked = overview.cards(rows, date(2026, 11, 2), budgets, today=date(2026, 11, 2), models=[model])
    everything = overview.cards(rows, date(2026, 11, 2), budgets, today=date(2026, 11, 2))
    assert picked.month == november[model]["cost"]
    assert picked.projected_month == Money(november[model]["cost"].priced / 2 * 30, picked.month.unpriced)
    assert picked.month != everything.month
    assert (picked.budget_state, picked.budget_text) == (everything.budget_state, everything.budget_text)


def test_budget_states():
    spent = Money(Decimal("12"))
    assert budget_state(Budgets(), spent, spent, spent)[0] == BudgetState.NONE
    assert budget_state(Budgets(monthly=Decimal(10)), spent, spent, spent)[0] == BudgetState.OVER
    assert budget_state(Budgets(daily=Decimal(5)), spent, spent, spent)[0] == BudgetState.OVER
    small = Money(Decimal(1))
    assert budget_state(Budgets(monthly=Decimal(10)), small, small, small) == (
        BudgetState.WITHIN,
        "Within budget",
    )
    # calls of unknown cost: within is known only of the priced ones (it read plain "Within budget")
    some_unknown = Money(Decimal(1), 3)
    assert budget_state(Budgets(monthly=Decimal(10)), small, some_unknown, some_unknown) == (
        BudgetState.WITHIN,
        "Within budget · 3 calls unpriced",
    )


def test_week_and_month_bars_are_their_periods_sums(reports):
    weeks = stacked(reports.spend(period="week", by="model"))
    per_week: dict[float, Decimal] = defaultdict(Decimal)
    for day, _model, _status, cost, *_ in CALLS:
        d = date.fromisoformat(day)
        monday = date.fromordinal(d.toordinal() - d.weekday())
        per_week[timestamp(monday)] += Decimal(cost or 0)
    assert dict(zip(weeks.x, weeks.totals(), strict=True)) == pytest.approx(
        {k: float(v) for k, v in per_week.items()}
    )


def test_month_running_is_the_running_sum_with_its_pace(reports):
    rows = reports.spend(date(2026, 11, 1), date(2026, 11, 30), period="day", by=None)
    running = month_running(rows, date(2026, 11, 2))
    assert running.y == pytest.approx([0.0, 1.272067890123])
    assert running.projection[0] == [running.x[-1], timestamp(date(2026, 11, 30))]
    assert running.projection[1] == pytest.approx([1.272067890123, 1.272067890123 / 2 * 30])  # two days of 30


def test_csv_has_the_rows_and_unknown_is_empty(reports):
    rows = Overview(reports).models(date(2026, 10, 31), date(2026, 10, 31))
    lines = models_csv(rows).splitlines()
    assert lines[0].startswith("model,calls,errors")
    assert lines[1].split(",")[7:10] == ["", "1", ""]  # cost, unpriced calls, share: unknown, never 0
