"""Axes a reader can use: real dollar ticks ($0.05, not "USD (x0.001)"), counts as 12k / 1.2M, and
local-day ticks spaced for the range (days, weeks, months)."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import pyqtgraph as pg

DAY_S = 86_400


def _stamp(day: date) -> float:
    return datetime(day.year, day.month, day.day).timestamp()


def money_text(value: float, spacing: float) -> str:
    """A dollar tick with as many decimals as the tick spacing needs."""
    digits = 0 if spacing >= 1 else min(6, max(2, -math.floor(math.log10(spacing))))
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.{digits}f}"


def count_text(value: float) -> str:
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= max(size, 1e4):  # 1,500 ms stays 1,500; 25,000 tokens is 25k
            return f"{value / size:.3g}{suffix}"
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:.3g}"


class MoneyAxis(pg.AxisItem):
    def __init__(self, *args, **kwargs):
        super().__init__("left", *args, **kwargs)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):
        return [money_text(v, spacing) for v in values]


class CountAxis(pg.AxisItem):
    def __init__(self, *args, **kwargs):
        super().__init__("left", *args, **kwargs)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):
        return [count_text(v) for v in values]


def duration_text(ms: float) -> str:
    """'450 ms', '1.5 s', '12 s': a duration axis reads in the unit a person would say."""
    if abs(ms) < 1000:
        return f"{ms:,.0f} ms"
    return f"{ms / 1000:.3g} s"


class DurationAxis(pg.AxisItem):
    def __init__(self, *args, **kwargs):
        super().__init__("left", *args, **kwargs)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):
        return [duration_text(v) for v in values]


def day_ticks(lo: float, hi: float, room: int) -> list[float]:
    """Local midnights between ``lo`` and ``hi`` (timestamps), at most about ``room`` of them: every
    day, 2 days or week (Mondays) for short ranges, month starts (every 1, 2, 3 or 6) for long ones."""
    if hi <= lo or room < 1:
        return []
    first = date.fromtimestamp(max(lo, 0))
    last = date.fromtimestamp(max(hi, 0))
    span = (last - first).days + 1
    for step in (1, 2, 7, 14):
        if span / step <= room:
            day = first if step < 7 else first + timedelta(days=(7 - first.weekday()) % 7)
            out = []
            while day <= last:
                out.append(_stamp(day))
                day += timedelta(days=step)
            return [t for t in out if lo <= t <= hi]
    halves = [d for d in _month_days(first, last, (1, 15))]
    if len(halves) <= room:  # the 1st and the 15th: 90 days read as dates, not just months
        return [t for t in (_stamp(d) for d in halves) if lo <= t <= hi]
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = next((s for s in (1, 2, 3, 6, 12) if months / s <= room), 24)
    out, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        if (month - 1) % step == 0:
            out.append(_stamp(date(year, month, 1)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return [t for t in out if lo <= t <= hi]


def _month_days(first: date, last: date, days: tuple[int, ...]) -> list[date]:
    out, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        out += [date(year, month, d) for d in days if first <= date(year, month, d) <= last]
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


class DayAxis(pg.AxisItem):
    """Bottom axis of local days: 'Nov 5' for day ticks, 'Nov 2026' for month ticks."""

    def __init__(self, *args, **kwargs):
        super().__init__("bottom", *args, **kwargs)
        self.enableAutoSIPrefix(False)

    def tickValues(self, minVal, maxVal, size):
        ticks = day_ticks(minVal, maxVal, max(1, int(size // 60)))
        return [(DAY_S, ticks)] if ticks else []

    def tickStrings(self, values, scale, spacing):
        days = [date.fromtimestamp(v) for v in values]
        monthly = len(days) > 1 and all(d.day == 1 for d in days) and (days[1] - days[0]).days > 20
        if monthly:
            return [d.strftime("%b %Y") for d in days]
        return [f"{d.strftime('%b')} {d.day}" for d in days]
