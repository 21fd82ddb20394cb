"""The controls above the Compare columns: the prompt line, the toolbar (add, sweep, run, stop and a
"More" menu), the options row (repeats, blind, concurrency, budget) and the forecast with its warning."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground import formatting
from playground.compare.columns import MAX_REPEATS
from ui.compare.session import budget_from_text

if TYPE_CHECKING:
    from playground.spend.budgets import BudgetStatus
    from playground.spend.forecast import Forecast
    from ui.compare.session import PromptSnapshot

PROMPT_PREVIEW = 140  # characters of the prompt shown above the columns
WARNING_STYLE = "QLabel { color: #c9302c; font-weight: bold; }"


class PromptLine(QLabel):
    """The prompt being compared (written in Playground mode), with a link back to edit it."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAccessibleName("Prompt being compared")
        self.show_prompt(None)

    def show_prompt(self, prompt: PromptSnapshot | None) -> None:
        edit = '<a href="edit">Edit in Playground</a>'
        if prompt is None:
            self.setText(f"<b>Prompt:</b> none yet. {edit}")
            return
        text = " ".join(prompt.messages[-1].content.split())
        short = text if len(text) <= PROMPT_PREVIEW else text[: PROMPT_PREVIEW - 1] + "…"
        turns = len(prompt.messages)
        more = f" ({turns} messages)" if turns > 1 else ""
        self.setText(f"<b>Prompt{more}:</b> {html.escape(short)} · {edit}")


class CompareToolbar(QWidget):
    """The buttons and options; CompareView connects them."""

    def __init__(self, parallel: int, per_endpoint: int, parent=None):
        super().__init__(parent)
        self.add_button = QPushButton("+ Column")
        self.add_button.setToolTip("Add a column with the model picked at the top")
        self.sweep_button = QPushButton("Sweep…")
        self.sweep_button.setToolTip("One column per value of a parameter")
        self.run_button = QPushButton("Run all")
        self.run_button.setToolTip("Send the prompt to every column at once (Ctrl+Enter)")
        self.stop_button = QPushButton("Stop all")
        self.repeats = QSpinBox()
        self.repeats.setRange(1, MAX_REPEATS)
        self.repeats.setPrefix("× ")
        self.repeats.setToolTip("Run every column this many times")
        self.repeats.setAccessibleName("Repeat each column")
        self.blind = QCheckBox("Blind")
        self.blind.setToolTip("Hide model names and shuffle the columns until you pick the best answer")
        self.parallel = QSpinBox()
        self.parallel.setRange(1, 24)
        self.parallel.setValue(parallel)
        self.parallel.setPrefix("parallel ")
        self.parallel.setToolTip("How many calls may run at once")
        self.parallel.setAccessibleName("Calls at once")
        self.per_endpoint = QSpinBox()
        self.per_endpoint.setRange(1, 24)
        self.per_endpoint.setValue(per_endpoint)
        self.per_endpoint.setPrefix("per endpoint ")
        self.per_endpoint.setToolTip("How many calls may run at once on one endpoint")
        self.per_endpoint.setAccessibleName("Calls at once per endpoint")
        self.repeats_parallel = QCheckBox("Repeats in parallel")
        self.repeats_parallel.setToolTip(
            "Run a column's repeats at once (faster, but they compete, so their timings spread more)"
        )
        self.budget = QLineEdit()
        self.budget.setPlaceholderText("no limit")
        self.budget.setFixedWidth(100)
        self.budget.setToolTip("Warn before a run whose worst case could cost more than this")
        self.budget.setAccessibleName("Comparison budget in dollars")
        self.diff_button = QAction("Diff two answers…", self)
        self.save_button = QAction("Save comparison…", self)
        self.open_button = QAction("Open comparison…", self)
        self.history_button = QAction("Open from history…", self)
        self.board_button = QAction("Blind-vote leaderboard", self)
        more = QToolButton()
        more.setText("More")
        more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        more.setAccessibleName("More comparison actions")
        menu = QMenu(more)
        for action in (
            self.diff_button,
            self.save_button,
            self.open_button,
            self.history_button,
            self.board_button,
        ):
            menu.addAction(action)
        more.setMenu(menu)
        bar = QHBoxLayout()
        for w in (self.add_button, self.sweep_button, self.run_button, self.stop_button):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(more)
        options = QHBoxLayout()
        limits = (self.parallel, self.per_endpoint, self.repeats_parallel)
        budget_label = QLabel("Warn above $")
        budget_label.setBuddy(self.budget)
        for widget in (self.repeats, self.blind, *limits, budget_label, self.budget):
            options.addWidget(widget)
        options.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addLayout(options)

    def update_buttons(self, columns: int, running: bool) -> None:
        self.run_button.setEnabled(bool(columns) and not running)
        self.stop_button.setEnabled(running)
        for w in (
            self.add_button,
            self.sweep_button,
            self.repeats,
            self.blind,
            self.open_button,
            self.history_button,
        ):
            w.setEnabled(not running)
        self.diff_button.setEnabled(columns >= 2 and not running)


class ForecastRow(QWidget):
    """What the comparison will cost, and a warning when its worst case could cross a budget."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.forecast = QLabel("Add columns to see what the comparison will cost.")
        self.forecast.setWordWrap(True)
        self.forecast.setAccessibleName("Forecast")
        self.warning = QLabel()
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.forecast)
        layout.addWidget(self.warning)

    def show_error(self, message: str) -> None:
        self.forecast.setText(f"Cannot forecast: {html.escape(message)}")

    def show_forecast(self, f: Forecast, budget_text: str, status: BudgetStatus | None) -> None:
        runs = f"{len(f.columns)} columns × {f.repeats} run{'s' if f.repeats > 1 else ''}"
        typical = f.typical_total
        known = [c for c in f.columns if c.typical_cost is not None]
        if typical is not None:
            calls = sum(c.typical_calls for c in f.columns)
            typical_text = f"typical ~{formatting.usd(typical)} (median of {calls} past calls)"
        elif known:
            typical_text = f"typical: history for {len(known)} of {len(f.columns)} columns"
        else:
            typical_text = "typical: no past calls of these models"
        text = (
            f"<b>Forecast</b> ({runs}): input {formatting.usd(f.input_total, True)} · "
            f"worst case ≤{formatting.usd(f.worst_total)} at each column's max tokens · {typical_text}"
        )
        if f.unknown_columns:
            text += f" · price unknown for {', '.join(html.escape(c.label()) for c in f.unknown_columns)}"
        self.forecast.setText(text)
        budget = budget_from_text(budget_text)
        daily = status.warning_for(f.worst_total) if status is not None else None
        if f.crosses(budget):
            self.warning.setText(f"⚠ The worst case could cross your ${budget} budget for one comparison.")
            self.warning.show()
        elif daily:
            self.warning.setText(f"⚠ {daily}")
            self.warning.show()
        else:
            self.warning.hide()
