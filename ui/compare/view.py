"""Compare: 2 to 6 columns over the shared prompt, run at once, with forecast, summary and blind votes."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from playground.compare.columns import MAX_COLUMNS, Column, CompareSet
from playground.pricing.money import Money
from ui.common.plan_seed import request_seed
from ui.compare.budget_gate import BudgetGate
from ui.compare.column import CompareColumn
from ui.compare.header_align import HeaderAligner
from ui.compare.metrics_grid import MetricsGrid
from ui.compare.session import CompareSession, PromptSnapshot, shuffled_order
from ui.compare.tool_loop import ToolLoop
from ui.compare.toolbar import CompareToolbar, ForecastRow, PromptLine
from ui.compare.view_files import CompareFiles
from ui.shortcuts import SEND_TOOL_RESULTS

if TYPE_CHECKING:
    from playground.spend.forecast import Forecast
    from ui.compare.diff_dialog import DiffDialog
    from ui.compare.group_dialog import GroupDialog
    from ui.compare.leaderboard_dialog import LeaderboardDialog
    from ui.compare.sweep_dialog import SweepDialog

FORECAST_DEBOUNCE_MS = 300


class CompareView(QWidget):
    restorePrompt = Signal(str, list)  # system, messages of a comparison reopened from history
    codeRequested = Signal(object)  # Column
    editPromptRequested = Signal()  # the prompt is written in Playground mode
    planRequested = Signal(object)  # a PlanSeed of the columns' models at the run's measured sizes
    # opened by CompareFiles
    sweep_dialog: SweepDialog
    diff_dialog: DiffDialog
    leaderboard_dialog: LeaderboardDialog
    group_dialog: GroupDialog

    def __init__(
        self,
        compare: CompareSession,
        prompt: Callable[[], PromptSnapshot | None],
        current_model: Callable[[], tuple[str, str] | None],
        parent=None,
    ):
        super().__init__(parent)
        self.compare = compare
        self._prompt = prompt
        self._current_model = current_model
        self.columns: list[CompareColumn] = []
        self._order: list[int] | None = None  # display order while blind
        self._voting: CompareColumn | None = None  # the column voted for, until the vote is saved
        self._base: dict | None = None  # the shared parameters, shown above each column's overrides

        self.toolbar = CompareToolbar(compare.parallel, compare.per_endpoint)
        self.repeats = self.toolbar.repeats  # read by run_all, saved sets and tests
        self.blind = self.toolbar.blind
        self.parallel = self.toolbar.parallel
        self.budget = self.toolbar.budget

        self.prompt_line = PromptLine()
        self.prompt_line.linkActivated.connect(lambda _: self.editPromptRequested.emit())
        self.forecast_row = ForecastRow(self.budget)
        self.forecast = self.forecast_row.forecast
        self.warning = self.forecast_row.warning
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Summary")
        inner = QWidget()
        self._grid = QGridLayout(inner)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setVerticalSpacing(0)
        self._grid.setRowStretch(0, 1)  # the answers take the height; the metrics rows keep theirs
        self.metrics = MetricsGrid(self._grid, inner)
        self._headers = HeaderAligner(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.scroll = scroll
        self.empty = QLabel(
            "A comparison runs one prompt on several models or parameter sets at once.<br>"
            "Pick a model at the top and press <b>+ Column</b> (twice or more), or "
            "<b>Sweep…</b> to try one parameter at several values."
        )
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.prompt_line)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.forecast_row)
        layout.addWidget(self.empty)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.summary)

        self._forecast_timer = QTimer(self)
        self._forecast_timer.setSingleShot(True)
        self._forecast_timer.setInterval(FORECAST_DEBOUNCE_MS)
        self._forecast_timer.timeout.connect(self._request_forecast)
        self._forecast: Forecast | None = None
        self.gate = BudgetGate(self, self.summary)
        self.files = CompareFiles(self)
        self.loop = ToolLoop(self)
        bar = self.toolbar
        bar.results_button.clicked.connect(self.loop.send)
        send = QShortcut(QKeySequence(SEND_TOOL_RESULTS), self)
        send.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        send.activated.connect(self.loop.send)
        bar.add_button.clicked.connect(self.add_current)
        bar.sweep_button.clicked.connect(self.files.open_sweep)
        bar.run_button.clicked.connect(self.run_all)
        bar.stop_button.clicked.connect(compare.stop_all)
        bar.plan_button.clicked.connect(self.plan_models)
        bar.repeats.valueChanged.connect(self.schedule_forecast)
        bar.blind.toggled.connect(self._blind_toggled)
        bar.budget.textChanged.connect(self._show_forecast)
        bar.parallel.valueChanged.connect(lambda v: setattr(compare, "parallel", v))
        bar.per_endpoint.valueChanged.connect(lambda v: setattr(compare, "per_endpoint", v))
        bar.repeats_parallel.toggled.connect(lambda on: setattr(compare, "repeats_in_parallel", on))
        bar.diff_button.triggered.connect(self.open_diff)
        bar.save_button.triggered.connect(self.save)
        bar.open_button.triggered.connect(self.open)
        bar.history_button.triggered.connect(self.files.open_from_history)
        bar.board_button.triggered.connect(self.open_leaderboard)
        compare.forecastReady.connect(self._forecast_ready)
        compare.progress.connect(self._progress)
        compare.finished.connect(self._finished)
        compare.voted.connect(self._voted)
        compare.stopAsked.connect(lambda: self.gate.drop("stopped"))
        compare.session.coreReady.connect(self._update_buttons)  # a history that cannot record: off
        self._update_buttons()

    # columns

    def specs(self) -> list[Column]:
        return [c.column() for c in self.columns]

    def set_columns(self, columns: list[Column]) -> None:
        for widget in self.columns:
            self.metrics.remove(widget)
            self._headers.unwatch(widget.header)
            widget.deleteLater()
        self.columns = []
        self._order = None
        for column in columns[:MAX_COLUMNS]:
            self._insert(column)
        self._after_change()

    def add_column(self, column: Column) -> CompareColumn | None:
        if len(self.columns) >= MAX_COLUMNS:
            return None
        widget = self._insert(column)
        self._after_change()
        return widget

    def add_current(self) -> None:
        current = self._current_model()
        if current is not None:
            self.add_column(Column(*current))

    def _insert(self, column: Column, at: int | None = None) -> CompareColumn:
        widget = CompareColumn(column, self._specs(column.endpoint))
        if self._base is not None:
            widget.overrides.set_base(self._base)
        widget.duplicateRequested.connect(self._duplicate)
        widget.removeRequested.connect(self._remove)
        widget.codeRequested.connect(lambda w: self.codeRequested.emit(w.column()))
        widget.voteRequested.connect(self._vote)
        widget.changed.connect(self.schedule_forecast)
        index = len(self.columns) if at is None else at
        self.columns.insert(index, widget)
        self.metrics.add(widget)
        self._headers.watch(widget.header)
        return widget

    def _duplicate(self, widget: CompareColumn) -> None:
        if len(self.columns) < MAX_COLUMNS:
            self._insert(widget.column(), self.columns.index(widget) + 1)
            self._after_change()

    def _remove(self, widget: CompareColumn) -> None:
        self.columns.remove(widget)
        self._grid.removeWidget(widget)
        self.metrics.remove(widget)
        self._headers.unwatch(widget.header)
        widget.deleteLater()
        self._after_change()

    def shown(self) -> list[CompareColumn]:
        """The columns in display order (shuffled while blind)."""
        if self._order is None:
            return list(self.columns)
        return [self.columns[i] for i in self._order]

    def _after_change(self) -> None:
        self.loop.clear()
        self.empty.setVisible(not self.columns)
        self.metrics.place(self.shown())
        self.metrics.set_visible(False)
        self.summary.clear()
        self.gate.drop("the columns changed while its forecast was worked out")
        self._update_buttons()
        self.schedule_forecast()

    # forecast

    def schedule_forecast(self) -> None:
        self._forecast_timer.start()

    def _specs(self, endpoint_name: str):
        """The parameters a column on ``endpoint_name`` can override (its API's)."""
        from playground.llm.params import specs_for

        endpoint = self.compare.session.endpoint(endpoint_name)
        return specs_for(endpoint.api if endpoint is not None else "openai")

    def _request_forecast(self) -> None:
        prompt = self._prompt()
        self.prompt_line.show_prompt(prompt)
        if prompt is not None:
            self._base = dict(prompt.params)
            for widget in self.columns:
                widget.overrides.set_base(self._base)
        if prompt is not None and self.columns:
            self.gate.asked(self.compare.request_forecast(self.specs(), prompt, self.repeats.value()))
        else:
            self.gate.asked(False)
        self._update_buttons()

    def _forecast_ready(self, value) -> None:
        if self.gate.came(self.specs()):  # the forecast of what Run all was pressed for
            QTimer.singleShot(0, self.run_all)  # after the forecast shows, not inside its signal
        if isinstance(value, str):
            self._forecast = None
            self.forecast_row.show_error(value)
            return
        self._forecast = value
        self._show_forecast()

    def _show_forecast(self) -> None:
        if self._forecast is not None:
            self.forecast_row.show_forecast(self._forecast, self.budget.text(), self.compare.session.budget)

    # running

    def run_all(self) -> None:
        prompt = self._prompt()
        if self.compare.session.refusal():  # Run all is off then, and its tooltip says why
            return
        if prompt is None or len(self.columns) < 1 or self.compare.running or not self._within_budget():
            return
        repeats = self.repeats.value()
        for widget in self.columns:
            widget.reset(repeats)
        self.metrics.set_visible(False)
        self.summary.setText("Running…")
        blind = self.blind.isChecked() and len(self.columns) > 1
        if blind:
            self._go_blind()
        elif self._order is not None:
            self._reveal()
        if self.compare.run_all(self.specs(), prompt, repeats, blind=blind):
            self.loop.started(prompt, len(self.columns), repeats)
            self._update_buttons()

    def _within_budget(self) -> bool:
        return self.gate.allows(
            self.specs(),
            self._forecast,
            self.budget.text(),
            self.compare.session.budget,
            self._forecast_timer.isActive(),
        )

    def _progress(self, column: int, repeat: int, drained) -> None:
        if column < len(self.columns):
            self.columns[column].progress(repeat, drained)

    def _finished(self) -> None:
        self._show_metrics()
        self._update_buttons()
        self.schedule_forecast()  # the typical cost now includes these calls

    def _show_metrics(self) -> None:
        """The metrics table and a one-line summary that names no column (the table does)."""
        shown = self.shown()
        results = [w.results() for w in shown]
        blind = self._order is not None
        self.metrics.show_results(
            shown, [w.short_name() for w in shown], results, self.repeats.value(), blind
        )
        done = [r for rs in results for r in rs if r is not None]
        ok = sum(r.status == "ok" for r in done)
        text = f"{ok} of {len(done)} calls ok."
        if blind:
            text += " <b>Blind:</b> pick the best answer to reveal the models and their figures."
        else:
            # "at least $X · N calls unpriced" as History and Spend say it, not "unknown" for all
            total = Money.sum(Money.of(r.cost.total if r.cost else None) for r in done)
            estimated = any(r.cost is not None and r.cost.estimated for r in done)
            text += f" Cost of this comparison: {total.text(estimated)}."
            text += " Best per row in bold." if ok else ""
        self.summary.setText(text)

    def _update_buttons(self) -> None:
        refused = self.compare.session.refusal()  # a history that cannot record calls: Run all is off
        self.toolbar.update_buttons(
            len(self.columns), self.compare.running, self.prompt_line.has_prompt, refused
        )
        self.toolbar.results_button.setVisible(bool(self.loop.pending()) and not self.compare.running)
        done = any(r is not None for w in self.columns for r in w.results())
        # blind: a plan would name the models before the vote
        self.toolbar.plan_button.setEnabled(done and not self.compare.running and self._order is None)

    def plan_models(self) -> None:
        """The columns' models at the token sizes the run measured."""
        models, results = [(c.endpoint, c.model) for c in self.specs()], [w.results() for w in self.columns]
        request_seed(
            self.compare.session.background,
            lambda sources: sources.from_compare(models, results),
            self.planRequested.emit,
            lambda exc: self.summary.setText(html.escape(f"Cannot plan: {exc}")),
        )

    # blind mode

    def _go_blind(self) -> None:
        self._order = shuffled_order(len(self.columns))
        for slot, widget in enumerate(self.shown()):
            widget.set_blind(f"Model {chr(ord('A') + slot)}")
        self.metrics.place(self.shown())
        self.forecast_row.set_blind(True)

    def _vote(self, widget: CompareColumn) -> None:
        if self.compare.running:
            return
        self._voting = widget
        self.compare.vote(widget.real_name(), [w.real_name() for w in self.columns])

    def _voted(self, winner: str) -> None:
        """Reveal, and mark the pick: back in their first order the user lost track of it."""
        widget, self._voting = self._voting, None
        picked = widget.blind_name if widget is not None and widget in self.columns else None
        self._reveal()
        if widget is not None and picked is not None:
            widget.set_pick(picked)
        self._show_metrics()
        self.summary.setText(
            self.summary.text()
            + f"<br>Your pick{f' ({picked})' if picked else ''}: <b>{html.escape(winner)}</b>"
            " (vote saved; see the leaderboard)."
        )

    def _blind_toggled(self, on: bool) -> None:
        if not on:  # blind mode left: the last vote's pick is no longer marked
            for widget in self.columns:
                widget.set_pick(None)

    def _reveal(self) -> None:
        for widget in self.columns:
            widget.set_blind(None)
        self._order = None
        self.metrics.place(self.shown())
        self.forecast_row.set_blind(False)
        self._update_buttons()

    # dialogs and files (ui/compare/view_files.py)

    def open_diff(self) -> None:
        self.files.open_diff()

    def open_leaderboard(self) -> None:
        self.files.open_leaderboard()

    def save(self) -> None:
        self.files.save()

    def open(self) -> None:
        self.files.open()

    def load_group(self, group_id: str) -> None:
        """Reopen a comparison from history (read in the background): prompt, columns and answers."""
        self.files.load_group(group_id)

    def compare_set(self) -> CompareSet:
        return CompareSet(self.specs(), self.repeats.value(), self.blind.isChecked())

    def apply_set(self, saved: CompareSet) -> None:
        self.repeats.setValue(saved.repeats)
        self.blind.setChecked(saved.blind)
        self.set_columns(saved.columns)
