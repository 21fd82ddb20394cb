"""Axes a reader can use: real dollar ticks ($0.05, not "USD (x0.001)"), counts as 12k / 1.2M, and
local-day ticks spaced for the range (days, weeks, months)."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from enum import StrEnum

import pyqtgraph as pg

from playground import formatting

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
    """The window's duration format (:func:`playground.formatting.millis`); a round tick drops its
    ".0" ('5 s', not '5.0 s')."""
    return formatting.millis(ms).replace(".0 s", " s")


class DurationAxis(pg.AxisItem):
    def __init__(self, *args, **kwargs):
        super().__init__("left", *args, **kwargs)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):
        return [duration_text(v) for v in values]


class TickKind(StrEnum):
    """What a date tick marks; chosen from the range alone, so every chart of a range agrees."""

    DAY = "day"
    WEEK = "week"  # Mondays
    HALF_MONTH = "half month"  # the 1st and the 15th
    MONTH = "month"


def tick_kind(lo: float, hi: float) -> TickKind:
    """The tick rule for a range: by its length in days only, never by a chart's width (the same 90
    days read "Oct 2026" on one chart and "Sep 15, Oct 1" on a wider one)."""
    span = round((hi - lo) / DAY_S)
    if span <= 10:
        return TickKind.DAY
    if span <= 50:
        return TickKind.WEEK
    if span <= 120:
        return TickKind.HALF_MONTH
    return TickKind.MONTH


def day_ticks(lo: float, hi: float, room: int) -> list[float]:
    """Local midnights between ``lo`` and ``hi`` (timestamps) of the range's :func:`tick_kind`; a chart
    with room for fewer labels keeps every 2nd, 3rd, ... of them (months stay on calendar steps), so a
    narrow chart shows fewer ticks of the same kind, never different ones."""
    if hi <= lo or room < 1:
        return []
    first = date.fromtimestamp(max(lo, 0))
    last = date.fromtimestamp(max(hi, 0))
    kind = tick_kind(lo, hi)
    if kind is TickKind.MONTH:
        starts = _month_days(first, last, (1,))
        step = next((s for s in (1, 2, 3, 6, 12) if len(starts) / s <= room), 24)
        days = [d for d in starts if (d.month - 1) % step == 0 and (step <= 12 or d.year % 2 == 0)]
    else:
        if kind is TickKind.DAY:
            days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        elif kind is TickKind.WEEK:
            monday = first + timedelta(days=(7 - first.weekday()) % 7)
            days = [monday + timedelta(days=7 * i) for i in range((last - monday).days // 7 + 1)]
        else:  # thinned, the 1sts stay (Oct 1, Nov 1), not the 15ths
            days = _month_days(first, last, (1, 15))
            if len(days) > room:
                days = [d for d in days if d.day == 1]
        step = max(1, math.ceil(len(days) / room))
        days = days[::step]
    return [t for t in (_stamp(d) for d in days) if lo <= t <= hi]


def tick_label(day: date, kind: TickKind) -> str:
    """'Nov 2026' for month ticks, 'Nov 5' for the others."""
    return day.strftime("%b %Y") if kind is TickKind.MONTH else f"{day.strftime('%b')} {day.day}"


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
        self.kind = TickKind.DAY

    def tickValues(self, minVal, maxVal, size):
        self.kind = tick_kind(minVal, maxVal)
        ticks = day_ticks(minVal, maxVal, max(1, int(size // 70)))
        return [(DAY_S, ticks)] if ticks else []

    def tickStrings(self, values, scale, spacing):
        return [tick_label(date.fromtimestamp(v), self.kind) for v in values]
