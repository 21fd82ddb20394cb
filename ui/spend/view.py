"""Spend: money, latency and tokens over time from the daily rollups (pyqtgraph, loaded on first show)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pyqtgraph as pg
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from playground import formatting
from playground.spend.charts import RANGES, cumulative, latency_lines, range_start, stacked, timestamp
from ui.common.background import Background

COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")
DAY_S = 86_400
WIDTH = {"day": 0.8 * DAY_S, "week": 5.6 * DAY_S, "month": 24 * DAY_S}


def _plot(title: str, units: str) -> pg.PlotWidget:
    from PySide6.QtWidgets import QApplication

    palette = QApplication.palette()
    plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem()})
    plot.setBackground(palette.base().color())  # follow the system's light or dark palette
    ink = palette.text().color()
    for name in ("left", "bottom"):
        plot.getAxis(name).setPen(ink)
        plot.getAxis(name).setTextPen(ink)
    plot.setTitle(title, color=ink.name())
    plot.setLabel("left", units)
    plot.showGrid(x=True, y=True, alpha=0.2)
    plot.addLegend(offset=(10, 5), labelTextColor=ink, brush=pg.mkBrush(palette.base().color()))
    plot.setMouseEnabled(x=True, y=False)
    return plot


class SpendView(QWidget):
    def __init__(self, background: Background, parent=None):
        super().__init__(parent)
        self._background = background
        self._core = None
        self.range = QComboBox()
        self.range.addItems(list(RANGES))
        self.range.setCurrentText("30 days")
        self.period = QComboBox()
        self.period.addItems(["day", "week", "month"])
        self.model = QComboBox()
        self.model.setMinimumWidth(160)
        for combo, name in ((self.range, "Range"), (self.period, "Bars per"), (self.model, "Model")):
            combo.setAccessibleName(name)
            combo.setToolTip(name)
        self.save_button = QPushButton("Save chart as PNG…")
        self.cards = {
            name: QLabel("–")
            for name in (
                "This month",
                "Projected month end",
                "Top model",
                "Average per call",
                "Calls this month",
                "Error rate",
            )
        }
        self.spend_plot = _plot("Spend by model", "USD")
        self.cumulative_plot = _plot("Cumulative spend", "USD")
        self.latency_plot = _plot("Duration p50, p95 dashed", "ms")
        self.ttft_plot = _plot("First token p50, p95 dashed", "ms")
        self.speed_plot = _plot("Output tok/s (of call time)", "tok/s")
        self.tokens_plot = _plot("Tokens in and out", "tokens")
        self.hover = QLabel("Hover over a chart to see its values.")
        self.hover.setAccessibleName("Chart values")
        bar = QHBoxLayout()
        for label, w in (("Range", self.range), ("Bars per", self.period), ("Model", self.model)):
            bar.addWidget(QLabel(label))
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        cards = QHBoxLayout()
        for name, label in self.cards.items():
            box = QVBoxLayout()
            title = QLabel(f"<small>{name}</small>")
            label.setAccessibleName(name)
            box.addWidget(title)
            box.addWidget(label)
            cards.addLayout(box)
        grid = QGridLayout()
        grid.addWidget(self.spend_plot, 0, 0)
        grid.addWidget(self.cumulative_plot, 0, 1)
        grid.addWidget(self.latency_plot, 1, 0)
        grid.addWidget(self.ttft_plot, 1, 1)
        grid.addWidget(self.tokens_plot, 0, 2)
        grid.addWidget(self.speed_plot, 1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addLayout(cards)
        layout.addLayout(grid, 1)
        layout.addWidget(self.hover)
        for combo in (self.range, self.period, self.model):
            combo.currentIndexChanged.connect(self.refresh)
        self.save_button.clicked.connect(self.save_png)
        self._moves = []
        for plot in (
            self.spend_plot,
            self.cumulative_plot,
            self.latency_plot,
            self.ttft_plot,
            self.tokens_plot,
            self.speed_plot,
        ):
            self._moves.append(
                pg.SignalProxy(
                    plot.scene().sigMouseMoved, rateLimit=30, slot=lambda ev, p=plot: self._hovered(p, ev[0])
                )
            )
        self._series: dict[int, list[tuple[str, list[float], list[float]]]] = {}
        self._unpriced: dict[int, tuple[list[float], list[int]]] = {}  # plot → x, calls without a price

    def set_core(self, core) -> None:
        self._core = core
        self._background.submit(lambda: core.history.distinct("model"), self._set_models)
        self.refresh()

    def _set_models(self, models: list[str]) -> None:
        self.model.blockSignals(True)
        self.model.clear()
        self.model.addItem("all models")
        self.model.addItems(models)
        self.model.blockSignals(False)

    def refresh(self) -> None:
        core = self._core
        if core is None:
            return
        since_of = self.range.currentText()
        period = self.period.currentText()
        models = [self.model.currentText()] if self.model.currentIndex() > 0 else None

        def work():
            reports = core.reports
            today = reports.clock.today()  # the user's local day (setting or system zone)
            since = range_start(since_of, today)
            return (
                reports.spend(since, today, period=period, by="model", models=models),
                reports.spend(since, today, period="day", by=None, models=models),
                reports.latency(since, today, models=models),
                reports.latency(since, today, metric="ttft_ms", models=models),
                reports.speed(since, today, models=models),
                reports.cards(today),
                core.budgets.get(),
            )

        self._background.submit(work, self._draw)

    def _draw(self, data) -> None:
        spend_rows, daily, latency, ttft, speed, cards, budgets = data
        period = self.period.currentText()
        self._series = {}
        self.spend_plot.clear()
        bars = stacked(spend_rows)
        base = [0.0] * len(bars.x)
        series = []
        for i, (key, values) in enumerate(sorted(bars.layers.items())):
            color = COLORS[i % len(COLORS)]
            item = pg.BarGraphItem(
                x=bars.x, height=values, y0=base, width=WIDTH[period], brush=color, name=key
            )
            self.spend_plot.addItem(item)
            base = [b + v for b, v in zip(base, values, strict=True)]
            series.append((key, bars.x, values))
        self._series[id(self.spend_plot)] = series
        self._unpriced = {id(self.spend_plot): (bars.x, bars.unpriced)}
        unpriced = sum(bars.unpriced)
        self.spend_plot.setTitle(
            f"Spend by model (priced calls; {unpriced:,} unpriced not shown)"
            if unpriced
            else "Spend by model"
        )
        self.cumulative_plot.clear()
        running = cumulative(daily)
        x, y = running.x, running.y
        self.cumulative_plot.plot(x, y, pen=pg.mkPen(COLORS[0], width=2), name="spent (at least)")
        self._series[id(self.cumulative_plot)] = [("spent", x, y)]
        self._unpriced[id(self.cumulative_plot)] = (x, running.unpriced)
        projected, so_far = cards.projected_month.priced, cards.this_month.priced
        if x and projected > so_far:
            # This month's pace carried to its last day, from where spend stands now.
            import calendar

            today = date.today()
            last = today.replace(day=calendar.monthrange(today.year, today.month)[1])
            end_total = y[-1] + float(projected - so_far)
            self.cumulative_plot.plot(
                [x[-1], timestamp(last)],
                [y[-1], end_total],
                pen=pg.mkPen(COLORS[0], style=pg.QtCore.Qt.PenStyle.DotLine),
                name="projected month end",
            )
        if budgets.monthly is not None:
            self.cumulative_plot.addItem(
                pg.InfiniteLine(
                    pos=float(budgets.monthly),
                    angle=0,
                    pen=pg.mkPen("#d62728", style=pg.QtCore.Qt.PenStyle.DashLine),
                    label=f"monthly budget {formatting.usd(budgets.monthly)}",
                )
            )
        for plot, rows in ((self.latency_plot, latency), (self.ttft_plot, ttft)):
            plot.clear()
            lat = []
            for i, (model, (lx, p50, p95)) in enumerate(sorted(latency_lines(rows).items())):
                color = COLORS[i % len(COLORS)]
                plot.plot(lx, p50, pen=pg.mkPen(color, width=2), name=model)
                plot.plot(lx, p95, pen=pg.mkPen(color, style=pg.QtCore.Qt.PenStyle.DashLine))
                lat += [(f"{model} median", lx, p50), (f"{model} p95", lx, p95)]
            self._series[id(plot)] = lat
        self.tokens_plot.clear()
        tokens_in, tokens_out = stacked(spend_rows, "input_tokens"), stacked(spend_rows, "output_tokens")
        self.tokens_plot.plot(
            tokens_in.x,
            tokens_in.totals(),
            pen=pg.mkPen(COLORS[0], width=2),
            name="in",
            symbol="o",
            symbolSize=4,
        )
        self.tokens_plot.plot(
            tokens_out.x,
            tokens_out.totals(),
            pen=pg.mkPen(COLORS[1], width=2),
            name="out",
            symbol="o",
            symbolSize=4,
        )
        self._series[id(self.tokens_plot)] = [
            ("in", tokens_in.x, tokens_in.totals()),
            ("out", tokens_out.x, tokens_out.totals()),
        ]
        self.speed_plot.clear()
        lines: dict[str, tuple[list[float], list[float]]] = {}
        for day, model, rate in speed:
            xs, ys = lines.setdefault(model, ([], []))
            xs.append(timestamp(date.fromisoformat(day)))
            ys.append(rate)
        for i, (model, (xs, ys)) in enumerate(sorted(lines.items())):
            self.speed_plot.plot(xs, ys, pen=pg.mkPen(COLORS[i % len(COLORS)], width=2), name=model)
        self._series[id(self.speed_plot)] = [(m, xs, ys) for m, (xs, ys) in sorted(lines.items())]
        self._show_cards(cards)

    def _show_cards(self, cards) -> None:
        self.cards["This month"].setText(f"<b>{cards.this_month.text()}</b>")
        self.cards["Projected month end"].setText(cards.projected_month.text())
        self.cards["Top model"].setText(cards.top_model or "–")
        self.cards["Average per call"].setText(
            formatting.usd(cards.average_per_call) if cards.average_per_call is not None else "–"
        )
        self.cards["Calls this month"].setText(f"{cards.calls:,}")
        self.cards["Error rate"].setText(f"{cards.error_rate:.1%}" if cards.error_rate is not None else "–")

    def values_at(self, plot, x: float) -> str:
        """The values nearest to ``x`` on ``plot``, as one line of text (for hovering)."""
        parts = []
        for name, xs, ys in self._series.get(id(plot), []):
            if not xs:
                continue
            i = min(range(len(xs)), key=lambda k: abs(xs[k] - x))
            if abs(xs[i] - x) <= 3.5 * DAY_S * (7 if self.period.currentText() != "day" else 1):
                day = date.fromtimestamp(xs[i]).isoformat()
                value = ys[i]
                shown = (
                    formatting.usd(Decimal(str(round(value, 6))))
                    if plot in (self.spend_plot, self.cumulative_plot)
                    else f"{value:,.0f}"
                )
                parts.append(f"{name} {shown}")
                label_day = day
        ux, counts = self._unpriced.get(id(plot), ([], []))
        if parts and ux:
            i = min(range(len(ux)), key=lambda k: abs(ux[k] - x))
            if counts[i]:
                parts.append(f"{counts[i]:,} unpriced")
        return f"{label_day}: " + " · ".join(parts) if parts else ""

    def _hovered(self, plot, pos) -> None:
        if plot.sceneBoundingRect().contains(pos):
            x = plot.getPlotItem().vb.mapSceneToView(pos).x()
            text = self.values_at(plot, x)
            if text:
                self.hover.setText(text)

    def save_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save chart", "spend.png", "PNG image (*.png)")
        if path:
            self.grab().save(path, "PNG")
