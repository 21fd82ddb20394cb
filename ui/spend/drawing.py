"""Drawing the Spend charts into their panels: stacked bars whose heights are the periods' sums, the
month's running total against its budget, and one model's p50 line with its p95 band."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsRectItem

from playground import formatting
from playground.spend.charts import MonthRunning, Stacked
from ui.spend.axes import DAY_S
from ui.spend.chart_panel import ChartPanel

COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf")
BUDGET = "#d62728"
PERIOD_DAYS = {"day": 1.0, "week": 7.0, "month": 30.4}


def usd_value(value: float) -> str:
    return formatting.usd(Decimal(str(round(value, 6))))


def centers(xs: list[float], period: str) -> list[float]:
    """Bars sit on their day's tick; a week's or month's bar spans the middle of its period."""
    if period == "day":
        return list(xs)
    return [x + PERIOD_DAYS[period] * DAY_S / 2 for x in xs]


PARTIAL_ALPHA = 110  # of 255: how much of the colours of the period still running shows


def bars(
    panel: ChartPanel, data: Stacked, period: str, colors: dict[str, str], partial_last: bool = False
) -> list[pg.BarGraphItem]:
    """One stacked bar per period; each layer starts where the one below ends. ``partial_last``: the
    last period is still running, so its bar is veiled paler (a part so far, not a fall): by one
    translucent rectangle on top, as a colour per bar made pyqtgraph draw every bar one by one
    (GUI time per open 5.7 -> 21.7 ms, bench/bench_spend_gui.py)."""
    width = 0.8 * PERIOD_DAYS[period] * DAY_S
    x = centers(data.x, period)
    base = [0.0] * len(x)
    items = []
    for key, values in sorted(data.layers.items()):
        if not any(values):
            continue  # a model with no priced call: the legend's unpriced count speaks for it
        item = pg.BarGraphItem(
            x=x, height=values, y0=base, width=width, brush=colors[key], pen=pg.mkPen(None), name=key
        )
        panel.plot.addItem(item)
        items.append(item)
        base = [b + v for b, v in zip(base, values, strict=True)]
        panel.series.append((key, x, values))
    panel.reach_s = width / 2
    panel.unpriced = (x, data.unpriced)
    if partial_last and items and base[-1] > 0:
        veil = QGraphicsRectItem(x[-1] - width / 2, 0.0, width, base[-1])
        background = QColor(panel.plot.backgroundBrush().color())
        background.setAlpha(255 - PARTIAL_ALPHA)
        veil.setBrush(background)
        veil.setPen(QPen(Qt.PenStyle.NoPen))
        veil.setZValue(1)  # over the bars
        panel.plot.addItem(veil)
        panel.veil = veil
    return items


MAX_DOTS = 62  # a dot per point up to about two months; beyond, dots merge into the line and cost a frame


def dots(color: str, points: int, size: int = 4) -> dict:
    """Point markers for a line of ``points`` points: only where they can be told apart."""
    return {"symbol": "o", "symbolSize": size, "symbolBrush": color} if points <= MAX_DOTS else {}


GAP_S = 1.5 * DAY_S  # farther apart than this, two days' points have a day without data between


def runs(xs: list[float], gap_s: float | None = GAP_S) -> list[tuple[int, int]]:
    """(start, end) slices of ``xs`` whose points are at most ``gap_s`` apart (one run when None)."""
    if gap_s is None or not xs:
        return [(0, len(xs))]
    cuts = [i for i in range(1, len(xs)) if xs[i] - xs[i - 1] > gap_s]
    return list(zip([0, *cuts], [*cuts, len(xs)], strict=True))


def gapped(xs: list[float], ys: list[float], gap_s: float | None = GAP_S) -> tuple[list[float], list[float]]:
    """``xs``, ``ys`` with a NaN point between two runs: drawn with ``connect="finite"``, the line
    breaks there instead of joining its neighbours across a day without data."""
    out_x: list[float] = []
    out_y: list[float] = []
    for start, end in runs(xs, gap_s):
        if out_x:
            out_x.append((out_x[-1] + xs[start]) / 2)
            out_y.append(math.nan)
        out_x += xs[start:end]
        out_y += ys[start:end]
    return out_x, out_y


def lines(
    panel: ChartPanel,
    named: list[tuple[str, list[float], list[float]]],
    colors: list[str],
    partial_last: bool = False,
    gap_s: float | None = None,
) -> None:
    """A line per series; ``partial_last``: its last step, to the period still running, dashed;
    ``gap_s``: points farther apart are not joined (a day without data between)."""
    for (name, xs, ys), color in zip(named, colors, strict=True):
        solid = len(xs) - 1 if partial_last and len(xs) > 1 else len(xs)
        gx, gy = gapped(xs[:solid], ys[:solid], gap_s)
        panel.curve(gx, gy, pen=pg.mkPen(color, width=2), connect="finite", **dots(color, solid))
        if solid < len(xs):
            dashed = pg.mkPen(color, width=2, style=Qt.PenStyle.DashLine)
            panel.curve(xs[-2:], ys[-2:], pen=dashed, **dots(color, 2))
        panel.series.append((name, xs, ys))
    panel.set_legend([(n, c, "line") for (n, _, _), c in zip(named, colors, strict=True)])


