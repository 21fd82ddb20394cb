"""Spend on known calls: the estimated part of each total (stopped or cut calls) kept apart, and the
month's end projected from the time gone in the month, not from whole days."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from playground.history.calls import CallEnd, CallStart, HistoryStore
from playground.history.storage import Storage
from playground.llm.request import Request
from playground.pricing.money import Money
from playground.spend.budgets import Budgets
from playground.spend.charts import month_running
from playground.spend.export import card_lines, models_csv
from playground.spend.snapshot import take

PARIS = ZoneInfo("Europe/Paris")

# (local time in Paris, model, status, cost or None, cost estimated)
CALLS = [
    (datetime(2025, 12, 1, 10, 0, tzinfo=PARIS), "gpt-4o", "ok", "1.00", False),
    (datetime(2025, 12, 2, 15, 0, tzinfo=PARIS), "gpt-4o", "ok", "1.45", False),
    (datetime(2025, 12, 2, 16, 0, tzinfo=PARIS), "gpt-4o", "cancelled", "0.05", True),  # stopped
    (datetime(2025, 12, 3, 6, 0, tzinfo=PARIS), "claude-haiku-4-5", "ok", "0.654", False),
    (datetime(2025, 12, 3, 6, 30, tzinfo=PARIS), "m", "ok", None, False),
    (datetime(2025, 12, 4, 0, 5, tzinfo=PARIS), "claude-haiku-4-5", "error", "0.20", True),  # cut
]


@pytest.fixture
def spend(tmp_path):
    storage = Storage(tmp_path / "h.db")
    history = HistoryStore(storage)
    from playground.spend.reports import Reports

    reports = Reports(storage)
    reports.clock.set_zone("Europe/Paris")
    for when, model, status, cost, estimated in CALLS:
        call = history.start_call(
            CallStart(Request.single("e", model, "p"), "openai", None, {}, started_at=when)
        )
        history.finish_call(
            call,
            CallEnd(
                status,
                input_tokens=10,
                output_tokens=5,
                cost_usd=None if cost is None else Decimal(cost),
                cost_estimated=estimated,
            ),
        )
    yield reports
    storage.close()


def so_far(now: datetime) -> Money:
    calls = [c for c in CALLS if c[0] <= now]
    return Money(
        sum((Decimal(c[3]) for c in calls if c[3] is not None), Decimal(0)),
        sum(c[3] is None for c in calls),
        sum((Decimal(c[3]) for c in calls if c[4]), Decimal(0)),
    )


def test_each_total_says_how_much_of_it_is_estimated(spend):
    now = datetime(2025, 12, 4, 12, 0, tzinfo=PARIS)
    snap = take(spend, Budgets, "7 days", "day", now=now)
    assert snap.cards.spend == so_far(now) == Money(Decimal("3.354"), 1, Decimal("0.25"))
    per_model = {r.model: r.cost for r in snap.models}
    assert per_model["gpt-4o"] == Money(Decimal("2.50"), 0, Decimal("0.05"))
    assert per_model["claude-haiku-4-5"] == Money(Decimal("0.854"), 0, Decimal("0.20"))
    assert dict(card_lines(snap.cards))["Spend"] == "at least $3.35 (~$0.25 estimated) · 1 call unpriced"
    saved = {r["model"]: r for r in csv.DictReader(io.StringIO(models_csv(snap.models)))}
    for model, cost in per_model.items():
        if cost.priced:
            assert Decimal(saved[model]["cost_usd"]) == cost.priced
            assert Decimal(saved[model]["estimated_cost_usd"]) == cost.estimated
    assert Decimal(saved["claude-haiku-4-5"]["estimated_cost_usd"]) == Decimal("0.20")
    assert saved["m"]["estimated_cost_usd"] == ""  # nothing priced: no figure, never 0


def pace(now: datetime) -> Money:
    """The month's priced spend so far over the days gone (the days before today plus the part of
    today gone, in Paris), times the month's 31 days."""
    midnight = datetime(now.year, now.month, now.day, tzinfo=PARIS)
    gone = (now.day - 1) + (now - midnight).total_seconds() / 86400
    spent = so_far(now)
    return Money(spent.priced / Decimal(repr(gone)) * 31, spent.unpriced)


@pytest.mark.parametrize(
    ("now", "days_gone"),
    [
        (datetime(2025, 12, 4, 0, 8, tzinfo=PARIS), 3 + 8 / 1440),  # eight minutes into the 4th
        (datetime(2025, 12, 4, 12, 0, tzinfo=PARIS), 3.5),
        (datetime(2025, 12, 3, 7, 8, tzinfo=PARIS), 2 + 428 / 1440),
    ],
)
def test_the_month_end_is_projected_from_the_time_gone_in_the_month(spend, now, days_gone):
    snap = take(spend, Budgets, "30 days", "day", now=now)
    expected = pace(now)
    assert float(snap.cards.projected_month.priced) == pytest.approx(
        float(so_far(now).priced) / days_gone * 31
    )
    assert float(snap.cards.projected_month.priced) == pytest.approx(float(expected.priced), rel=1e-9)
    running = month_running(snap.month_rows, snap.until, snap.cards.pace)
    assert running.projected == snap.cards.projected_month  # the chart says what the card says
    assert "days gone" in snap.cards.pace.note()


def test_eight_minutes_into_a_day_keep_the_pace(spend):
    """$3.154 over 3 days at 07:08 on the 3rd was $32.59; $3.354 over 4 at 00:08 on the 4th $25.99."""
    before = take(spend, Budgets, "30 days", "day", now=datetime(2025, 12, 3, 23, 59, tzinfo=PARIS))
    after = take(spend, Budgets, "30 days", "day", now=datetime(2025, 12, 4, 0, 8, tzinfo=PARIS))
    drop = after.cards.projected_month.priced / before.cards.projected_month.priced
    assert drop > Decimal("0.98")  # one $0.20 call in 9 minutes, not a quarter of the pace lost


def test_too_early_in_the_month_to_project(spend):
    now = datetime(2025, 12, 1, 0, 8, tzinfo=PARIS)
    snap = take(spend, Budgets, "30 days", "day", now=now)
    assert snap.cards.projected_month is None
    assert dict(card_lines(snap.cards))["Month end (projected)"] == "too early to project"
    assert month_running(snap.month_rows, snap.until, snap.cards.pace).projected is None
    assert date(2025, 12, 1) == snap.until
