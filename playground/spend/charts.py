"""Report rows shaped into series for charts: one value per period and model, periods as timestamps."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from playground.pricing.money import Money
from playground.spend.pace import MonthPace, month_pace
from playground.spend.reports import LatencyRow, SpendRow

RANGES = {"7 days": 7, "30 days": 30, "90 days": 90, "Year": 365, "All": None}


def range_start(name: str, today: date) -> date | None:
    days = RANGES[name]
    return None if days is None else today - timedelta(days=days - 1)


def period_start(period: str) -> date:
    """'2026-11-05' (a day, or a week by its Monday), '2026-11' or an old '2026-W44' → the first day
    of that period."""
    if "-W" in period:
        year, week = period.split("-W")
        return datetime.strptime(f"{year}-W{int(week):02d}-1", "%Y-W%W-%w").date()
    if len(period) == 7:
        return date.fromisoformat(period + "-01")
    return date.fromisoformat(period)


def period_of(day: date, period: str) -> date:
    """The first day of the ``period`` ("day", "week" from Monday, "month") that holds ``day``."""
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def timestamp(day: date) -> float:
    """Local midnight of ``day`` (the date axis labels in local time)."""
    return datetime(day.year, day.month, day.day).timestamp()


@dataclass(frozen=True)
class Stacked:
    """Bars per period stacked by key: ``x`` timestamps, ``layers`` key → value per x (same order).

    For costs the bars are the priced sums and ``unpriced`` counts, per x, the calls they leave out.
    """

    x: list[float]
    layers: dict[str, list[float]]
    unpriced: list[int]

    def totals(self) -> list[float]:
        return [sum(values[i] for values in self.layers.values()) for i in range(len(self.x))]


def stacked(rows: list[SpendRow], value: str = "cost") -> Stacked:
    periods = sorted({r.period for r in rows})
    index = {p: i for i, p in enumerate(periods)}
    layers: dict[str, list[float]] = {}
    unpriced = [0] * len(periods)
    for r in rows:
        layer = layers.setdefault(r.key or "all", [0.0] * len(periods))
        amount = r.cost.priced if value == "cost" else getattr(r, value)
        layer[index[r.period]] += float(amount)
        unpriced[index[r.period]] += r.cost.unpriced
    return Stacked([timestamp(period_start(p)) for p in periods], layers, unpriced)


@dataclass(frozen=True)
class MonthRunning:
    """The month of ``until`` day by day: spend so far (priced; ``unpriced`` calls so far apart), and
    the pace carried to the month's last day (``projection``: x, y; empty when the month is over;
    ``projected``: its end as Money, the month's unpriced calls kept, None when the month is over)."""

    x: list[float]
    y: list[float]
    unpriced: list[int]
    projection: tuple[list[float], list[float]]
    month_end: float
    projected: Money | None = None


def month_running(rows: list[SpendRow], until: date, pace: MonthPace | None = None) -> MonthRunning:
    """Running total of ``until``'s month from day 1 to ``until`` (rows: by day, any key), and its
    priced pace carried to the month's last day as the card projects it (``pace``: the time gone in
    the month; without it, ``until`` counts whole)."""
    per_day: dict[str, Money] = {}
    for r in rows:
        per_day[r.period] = per_day.get(r.period, Money()) + r.cost
    first = until.replace(day=1)
    last = first + timedelta(days=calendar.monthrange(until.year, until.month)[1] - 1)
    out = MonthRunning([], [], [], ([], []), timestamp(last))
    total, day = Money(), first
    while day <= until:
        total += per_day.get(day.isoformat(), Money())
        out.x.append(timestamp(day))
        out.y.append(float(total.priced))
        out.unpriced.append(total.unpriced)
        day += timedelta(days=1)
    pace = pace or month_pace(until, until)
    if until < last and out.y and not pace.over:
        projected = pace.project(total)
        if projected is None:
            return out  # too early to tell
        out.projection[0].extend([out.x[-1], timestamp(last)])
        out.projection[1].extend([out.y[-1], float(projected.priced)])
        return replace(out, projected=projected)
    return out


def latency_band(rows: list[LatencyRow], model: str) -> tuple[list[float], list[float], list[float]]:
    """One model's days: x, median and 95th percentile (ms); days without a timed call are left out."""
    x: list[float] = []
    p50: list[float] = []
    p95: list[float] = []
    for r in sorted(rows, key=lambda r: r.day):
        if r.model == model and r.p50_ms is not None and r.p95_ms is not None:
            x.append(timestamp(date.fromisoformat(r.day)))
            p50.append(r.p50_ms)
            p95.append(r.p95_ms)
    return x, p50, p95
