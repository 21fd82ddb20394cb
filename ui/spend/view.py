"""Spend: the chosen range's cards, charts and per-model table, from the daily rollups (pyqtgraph,
loaded on first show). Every query and file write runs on the background pool."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.spend.charts import RANGES, month_running
from playground.spend.snapshot import Series, Snapshot, take
from ui.common.background import Background, Latest
from ui.common.heap import settle
from ui.common.sections import Sections
from ui.spend import drawing
from ui.spend.cache_card import TITLE as CACHE_TITLE
from ui.spend.cache_card import CacheCard
from ui.spend.cards import card_row, show_cards
from ui.spend.chart_panel import ChartPanel
from ui.spend.frames import Frames, Step
from ui.spend.model_table import SPEED, ModelTable
from ui.spend.panels import make_all
from ui.spend.saving import ReportSection, SpendSaver

ALL = "all models"


def so_far(period: str) -> str:
    """The period still running, as the legends name it."""
    return {"day": "today so far", "week": "this week so far"}.get(period, "this month so far")


class SpendView(QWidget):
    rangeShown = Signal(object, object)  # (first day, last day) of what the charts now show

    def __init__(self, background: Background, panels: list[ChartPanel] | None = None, parent=None):
        """``panels``: the six charts in ``ui.spend.panels.SPECS`` order, made beforehand in steps
        (ui/page_loader.py); made here at once when not given."""
        super().__init__(parent)
        self._background = background
        self._latest = Latest(background)
        self._frames = Frames(self)  # one chart per frame: six in one would hold the GUI thread
        settle()  # pyqtgraph and numpy just loaded: keep them out of full collections (ui/common/heap.py)
        self._core = None
        self._models_wanted = False
        self.data: Snapshot | None = None
        self.bar_items: list = []  # the spend chart's bars, one item per model
        self.report_sections: list[ReportSection] = []  # h-bills: the reconciliation adds itself here
        self.range = QComboBox()
        self.range.addItems(list(RANGES))
        self.range.setCurrentText("30 days")
        self.period = QComboBox()
        self.period.addItems(["day", "week", "month"])
        self.model = QComboBox()
        self.model.addItem(ALL)
        self.model.setMinimumWidth(160)
        self.latency_model = QComboBox()
        self.latency_model.setMinimumWidth(160)
        controls = (
            (self.range, "Range"),
            (self.period, "Bars per"),
            (self.model, "Model"),
            (self.latency_model, "Latency of"),
        )
        for combo, name in controls:
            combo.setAccessibleName(name)
            combo.setToolTip(name)
        self.export_button = QToolButton()
        self.export_button.setText("Export ▾")
        self.export_button.setAccessibleName("Export")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        menu.addAction("Table as CSV…", self.save_table_csv)
        menu.addAction("Monthly report (HTML)…", self.save_report)
        self.export_button.setMenu(menu)
        self.status = QLabel()
        self.status.setAccessibleName("Spend status")
        self._saver = SpendSaver(self, background, self.status)
        cards, self.cards = card_row()
        self.cache_card = CacheCard(self.cards[CACHE_TITLE], background)
        self.panels = panels if panels is not None else make_all()
        (
            self.spend_panel,
            self.month_panel,
            self.tokens_panel,
            self.latency_panel,
            self.ttft_panel,
            self.speed_panel,
        ) = self.panels
        self.table = ModelTable()
        bar = QHBoxLayout()
        self.chart_controls: list[QWidget] = []  # shown with the charts only: the bill has its own rows
        for combo, name in controls:
            label = QLabel(name)
            bar.addWidget(label)
            bar.addWidget(combo)
            if combo is not self.range:
                self.chart_controls += [label, combo]
        bar.addStretch(1)
        bar.addWidget(self.status)
        bar.addWidget(self.export_button)
        grid_widget = QWidget()
        grid = QGridLayout(grid_widget)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, panel in enumerate(self.panels):
            grid.addWidget(panel, i // 3, i % 3)
            panel.save_requested.connect(self.save_chart)
        # Equal cells whatever each chart holds: sized by their hints, the rows and columns moved as
        # "Loading…" gave way to plots and titles changed, and every move repainted each plot.
        for i in range(3):
            grid.setColumnStretch(i, 1)
        for i in range(2):
            grid.setRowStretch(i, 1)
        splitter = QSplitter()
        splitter.setOrientation(splitter.orientation().Vertical)
        splitter.addWidget(grid_widget)
        splitter.addWidget(self.table)
        splitter.setSizes([600, 260])  # the table shows a row per model without a drag
        recorded = QWidget()
        inner = QVBoxLayout(recorded)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(cards)
        inner.addWidget(splitter, 1)
        # Sections of the Spend page. h-bills: add the provider bill with
        # ``view.add_section("Provider bill", BillsPanel(...))`` (a tab beside "Recorded here").
        self.sections = Sections()
        self.sections.setAccessibleName("Spend sections")
        self.sections.addTab(recorded, "Recorded here")
        self.sections.currentChanged.connect(self._section_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.sections, 1)
        for combo in (self.range, self.period, self.model):
            combo.currentIndexChanged.connect(self.refresh)
        self.latency_model.currentIndexChanged.connect(self._draw_latency)
        self.table.model_clicked.connect(self.pick_model)
        self.spend_panel.clicked.connect(self._bar_clicked)

    def _section_changed(self, index: int) -> None:
        """Bars per, Model and Latency of act on the charts only; beside the bill they would mislead."""
        for widget in self.chart_controls:
            widget.setVisible(index == 0)

    def add_section(self, title: str, widget: QWidget) -> None:
        """Another section of the Spend page (a tab), e.g. the provider bill."""
        self.sections.addTab(widget, title)

    def set_core(self, core) -> None:
        self._core = core
        self._models_wanted = True  # read with the first answer, shown in its last frame (_drawn)
        self.refresh()

    def _set_models(self, models: list[str]) -> None:
        current = self.model.currentText()
        self.model.blockSignals(True)
        self.model.clear()
        self.model.addItem(ALL)
        self.model.addItems(models)
        self.model.setCurrentText(current if current in models else ALL)
        self.model.blockSignals(False)

    def pick_model(self, model: str) -> None:
        """Filter the charts and the table to ``model`` (from the table or a chart)."""
        if self.model.findText(model) < 0:
            self.model.addItem(model)
        self.model.setCurrentText(model)

    def refresh(self) -> None:
        core = self._core
        if core is None:
            return
        range_name, period = self.range.currentText(), self.period.currentText()
        models = [self.model.currentText()] if self.model.currentIndex() > 0 else None

        with_models = self._models_wanted

        def work() -> tuple[Snapshot, list[str] | None]:
            known = core.history.distinct("model") if with_models else None
            return take(core.reports, core.budgets.get, range_name, period, models), known

        self._latest.submit(work, lambda answer: self._draw(*answer), self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(f"Could not read the history: {exc}")

    @property
    def drawing(self) -> bool:
        """Charts of the newest answer are still being drawn (one per frame)."""
        return self._frames.busy

    def _hold(self, panel: ChartPanel) -> QWidget:
        """Hold ``panel``'s paints until its draw is done (ui/spend/frames.py): its whole stack, so a
        plot first shown in place of "Loading…" is painted once, when released, not also as it shows;
        returns the plot's viewport, whose paint the next chart waits for."""
        self._frames.hold(panel.stack)
        return panel.plot.viewport()

    def _draw(self, data: Snapshot, known_models: list[str] | None = None) -> None:
        """Draw ``data`` one chart per frame (six frames, then the table and cards);
        ``self.data`` and the table and cards change last, so anything that waits for them sees
        every chart of the same answer. ``known_models`` (the Model filter's list) is shown in that
        last frame too: read apart and shown as it came, its repaint sometimes fell in a chart's
        frame ahead of that chart's layout, and the chart was painted twice (a flaky CI failure of
        test_on_the_first_open_each_chart_is_painted_once)."""
        duration, ttft, speed = self._latency_steps(data)

        def spend() -> QWidget:
            held = self._hold(self.spend_panel)
            self._draw_spend(data)
            return held

        def tokens() -> QWidget:
            held = self._hold(self.tokens_panel)
            self._draw_tokens(data)
            return held

        def month() -> QWidget:
            held = self._hold(self.month_panel)
            self._draw_month(data)
            return held

        # the table and cards in a frame of their own, after the last chart's paint (with it, their
        # first paint made the frame ~19 ms on a first open)
        # the latency combo before the latency charts, which draw its choice; in a frame of its own,
        # as the bar it sits in is laid out and painted again
        latency_models = lambda: self._set_latency_models(data)  # noqa: E731
        self._frames.run(
            [
                spend,
                tokens,
                month,
                latency_models,
                duration,
                ttft,
                speed,
                lambda: self._drawn(data, known_models),
            ]
        )

    def _drawn(self, data: Snapshot, known_models: list[str] | None) -> None:
        if known_models is not None:
            self._models_wanted = False
            self._set_models(known_models)
        self.data = data
        self.table.set_rows(data.models)
        show_cards(self.cards, data.cards)
        models = [self.model.currentText()] if self.model.currentIndex() > 0 else None
        self.cache_card.show_for(self._core, data.since, data.until, models)
        self.status.setText("")
        self.rangeShown.emit(data.since, data.until)

    def _draw_spend(self, data: Snapshot) -> None:
        panel, bars = self.spend_panel, data.bars
        panel.clear()
        panel.set_empty(data.empty)  # first: shown, the plot is resized, then ranged below
        colors = {m: drawing.COLORS[i % len(drawing.COLORS)] for i, m in enumerate(sorted(bars.layers))}
        self.bar_items = drawing.bars(panel, bars, data.period, colors, data.partial_last)
        unpriced = sum(bars.unpriced)
        legend = [(m, colors[m], "bar") for m in sorted(bars.layers) if any(bars.layers[m])]
        panel.set_legend(legend)
        if unpriced:
            panel.legend.setText(
                panel.legend.text() + f"&nbsp;&nbsp; (priced calls; {unpriced:,} unpriced not shown)"
            )
        if data.partial_last and legend:
            panel.legend.setText(panel.legend.text() + f"&nbsp;&nbsp; (paler: {so_far(data.period)})")
        if not legend and not data.empty:  # calls, but no dollar to draw: said, on a fresh axis
            note = f"{unpriced:,} unpriced calls, not shown" if unpriced else "every call here cost $0"
            panel.legend.setText(f"No priced spend in this range: {note}")
            panel.plot.getPlotItem().vb.setYRange(0, 1)
        panel.title.setText(f"<b>Spend per {data.period}</b>")
        drawing.x_range(panel, data.first, data.until, data.period)

    def _draw_tokens(self, data: Snapshot) -> None:
        panel = self.tokens_panel
        panel.clear()
        panel.set_empty(data.empty)
        x = drawing.centers(data.bars.x, data.period)
        drawing.lines(
            panel,
            [("in", x, data.tokens_in), ("out", x, data.tokens_out)],
            [drawing.COLORS[0], drawing.COLORS[1]],
            data.partial_last,
        )
        if data.partial_last and len(x) > 1:
            panel.legend.setText(panel.legend.text() + f"&nbsp;&nbsp; (dashed: {so_far(data.period)})")
        panel.title.setText(f"<b>Tokens in and out per {data.period}</b>")
        panel.reach_s = 0.5 * drawing.PERIOD_DAYS[data.period] * drawing.DAY_S
        drawing.x_range(panel, data.first, data.until, data.period)

    def _draw_month(self, data: Snapshot) -> None:
        panel = self.month_panel
        panel.clear()
        panel.set_empty(not data.month_rows)
        running = month_running(data.month_rows, data.until, data.cards.pace)
        label = data.until.strftime("%B %Y")
        panel.title.setText(f"<b>{label}: spend so far, and the pace to its end</b>")
        drawing.month(panel, running, data.budgets.monthly, label, data.cards.pace.too_early)

    def _set_latency_models(self, data: Snapshot) -> None:
        names = [r.model for r in sorted(data.models, key=lambda r: -r.calls) if r.p50_ms is not None]
        current = self.latency_model.currentText()
        self.latency_model.blockSignals(True)
        self.latency_model.clear()
        self.latency_model.addItems(names)
        if current in names:
            self.latency_model.setCurrentText(current)
        self.latency_model.blockSignals(False)

    def _draw_latency(self) -> None:
        """Another model picked for the latency charts: redraw those three, one per frame."""
        if self.data is not None:
            self._frames.run(self._latency_steps(self.data))

    def _latency_steps(self, data: Snapshot) -> list[Step]:
        """The duration, first-token and speed charts of the model the combo names when each is drawn;
        each step returns the plot the next one waits to see painted."""

        def duration() -> QWidget:
            held = self._hold(self.latency_panel)
            self._draw_band(self.latency_panel, data, data.latency, "Duration")
            return held

        def ttft() -> QWidget:
            held = self._hold(self.ttft_panel)
            self._draw_band(self.ttft_panel, data, data.ttft, "First token")
            return held

        def speed() -> QWidget:
            held = self._hold(self.speed_panel)
            self._draw_speed(data)
            return held

        return [duration, ttft, speed]

    def _draw_band(self, panel: ChartPanel, data: Snapshot, bands: dict[str, Series], what: str) -> None:
        model = self.latency_model.currentText()
        panel.clear()
        band = bands.get(model, Series())
        panel.set_empty(not band.x)
        drawing.band(panel, model, band.x, band.y, band.high)
        panel.title.setText(f"<b>{what} of {model or '–'} per day</b>")
        drawing.x_range(panel, data.since, data.until, "day")

    def _draw_speed(self, data: Snapshot) -> None:
        model = self.latency_model.currentText()
        self.speed_panel.clear()
        speed = data.speed.get(model, Series())
        self.speed_panel.set_empty(not speed.x)
        drawing.lines(self.speed_panel, [(model, speed.x, speed.y)], [drawing.COLORS[2]], gap_s=drawing.GAP_S)
        self.speed_panel.title.setText(f"<b>Output tokens/s of {model or '–'}</b>")
        self.speed_panel.title.setToolTip(
            SPEED + "; no point, and a break in the line, on a day without such a call"
        )
        drawing.x_range(self.speed_panel, data.since, data.until, "day")

    def _bar_clicked(self, x: float, y: float) -> None:
        """A click on a bar's layer picks its model (which filters the table and the charts)."""
        for item in self.bar_items:
            o = item.opts
            for cx, h, y0 in zip(o["x"], o["height"], o["y0"], strict=True):
                if abs(cx - x) <= o["width"] / 2 and y0 <= y <= y0 + h:
                    self.pick_model(o["name"])
                    return

    def save_chart(self, kind: str, name: str) -> None:
        self._saver.chart(kind, next(p for p in self.panels if p.name == name))

    def save_png(self) -> None:
        """The spend chart as PNG (kept for the toolbar's old action)."""
        self.save_chart("png", self.spend_panel.name)

    def save_table_csv(self) -> None:
        self._saver.table_csv(self.table.rows)

    def save_report(self) -> None:
        if self.data is not None:
            self._saver.report(self.data, self.panels, list(self.report_sections), self._core)
