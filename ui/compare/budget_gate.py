"""Run all's budget check: over a budget it asks first, as the Playground does (the default runs
nothing). A forecast still on its way (a column just added) is waited for, and Run all carries on when
it comes; a wait is dropped, and says why, when the columns change or Stop is pressed, so it never
starts a run later on its own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QWidget

from ui.compare.session import budget_from_text
from ui.compare.toolbar import confirm_over_budget, over_budget

if TYPE_CHECKING:
    from playground.compare.columns import Column
    from playground.spend.budgets import BudgetStatus
    from playground.spend.forecast import Forecast


class BudgetGate:
    def __init__(self, parent: QWidget, summary: QLabel):
        self._parent, self._summary = parent, summary
        self.due = False  # a forecast asked for and not yet here
        self._waiting: list[Column] | None = None  # Run all waits for the forecast of these columns

    def asked(self, on_its_way: bool) -> None:
        """A forecast was asked for (``on_its_way``) or could not be (no prompt, no columns, no core)."""
        self.due = on_its_way
        if not on_its_way:
            self.drop("no forecast could be worked out")

    def came(self, columns: list[Column]) -> bool:
        """The forecast came: True when a Run all waited for this one (of ``columns``) and goes now."""
        self.due = False
        waited, self._waiting = self._waiting, None
        if waited is None:
            return False
        self._summary.clear()
        return waited == columns

    def allows(
        self,
        columns: list[Column],
        forecast: Forecast | None,
        budget_text: str,
        status: BudgetStatus | None,
        debouncing: bool,
    ) -> bool:
        """Run all may go now: no budget, or under it, or the user said yes. False while waiting."""
        if status is None and budget_from_text(budget_text) is None:
            return True
        if debouncing or self.due:
            self._waiting = columns
            self._summary.setText("Run all columns waits for the cost forecast to check the budget…")
            return False
        warning = over_budget(forecast, budget_text, status)
        return warning is None or confirm_over_budget(self._parent, warning)

    def drop(self, why: str) -> None:
        """A Run all waiting for its forecast is dropped, and says so."""
        if self._waiting is None:
            return
        self._waiting = None
        self._summary.setText(f"Run all columns was not started: {why}.")
