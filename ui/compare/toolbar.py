"""The controls above the Compare columns: the prompt line, the toolbar (add, sweep, run, stop and a
"More" menu), the options row (repeats, blind, concurrency) and, on one line, the budget and the forecast."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
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
from ui.common.ask import confirmed
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
        self._prompt: PromptSnapshot | None = None
        self.show_prompt(None)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the link's colour is fixed when the text is set
            self.clear()
            self.show_prompt(self._prompt)

    @property
    def has_prompt(self) -> bool:
        return self._prompt is not None

    def show_prompt(self, prompt: PromptSnapshot | None) -> None:
        self._prompt = prompt
        edit = '<a href="edit">Edit in Playground</a>'
        if prompt is None:
            self.setText('<b>Prompt:</b> none yet: <a href="edit">write one in Playground</a>')
            return
        text = " ".join(prompt.messages[-1].content.split())
        short = text if len(text) <= PROMPT_PREVIEW else text[: PROMPT_PREVIEW - 1] + "…"
        turns = len(prompt.messages)
        more = f" ({turns} messages)" if turns > 1 else ""
        self.setText(f"<b>Prompt{more}:</b> {html.escape(short)} · {edit}")


RUN_ALL = "Run all columns"  # the Run action's name while Compare shows: one name for one command
RUN_TIP = "Send the prompt to every column at once (Ctrl+Enter)"


class CompareToolbar(QWidget):
    """The buttons and options; CompareView connects them."""

    def __init__(self, parallel: int, per_endpoint: int, parent=None):
        super().__init__(parent)
        self.add_button = QPushButton("+ Column")
        self.add_button.setToolTip("Add a column with the model picked at the top")
        self.sweep_button = QPushButton("Sweep…")
        self.sweep_button.setToolTip("One column per value of a parameter")
        self.run_button = QPushButton(RUN_ALL)
        self.run_button.setToolTip(RUN_TIP)
        self.stop_button = QPushButton("Stop all")
        self.results_button = QPushButton("Send tool results…")
        self.results_button.setToolTip(
            "The answers called tools: send each tool's result to every column that called it and "
            "go on (Ctrl+Shift+Enter)"
        )
        self.results_button.hide()  # shown when an answer waits for tool results
        self.plan_button = QPushButton("Plan these models…")
        self.plan_button.setToolTip(
            "The monthly cost of these models at the token sizes this run measured, and what would save"
        )
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
        self.budget = QLineEdit()  # laid out by ForecastRow, next to the forecast it is checked against
        self.budget.setPlaceholderText("no limit")
        self.budget.setFixedWidth(80)
        self.budget.setToolTip("Warn before a run whose worst case could cost more than this")
        self.budget.setAccessibleName("Budget for this run in dollars")
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
        buttons = (self.add_button, self.sweep_button, self.run_button, self.stop_button, self.results_button)
        for w in (*buttons, self.plan_button):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(more)
        options = QHBoxLayout()
        limits = (self.parallel, self.per_endpoint, self.repeats_parallel)
        for widget in (self.repeats, self.blind, *limits):
            options.addWidget(widget)
        options.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addLayout(options)

    def update_buttons(
        self, columns: int, running: bool, has_prompt: bool = True, refused: str | None = None
    ) -> None:
        """Run all waits for a prompt: with none it only said so in the status bar. ``refused`` says
        why no run can start (a history that cannot record calls): Run all is off and says so."""
        self.run_button.setEnabled(bool(columns) and has_prompt and not running and not refused)
        tip = "" if has_prompt else "Write a prompt in Playground first"
        self.run_button.setToolTip(refused or tip or RUN_TIP)
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
    """One line: "Budget for this run: $[…]  Forecast: ≤ $0.0042 for 3 calls" (details in its tooltip),
    and under it a warning when the worst case could cross a budget."""

    def __init__(self, budget: QLineEdit, parent=None):
        super().__init__(parent)
        self.budget = budget
        label = QLabel("Budget for this run: $")
        label.setBuddy(budget)
        self.forecast = QLabel("Forecast: add columns to see what the comparison will cost.")
        self.forecast.setAccessibleName("Forecast")
        self.forecast.setMinimumWidth(1)  # one line, never wider than the window (details in the tooltip)
        self.warning = QLabel()
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.hide()
        line = QHBoxLayout()
        line.addWidget(label)
        line.addWidget(budget)
        line.addSpacing(16)
        line.addWidget(self.forecast, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(line)
        layout.addWidget(self.warning)
        self._blind = False
        self._shown = ("", "")

    def set_blind(self, blind: bool) -> None:
        """While blind the forecast is hidden (a price list next to the shuffled columns is a hint)."""
        self._blind = blind
        text, tip = self._shown
        if blind:
            self.forecast.setText("Forecast: shown again after your vote.")
            self.forecast.setToolTip("")
        elif text:
            self.forecast.setText(text)
            self.forecast.setToolTip(tip)

    def _set(self, text: str, tip: str = "") -> None:
        self._shown = (text, tip)
        if not self._blind:
            self.forecast.setText(text)
            self.forecast.setToolTip(tip)

    def show_error(self, message: str) -> None:
        self._set(f"Forecast: cannot forecast: {html.escape(message)}")

    def show_forecast(self, f: Forecast, budget_text: str, status: BudgetStatus | None) -> None:
        calls = len(f.columns) * f.repeats
        runs = f"{len(f.columns)} columns × {f.repeats} run{'s' if f.repeats > 1 else ''}"
        typical = f.typical_total
        known = [c for c in f.columns if c.typical_cost is not None]
        if typical is not None:
            past = sum(c.typical_calls for c in f.columns)
            typical_tip = f"Typical ~{formatting.usd(typical)} (median of {past} past calls)."
        elif known:
            typical_tip = f"Typical: history for {len(known)} of {len(f.columns)} columns."
        else:
            typical_tip = "Typical: no past calls of these models."
        unknown = len(f.unknown_columns)
        priced_calls = calls - unknown * f.repeats
        if not unknown:
            text = f"<b>Forecast:</b> ≤ {formatting.usd(f.worst_total)} for {plural(calls, 'call')}"
        elif priced_calls:  # a bound for the priced calls, the others said apart ("≤ unknown" hid it)
            worst = f.money(lambda c: c.worst_cost).priced
            text = f"<b>Forecast:</b> ≤ {formatting.usd(worst)} for {priced_calls} of {plural(calls, 'call')}"
        else:
            text = f"<b>Forecast:</b> unknown for {plural(calls, 'call')}"
        if typical is not None:
            text += f" (typical ~{formatting.usd(typical)})"
        if unknown:
            text += f" · price unknown for {plural(unknown, 'column')}"
        tip = (
            f"{runs}. Worst case at each column's max tokens; input alone "
            f"{formatting.usd(f.input_total, True)}. {typical_tip}"
        )
        if f.unknown_columns:
            tip += f" Price unknown for {', '.join(html.escape(c.label()) for c in f.unknown_columns)}."
        self._set(text, tip)
        typed = budget_text.strip()
        over = over_budget(f, typed, status)
        if typed and budget_from_text(typed) is None:  # "abc", "-5", "0" were taken as no limit, silently
            over = (
                f"The budget {typed!r} is not a dollar amount of at least $0.000001 (e.g. 0.50):"
                " no limit is set."
            )
        self.warning.setText(f"⚠ {over}" if over else "")
        self.warning.setVisible(bool(over))


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def over_budget(f: Forecast | None, budget_text: str, status: BudgetStatus | None) -> str | None:
    """Why the comparison could cross the budget typed for it or the daily/monthly one (None: it cannot);
    with no forecast (it failed) any budget could be crossed."""
    budget = budget_from_text(budget_text)
    if f is None:
        limit = budget is not None or status is not None
        return "The forecast failed, so this comparison could cross your budget." if limit else None
    if f.crosses(budget):
        worst, calls = f.worst_total, len(f.columns) * f.repeats
        if worst is None:
            return (
                f"The price of {plural(len(f.unknown_columns), 'column')} is unknown, so it could "
                f"cross your {formatting.usd(budget)} budget for one comparison."
            )
        return (
            f"The worst case, {formatting.usd(worst)} for {plural(calls, 'call')}, could cross your "
            f"{formatting.usd(budget)} budget for one comparison."
        )
    return status.warning_for(f.worst_total, "comparison") if status is not None else None


def confirm_over_budget(parent: QWidget, warning: str) -> bool:
    """Ask before a run that could cross a budget, as the Playground does; the default is not to run."""
    return confirmed(parent, "Budget", f"{warning}\n\nRun all columns anyway?", warning=True)
