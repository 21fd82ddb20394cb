"""Two small charts of the plan's sensitivity: monthly cost against requests per day (log scale) and
against the cache hit rate, for the top models. Legend above the plots, dollar ticks, exact values on
hover. Imported on the Plan page's first plan (pyqtgraph loads then, as for Spend)."""

from __future__ import annotations

import math
from decimal import Decimal

import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolTip, QVBoxLayout, QWidget

from playground import formatting
from playground.plan.sensitivity import Sensitivity, Series
from ui.spend.axes import MoneyAxis, count_text, follow_palette, money_text
from ui.spend.drawing import COLORS


def rate_text(x: float) -> str:
    return f"{count_text(x)} requests/day"


def hit_text(x: float) -> str:
    return f"{x:.0%} hit rate"


class SensitivityPlot(QWidget):
    """One plot; ``to_plot`` and ``y_plot`` map values to its axes (log10 on the request-rate plot)."""

    def __init__(self, name: str, log_x: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.name = name
        self.log_x = log_x
        self.title = QLabel(f"<b>{name}</b>")
        self.plot = pg.PlotWidget(axisItems={"left": MoneyAxis()})
        self.plot.setAccessibleName(name)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.getAxis("bottom").enableAutoSIPrefix(False)
        self.series: tuple[Series, ...] = ()
        self.own: Decimal | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.title)
        layout.addWidget(self.plot, 1)
        self._move = pg.SignalProxy(self.plot.scene().sigMouseMoved, rateLimit=30, slot=self._hovered)
        self.restyle()

    def to_plot(self, x: Decimal) -> float:
        return math.log10(float(x)) if self.log_x else float(x)

    def y_plot(self, y: Decimal) -> float:
        """Both axes are logarithmic on the rate plot: a bill linear in the rate is then a straight
        line, and a $50 model stays readable beside a $50,000 one."""
        return math.log10(float(y)) if self.log_x else float(y)

    def draw(self, series: tuple[Series, ...], own: Decimal) -> None:
        self.series, self.own = series, own
        self.plot.clear()
        for i, s in enumerate(series):
            pts = [
                (self.to_plot(x), self.y_plot(y))
                for x, y in zip(s.xs, s.ys, strict=True)
                if y and (x > 0 or not self.log_x)  # a log axis has no 0 (0 requests: math domain error)
            ]
            if pts:
                color = COLORS[i % len(COLORS)]
                self.plot.plot([p[0] for p in pts], [p[1] for p in pts], pen=pg.mkPen(color, width=2))
        if own > 0 or not self.log_x:
            dashed = pg.mkPen("#888", style=Qt.PenStyle.DashLine)
            self.plot.addItem(pg.InfiniteLine(self.to_plot(own), angle=90, pen=dashed))
        bottom = self.plot.getAxis("bottom")
        if self.log_x and series:
            lo, hi = math.floor(self.to_plot(series[0].xs[0])), math.ceil(self.to_plot(series[0].xs[-1]))
            bottom.setTicks([[(k, count_text(10**k)) for k in range(lo, hi + 1)]])
            ys = [self.y_plot(y) for s in series for y in s.ys if y]
            if ys:
                low, high = math.floor(min(ys)), math.ceil(max(ys))
                self.plot.getAxis("left").setTicks(
                    [[(k, money_text(10.0**k, 10.0**k)) for k in range(low, high + 1)]]
                )
        elif not self.log_x:
            bottom.setTicks([[(k / 4, f"{k * 25} %") for k in range(5)]])

    def values_at(self, x: float) -> str:
        """Every model's exact monthly cost at the x nearest to ``x`` (in plot units)."""
        if not self.series:
            return ""
        xs = self.series[0].xs
        i = min(range(len(xs)), key=lambda k: abs(self.to_plot(xs[k]) - x))
        label = rate_text(float(xs[i])) if self.log_x else hit_text(float(xs[i]))
        parts = [f"{s.model}: {formatting.usd(s.ys[i])}/month" for s in self.series]
        return "\n".join([label, *parts])

    def _hovered(self, event: tuple) -> None:
        pos = event[0]
        if self.plot.sceneBoundingRect().contains(pos):
            text = self.values_at(self.plot.getPlotItem().vb.mapSceneToView(pos).x())
            if text:
                QToolTip.showText(QCursor.pos(), text, self.plot)

    def restyle(self) -> None:
        follow_palette(self.plot)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.restyle()
        super().changeEvent(event)


class SensitivityChart(QWidget):
    """The legend (one entry per model, outside the plots) and the two plots side by side."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setAccessibleName("Sensitivity legend")
        self.by_rate = SensitivityPlot("Monthly cost by requests per day", log_x=True)
        self.by_hit = SensitivityPlot("Monthly cost by cache hit rate", log_x=False)
        plots = QHBoxLayout()
        plots.addWidget(self.by_rate, 1)
        plots.addWidget(self.by_hit, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.legend)
        layout.addLayout(plots, 1)

    def set_sensitivity(self, found: Sensitivity) -> None:
        self.legend.setText(
            " &nbsp; ".join(
                f"<span style='color:{COLORS[i % len(COLORS)]}'>━</span>&nbsp;{s.model}"
                for i, s in enumerate(found.by_rate)
            )
            + " &nbsp; <span style='color:#888'>┆</span>&nbsp;this workload"
        )
        self.by_rate.draw(found.by_rate, found.rate)
        self.by_hit.draw(found.by_hit_rate, found.hit_rate)