def month(
    panel: ChartPanel, running: MonthRunning, budget: Decimal | None, label: str, too_early: bool = False
) -> None:
    """The month so far, its pace to the month's end (dotted, a projection; ``too_early``: said, not
    drawn) and the budget line."""
    color = COLORS[0]
    panel.curve(running.x, running.y, pen=pg.mkPen(color, width=2), **dots(color, len(running.x), 5))
    panel.series.append(("spent", running.x, running.y))
    panel.unpriced = (running.x, running.unpriced)
    legend = [(f"spent in {label}", color, "line")]
    top = max(running.y, default=0.0)
    px, py = running.projection
    projected = running.projected
    if projected is not None:
        # as the "Month end (projected)" card says it: unknown when no call so far had a price (no
        # line at $0), "at least" when some had none
        if projected.priced or not projected.unpriced:
            panel.curve(px, py, pen=pg.mkPen(color, width=2, style=Qt.PenStyle.DotLine))
            panel.series.append(("projected", px[1:], py[1:]))
            top = max(top, py[-1])
        legend.append((f"projected month end {projected.text()}", color, "dash"))
    elif too_early:
        legend.append(("month end: too early to project", color, "dash"))
    if budget is not None:
        panel.plot.addItem(
            pg.InfiniteLine(
                pos=float(budget), angle=0, pen=pg.mkPen(BUDGET, width=2, style=Qt.PenStyle.DashLine)
            )
        )
        legend.append((f"monthly budget {formatting.usd(budget)}", BUDGET, "dash"))
        top = max(top, float(budget))
    panel.set_legend(legend)
    panel.reach_s = 0.5 * DAY_S
    panel.plot.getAxis("bottom").last = date.fromtimestamp(running.month_end)
    first = running.x[0] if running.x else running.month_end
    panel.plot.setXRange(first - 0.5 * DAY_S, running.month_end + 0.5 * DAY_S, padding=0)
    panel.plot.setYRange(0, (top or 1.0) * 1.12, padding=0)
    # placed now: left to the paint, the move asked for a second paint of the plot (next frame)
    panel.plot.getPlotItem().getViewBox().updateMatrix()


def band(panel: ChartPanel, model: str, x: list[float], p50: list[float], p95: list[float]) -> None:
    """``model``'s median as a line and the median-to-p95 spread as a shaded band (one polygon made
    once: pyqtgraph's FillBetweenItem re-traced both curves on each of their changes, ~4 times a
    chart, 3-9 ms each on the GUI thread for a year)."""
    color = COLORS[0]
    gx, g95 = gapped(x, p95)  # a day without a timed call breaks the line and the band
    panel.curve(gx, g95, pen=pg.mkPen(None), connect="finite")  # invisible: keeps p95 in the auto range
    panel.curve(gx, gapped(x, p50)[1], pen=pg.mkPen(color, width=2), connect="finite", **dots(color, len(x)))
    fill = QColor(color)
    fill.setAlpha(70)
    path = QPainterPath()
    for a, b in runs(x):
        xs, high, low = x[a:b], p95[a:b], p50[a:b]
        path.addPolygon(
            QPolygonF([QPointF(u, v) for u, v in zip(xs + xs[::-1], high + low[::-1], strict=True)])
        )
    area = QGraphicsPathItem(path)
    area.setBrush(fill)
    area.setPen(QPen(Qt.PenStyle.NoPen))
    panel.plot.addItem(area)
    panel.band = area
    panel.series += [(f"{model} p50", x, p50), (f"{model} p95", x, p95)]
    panel.set_legend([(f"{model} p50", color, "line"), ("p50 to p95", color, "band")])


MIN_DAYS = 7  # a range of fewer days (All, on a first day) is drawn as a week: three dates, not one


def x_range(panel: ChartPanel, first: date, last: date, period: str) -> None:
    from playground.spend.charts import timestamp

    first = min(first, last - timedelta(days=MIN_DAYS - 1))
    pad = 0.6 * DAY_S if period == "day" else 0.2 * DAY_S
    end = timestamp(last) + (PERIOD_DAYS[period] * DAY_S if period != "day" else 0)
    panel.plot.getAxis("bottom").last = last
    panel.plot.setXRange(timestamp(first) - pad, end + pad, padding=0)
    floor_flat(panel)


def nice_above(value: float) -> float:
    """The round number (1, 2 or 5 times a power of ten) at or above ``value`` × 1.25."""
    target = abs(value) * 1.25
    power = 10 ** math.floor(math.log10(target))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= target)


def floor_flat(panel: ChartPanel) -> None:
    """Flat data (one call, or equal days) from 0 to a round value above it: auto-ranged, the axis
    spanned a hair around the value and its ticks all read "22 ms". Other data keeps its auto range."""
    values = [v for _name, _xs, ys in panel.series for v in ys if v == v]
    top = max(values, default=0.0)
    if top > 0 and top - min(values) <= 0.02 * top:
        panel.plot.setYRange(0, nice_above(top), padding=0)
    else:
        panel.plot.enableAutoRange(axis="y")
        # ranged now, not at the first paint: found there, it changed the axes after the paint and
        # the plot was painted a second time in the next frame (over 16 ms with the next chart's paint)
        panel.plot.getPlotItem().getViewBox().updateAutoRange()
