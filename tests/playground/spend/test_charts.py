from datetime import date
from decimal import Decimal

from playground.pricing.money import Money
from playground.spend.charts import month_running, period_start, range_start, stacked, timestamp
from playground.spend.reports import SpendRow


def row(period, key, cost):
    return SpendRow(period, key, Money.of(None if cost is None else Decimal(cost)), 1, 0, 10, 5)


def test_stacked_bars_line_up_periods_and_keys():
    s = stacked([row("2026-11-01", "a", "1"), row("2026-11-01", "b", "2"), row("2026-11-03", "a", "0.5")])
    assert s.x == [timestamp(date(2026, 11, 1)), timestamp(date(2026, 11, 3))]
    assert s.layers == {"a": [1.0, 0.5], "b": [2.0, 0.0]}
    assert s.totals() == [3.0, 0.5]


def test_the_month_adds_days_in_order_from_its_first():
    rows = [row("2026-11-03", "a", "1"), row("2026-11-02", "b", "2"), row("2026-11-03", "b", "3")]
    run = month_running(rows, date(2026, 11, 3))
    assert run.y == [0.0, 2.0, 6.0] and run.x == sorted(run.x) and run.unpriced == [0, 0, 0]


def test_unpriced_calls_are_counted_beside_the_bars_not_drawn_as_zero():
    rows = [row("2026-11-01", "a", "1"), row("2026-11-01", "b", None), row("2026-11-02", "b", None)]
    bars = stacked(rows)
    assert bars.totals() == [1.0, 0.0] and bars.unpriced == [1, 1]
    run = month_running(rows, date(2026, 11, 2))
    assert run.y == [1.0, 1.0] and run.unpriced == [1, 2]
    # $1 in 2 of November's 30 days: $15 at this pace, at least (2 calls have no price)
    assert run.projected == Money(Decimal(15), 2) and run.projection[1] == [1.0, 15.0]
    assert month_running(rows, date(2026, 11, 30)).projected is None  # the month is over


def test_periods_and_ranges():
    assert period_start("2026-11") == date(2026, 11, 1)
    assert period_start("2026-W44").weekday() == 0
    assert range_start("7 days", date(2026, 11, 22)) == date(2026, 11, 16)
    assert range_start("All", date(2026, 11, 22)) is None
