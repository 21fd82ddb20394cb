"""The modes' pages, one per rail entry (MODES order). Spend and Plan are built on first show, so
pyqtgraph and numpy load only when someone opens them: until then an empty slot holds their place."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QStackedWidget, QWidget

from ui.actions import MODES

if TYPE_CHECKING:
    from ui.eval.page import EvalPage
    from ui.plan.page import PlanPage
    from ui.playground.session import Session
    from ui.spend.view import SpendView


class ModePages(QStackedWidget):
    """``pages`` are the eager modes (Playground, Compare, History); ``plan_models`` names the models
    Plan offers (the Compare columns')."""

    def __init__(
        self, session: Session, pages: list[QWidget], plan_models: Callable[[], tuple[str, ...]], parent=None
    ):
        super().__init__(parent)
        self._session = session
        self._plan_models = plan_models
        for page in pages:
            self.addWidget(page)
        self.spend: SpendView | None = None
        self._spend_slot = QWidget()
        self.addWidget(self._spend_slot)
        self.plan: PlanPage | None = None
        self._plan_slot = QWidget()
        self.addWidget(self._plan_slot)
        self.evaluate: EvalPage | None = None
        self._evaluate_slot = QWidget()
        self.addWidget(self._evaluate_slot)

    def is_placeholder(self, page: QWidget | None) -> bool:
        """Whether ``page`` is the empty slot of a page not built yet (Spend, Plan)."""
        return page is self._spend_slot or page is self._plan_slot or page is self._evaluate_slot

    def show_mode(self, name: str) -> None:
        """Switch to a mode by its rail name (Playground, Compare, History, Spend, Plan)."""
        index = [m for m, _ in MODES].index(name)
        if self.widget(index) is self._spend_slot:
            self.show_spend()
        elif self.widget(index) is self._plan_slot:
            self.show_plan()
        elif self.widget(index) is self._evaluate_slot:
            self.show_evaluate()
        else:
            self.setCurrentIndex(index)

    def build_shown(self, index: int) -> None:
        """A slot was switched to (by the rail or a shortcut): build its page once the core is up."""
        if self._session.core is None:
            return
        if self.widget(index) is self._spend_slot and self.spend is None:
            self.show_spend()
        if self.widget(index) is self._plan_slot:
            self.show_plan()
        if self.widget(index) is self._evaluate_slot:
            self.show_evaluate()

    def show_plan(self, seed=None) -> None:
        """Build the Plan mode (on first use) and show it; ``seed`` (a PlanSeed) fills its workload."""
        if self.plan is None:
            from ui.plan.page import PlanPage

            self.plan = PlanPage(self._session.background, self._plan_models)
            self._swap_slot(self._plan_slot, self.plan)
        if self._session.core is not None and not self.plan.has_core:
            self.plan.set_core(self._session.core)
        if seed is not None:
            self.plan.open_seed(seed)
        self.setCurrentWidget(self.plan)

    def show_evaluate(self) -> None:
        """Build the Evaluate mode (on first use) and show it."""
        if self.evaluate is None:
            from ui.eval.page import EvalPage

            self.evaluate = EvalPage(self._session.background)
            self._swap_slot(self._evaluate_slot, self.evaluate)
        if self._session.core is not None:
            self.evaluate.set_core(self._session.core)
        self.setCurrentWidget(self.evaluate)

    def shutdown_evaluate(self, wait_s: float) -> bool:
        """At quit: cancel a running evaluation and join its thread (bounded). True when it ended."""
        return self.evaluate is None or self.evaluate.shutdown(wait_s)

    def show_spend(self) -> None:
        """Build the Spend mode (on first use) and show it."""
        if self.spend is None:
            from ui.spend.bills_panel import BillsPanel
            from ui.spend.view import SpendView

            background, core = self._session.background, self._session.core
            self.spend = SpendView(background)
            bills = BillsPanel(background)
            self.spend.add_section("Provider bill", bills)
            self.spend.rangeShown.connect(bills.set_range)
            self.spend.report_sections.append(bills.report_section)
            bills.set_core(core)
            self._swap_slot(self._spend_slot, self.spend)
            self.spend.set_core(core)
        self.setCurrentWidget(self.spend)

    def _swap_slot(self, slot: QWidget, page: QWidget) -> None:
        index = self.indexOf(slot)
        self.blockSignals(True)
        self.removeWidget(slot)
        self.insertWidget(index, page)
        self.blockSignals(False)
