"""Bars per week on known histories: a week across New Year is one bar with its whole sum (weeks were
named by SQLite's %W, which split that week into "2025-W52" and "2026-W00", two bars at one Monday)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from playground.spend.budgets import Budgets
from playground.spend.snapshot import take
from tests.playground.spend.noon_history import write


def test_a_week_across_new_year_is_one_bar_with_its_whole_sum(known):
    history, reports = known(date(2026, 1, 5))
    calls = [("2025-12-30", "1.00", 10, 10), ("2026-01-02", "2.00", 10, 10)]  # Mon 29 Dec's week
    for day, cost, tin, tout in calls:
        write(history, day, "gpt-4o", cost_usd=Decimal(cost), input_tokens=tin, output_tokens=tout)
    snap = take(reports, Budgets, "Year", "week")
    monday = datetime(2025, 12, 29).timestamp()
    assert monday in snap.bars.x
    i = snap.bars.x.index(monday)
    assert snap.bars.totals()[i] == pytest.approx(float(sum(Decimal(c[1]) for c in calls)))
    assert snap.tokens_in[i] == sum(c[2] for c in calls) and snap.tokens_out[i] == sum(c[3] for c in calls)
    assert len(snap.bars.x) == len(set(snap.bars.x))
    rows = reports.spend(period="week", by="model")
    assert [(r.period, r.cost.exact) for r in rows] == [("2025-12-29", Decimal("3.00"))]


@pytest.mark.parametrize("period", ["day", "week", "month"])
def test_no_two_bars_share_a_place_over_years(known, period):
    history, reports = known(date(2026, 12, 31))
    first = date(2024, 12, 20)
    for back in range(0, 740, 3):  # every third day over two New Years
        day = first + timedelta(days=back)
        write(history, day.isoformat(), "gpt-4o", cost_usd=Decimal("0.01"), input_tokens=1, output_tokens=1)
    snap = take(reports, Budgets, "All", period)
    assert len(snap.bars.x) == len(set(snap.bars.x))
    assert snap.bars.x == sorted(snap.bars.x)
    assert sum(snap.tokens_in) == len(range(0, 740, 3))
