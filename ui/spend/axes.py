"""Axes a reader can use: real dollar ticks ($0.05, not "USD (x0.001)"), counts as 12k / 1.2M, and
local-day ticks spaced for the range (days, weeks, months)."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime, timedelta
from enum import StrEnum

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF

from playground import formatting

DAY_S = 86_400


def _stamp(day: date) -> float:
    return datetime(day.year, day.month, day.day).timestamp()


def _digits(spacing: float, least: int = 0) -> int:
    """Decimals a tick spacing needs to tell its ticks apart (0.2 → 1, 0.05 → 2)."""
    if spacing <= 0 or spacing >= 1:
        return least
    return min(6, max(least, -math.floor(math.log10(spacing) + 1e-9)))


def money_text(value: float, spacing: float) -> str:
    """A dollar tick with as many decimals as the tick spacing needs."""
    digits = 0 if spacing >= 1 else _digits(spacing, 2)
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.{digits}f}"


def count_text(value: float, spacing: float = 1.0) -> str:
    """'25k' / '1.2M' / '1,500'; below ten thousand, the decimals the tick spacing needs (215.5)."""
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= max(size, 1e4):  # 1,500 ms stays 1,500; 25,000 tokens is 25k
            return f"{value / size:.3g}{suffix}"
    if spacing < 1:
        return f"{value:,.{_digits(spacing)}f}"
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:.3g}"


def duration_text(ms: float, spacing: float = 1.0) -> str:
    """The window's duration format (:func:`playground.formatting.millis`); a round tick drops its
    ".0" ('5 s', not '5.0 s'); ticks closer than a millisecond get the decimals they need."""
    if spacing < 1 and round(abs(ms)) < 1000:
        return f"{ms:.{_digits(spacing)}f} ms"
    return formatting.millis(ms).replace(".0 s", " s")


def distinct(values: list[float], spacing: float, text: Callable[[float, float], str]) -> list[str]:
    """Tick labels that differ: a finer spacing is asked of ``text`` until no two labels are the same
    ("22 ms, 22 ms, 22 ms" on flat data read as a broken axis)."""
    for finer in (1, 10, 100, 1000, 10_000):
        labels = [text(v, spacing / finer) for v in values]
        if len(set(labels)) == len(labels):
            return labels
    return labels


class MoneyAxis(pg.AxisItem):
    def __init__(self, *args, **kwargs):
        super().__init__("left", *args, **kwargs)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):
        return distinct(list(values), spacing, money_text)


class CountAxis(pg.AxisItem):
    def __init__(self, *args, **kwargs):
        super().__init__("left", *args, **kwargs)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):
        return distinct(list(values), spacing, count_text)


class DurationAxis(pg.AxisItem):
    def __init__(self, *args, **kwargs):
        super().__init__("left", *args, **kwargs)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):
        return distinct(list(values), spacing, duration_text)


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


LABEL_GAP = 14  # pixels between two date labels
MIN_DATE_TICKS = 3


def date_ticks(
    lo: float, hi: float, size: float, last: date | None, width: Callable[[str], float]
) -> list[tuple[float, str]]:
    """(timestamp, label) of the date ticks for an axis ``size`` pixels long whose labels measure
    ``width``: the range's :func:`tick_kind` ticks, thinned so no two labels touch, plus ``last`` (the
    range's last day, "Dec 1") always; a label at an edge is drawn inside it (:class:`DayAxis`), so
    the last day is named even when its tick sits at the very end. Fewer than three fit: every few
    days back from the last one instead."""
    if hi <= lo or size <= 0:
        return []
    kind = tick_kind(lo, hi)
    end = last if last is not None and lo <= _stamp(last) <= hi else date.fromtimestamp(hi)
    widest = max(width(tick_label(date(2026, m, 28), kind)) for m in (5, 9, 11))
    room = max(1, int(size // (widest + LABEL_GAP)))
    chosen = _fit(lo, hi, size, width, _stamp(end), day_ticks(lo, hi, room), kind)
    if len(chosen) < MIN_DATE_TICKS:
        days = (end - date.fromtimestamp(max(lo, 0))).days
        step = max(1, math.ceil(days / max(1, room - 1)))
        back = [_stamp(end - timedelta(days=i * step)) for i in range(1, days // step + 1)]
        finer = _fit(lo, hi, size, width, _stamp(end), [t for t in back[::-1] if t >= lo], TickKind.DAY)
        chosen = finer if len(finer) > len(chosen) else chosen
    return chosen


def _fit(
    lo: float,
    hi: float,
    size: float,
    width: Callable[[str], float],
    end: float,
    ticks: list[float],
    kind: TickKind,
) -> list[tuple[float, str]]:
    """``end`` (a day label) and those of ``ticks`` before it whose labels keep clear of the next one."""

    def left(t: float, text: str) -> float:
        centre = (t - lo) / (hi - lo) * size
        return min(max(centre - width(text) / 2, 0.0), size - width(text))

    last_text = tick_label(date.fromtimestamp(end), TickKind.DAY)
    chosen = [(end, last_text)]
    edge = left(end, last_text)
    for t in reversed(ticks):
        text = tick_label(date.fromtimestamp(t), kind)
        if t < end and left(t, text) + width(text) + LABEL_GAP <= edge:
            chosen.insert(0, (t, text))
            edge = left(t, text)
    return chosen


class DayAxis(pg.AxisItem):
    """Bottom axis of local days: 'Nov 5' for day ticks, 'Nov 2026' for month ticks, and always the
    range's last day (``last``, set by the chart; else the day ``maxVal`` falls on)."""

    def __init__(self, *args, **kwargs):
        super().__init__("bottom", *args, **kwargs)
        self.enableAutoSIPrefix(False)
        self.kind = TickKind.DAY
        self.last: date | None = None
        self.labels: dict[float, str] = {}

    def _width(self, text: str) -> float:
        return QFontMetricsF(self.style["tickFont"] or self.font()).horizontalAdvance(text) + 2

    def tickValues(self, minVal, maxVal, size):
        self.kind = tick_kind(minVal, maxVal)
        self.labels = dict(date_ticks(minVal, maxVal, size, self.last, self._width))
        return [(DAY_S, list(self.labels))] if self.labels else []

    def tickStrings(self, values, scale, spacing):
        return [self.labels.get(v) or tick_label(date.fromtimestamp(v), self.kind) for v in values]

    def generateDrawSpecs(self, p):
        """pyqtgraph hides a label that would cross the axis's end; here it is moved inside instead."""
        specs = super().generateDrawSpecs(p)
        if specs is None or not self.labels:
            return specs
        axis, ticks, _texts = specs
        if len(ticks) != len(self.labels):
            return specs
        bounds = self.mapRectFromParent(self.geometry())
        metrics = QFontMetricsF(self.style["tickFont"] or p.font())
        top = bounds.top() + max(0, self.style["tickLength"]) + self.style["tickTextOffset"][1]
        flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextDontClip
        texts = []
        for (_pen, start, _stop), text in zip(ticks, self.labels.values(), strict=True):
            width = metrics.horizontalAdvance(text) + 2
            left = min(max(start.x() - width / 2, bounds.left()), bounds.right() - width)
            texts.append((QRectF(left, top, width, metrics.height()), flags, text))
        return axis, ticks, texts


def follow_palette(plot: pg.PlotWidget) -> None:
    """Paint ``plot``'s background and axes in the application's palette (light or dark)."""
    from PySide6.QtWidgets import QApplication

    palette = QApplication.palette()
    ink = palette.text().color()
    plot.setBackground(palette.base().color())
    for axis in ("left", "bottom"):
        plot.getAxis(axis).setPen(ink)
        plot.getAxis(axis).setTextPen(ink)
