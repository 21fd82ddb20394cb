"""The modes' pages, one per rail entry (MODES order). Spend, Plan and Evaluate are built on first
show, so pyqtgraph and numpy load only when someone opens them: until then a slot holds their place
and says "Loading…" while their modules load off the GUI thread (ui/page_loader.py)."""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize, Qt, QTimer
from PySide6.QtWidgets import QStackedWidget, QWidget

from ui.actions import MODES
from ui.page_loader import Build, PageLoader, PageModules

if TYPE_CHECKING:
    from ui.eval.page import EvalPage
    from ui.plan.page import PlanPage
    from ui.playground.session import Session
    from ui.spend.view import SpendView

# What each lazy page imports before its build (ui/page_loader.py): on the pool, what never touches
# Qt (numpy, the core: the import contract keeps playground/ Qt-free); on the GUI thread in steps,
# the rest (ui/import_steps.py)
SPEND = PageModules(
    qt_free=(
        "numpy",
        "playground.spend.snapshot",
        "playground.spend.export",
        "playground.spend.cache_totals",
        "playground.bills.report",
        # the standard library pyqtgraph imports (~35 ms of its ~160): best effort, by name
        "pydoc",
        "subprocess",
        "multiprocessing.connection",
        "xml.etree.ElementTree",
        "decimal",
        "cProfile",
        "pkgutil",
        "mmap",
        "socket",
        "importlib.resources",
    ),
    on_gui=("pyqtgraph", "ui.spend.view", "ui.spend.bills_panel", "ui.spend.panels"),
    qt_types_first=True,
)
PLAN = PageModules(
    qt_free=(
        "playground.plan.export",
        "playground.plan.quality",
        "playground.plan.sensitivity",
        "playground.plan.sources",
        "playground.plan.workload",
    ),
    on_gui=("ui.plan.page",),
)
EVALUATE = PageModules(
    qt_free=(
        "playground.eval.runner",
        "playground.eval.store",
        "playground.eval.suite",
        "playground.eval.summary",
        "playground.eval.grades",
    ),
    on_gui=("ui.eval.page",),
)


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
        background = session.background
        self.spend: SpendView | None = None
        self.spend_steps = 0  # turns of the event loop Spend took to load (the installer smoke checks it)
        self._spend_slot = QWidget()
        self.addWidget(self._spend_slot)
        self._spend_loader = PageLoader(
            background,
            self._spend_slot,
            "Spend",
            SPEND,
            self._build_spend,
            self._spend_built,
        )
        self.plan: PlanPage | None = None
        self._plan_seed = None  # a PlanSeed asked for before the page was built
        self._plan_slot = QWidget()
        self.addWidget(self._plan_slot)
        self._plan_loader = PageLoader(
            background, self._plan_slot, "Plan", PLAN, self._build_plan, self._plan_built
        )
        self.evaluate: EvalPage | None = None
        self._evaluate_slot = QWidget()
        self.addWidget(self._evaluate_slot)
        self._evaluate_loader = PageLoader(
            background,
            self._evaluate_slot,
            "Evaluate",
            EVALUATE,
            self._build_evaluate,
            self._evaluate_built,
        )

    def is_placeholder(self, page: QWidget | None) -> bool:
        """Whether ``page`` is the slot of a page not built yet (Spend, Plan, Evaluate)."""
        return page is self._spend_slot or page is self._plan_slot or page is self._evaluate_slot

    def load_problem(self) -> str | None:
        """Why the page shown could not be loaded (its slot says so), or None."""
        page = self.currentWidget()
        loader = page.findChild(PageLoader, "", Qt.FindChildOption.FindDirectChildrenOnly) if page else None
        return loader.problem if loader is not None else None  # only a slot holds a loader

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
        """A slot is shown (the rail, a shortcut; the main window again once the core is up): build
        its page, if the core is up."""
        if self._session.core is None:
            return
        if self.widget(index) is self._spend_slot:
            self.show_spend()
        if self.widget(index) is self._plan_slot:
            self.show_plan()
        if self.widget(index) is self._evaluate_slot:
            self.show_evaluate()

    def show_plan(self, seed=None) -> None:
        """Build the Plan mode (on first use) and show it; ``seed`` (a PlanSeed) fills its workload."""
        if seed is not None:
            self._plan_seed = seed
        if self.plan is None:
            self._open_slot(self._plan_loader, self._plan_slot)
            return
        if self._session.core is not None and not self.plan.has_core:
            self.plan.set_core(self._session.core)
        if self._plan_seed is not None:
            self.plan.open_seed(self._plan_seed)
            self._plan_seed = None
        self.setCurrentWidget(self.plan)

    def _build_plan(self) -> Build:
        from ui.plan.page import PlanPage  # imported in steps (PLAN)

        yield
        return PlanPage(self._session.background, self._plan_models)

    def _plan_built(self, page: PlanPage) -> None:
        """Given the core and any seed asked for meanwhile, shown or not (the rail shows a built page
        without asking again)."""
        self.plan = page
        page.set_core(self._session.core)
        if self._plan_seed is not None:
            page.open_seed(self._plan_seed)
            self._plan_seed = None
        self._swap_slot(self._plan_slot, page)

    def show_evaluate(self) -> None:
        """Build the Evaluate mode (on first use) and show it."""
        if self.evaluate is None:
            self._open_slot(self._evaluate_loader, self._evaluate_slot)
            return
        if self._session.core is not None:
            self.evaluate.set_core(self._session.core)
        self.setCurrentWidget(self.evaluate)

    def _build_evaluate(self) -> Build:
        from ui.eval.page import EvalPage  # imported in steps (EVALUATE)

        yield
        return EvalPage(self._session.background)

    def _evaluate_built(self, page: EvalPage) -> None:
        self.evaluate = page
        core = self._session.core
        assert core is not None  # a build starts only once the core is up (_open_slot, build_shown)
        page.set_core(core)
        self._swap_slot(self._evaluate_slot, page)

    def shutdown_evaluate(self, wait_s: float) -> bool:
        """At quit: cancel a running evaluation and join its thread (bounded). True when it ended."""
        return self.evaluate is None or self.evaluate.shutdown(wait_s)

    def show_spend(self) -> None:
        """Build the Spend mode (on first use) and show it."""
        if self.spend is None:
            self._open_slot(self._spend_loader, self._spend_slot)
            return
        self.setCurrentWidget(self.spend)

    def _build_spend(self) -> Build:
        """The six charts in steps (ui/spend/panels.py), then the page around them; their modules
        are imported by then (SPEND)."""
        from ui.spend.bills_panel import BillsPanel
        from ui.spend.panels import made_in_steps
        from ui.spend.view import SpendView

        panels = yield from made_in_steps()
        background, core = self._session.background, self._session.core
        spend = SpendView(background, panels)
        yield
        bills = BillsPanel(background)
        spend.add_section("Provider bill", bills)
        spend.rangeShown.connect(bills.set_range)
        spend.report_sections.append(bills.report_section)
        bills.set_core(core)
        yield
        spend.setParent(self)  # hidden, out of the stack: its font and palette follow the window's
        yield
        laid_out_ahead(spend, self._spend_slot.size())
        yield
        yield from painted_ahead(spend)
        yield  # the page handed over in a turn of its own: its first show and paint are a frame's work
        return spend

    def _spend_built(self, spend: SpendView) -> None:
        self.spend = spend
        self.spend_steps = self._spend_loader.steps
        # Shown in this turn, painted in the next: the show and the first paint in one turn were
        # ~20-25 ms (bench/first_spend.py). Meanwhile the window still shows "Loading…".
        spend.setUpdatesEnabled(False)
        self._swap_slot(self._spend_slot, spend)
        core = self._session.core

        def painted() -> None:
            spend.setUpdatesEnabled(True)  # which asks for its paint
            # Its history read starts after that paint (a 1 ms timer comes after the paint asked
            # for): started with it, the read held the GIL while the page painted, and that frame
            # took 20-30 ms instead of ~13 (bench/first_spend.py).
            QTimer.singleShot(1, spend, lambda: spend.set_core(core))

        QTimer.singleShot(1, spend, painted)  # a real timer (a zero one is a posted call, in this turn)

    def _open_slot(self, loader: PageLoader, slot: QWidget) -> None:
        """Show a page's slot; its build starts once the core is up (the page reads it at once):
        ``build_shown`` starts it then, from the main window's core-ready."""
        self.setCurrentWidget(slot)
        if self._session.core is not None:
            loader.start()

    def _swap_slot(self, slot: QWidget, page: QWidget) -> bool:
        """Put ``page`` where its slot was; True when the slot was the page shown (then still the
        mode shown: the caller shows the page). The page goes in before the slot goes out: a shown
        slot taken out first made the next page current for a moment (shown: its first resize and
        show, ~2-3 ms of the hand-over's turn)."""
        showing = self.currentWidget() is slot
        index = self.indexOf(slot)
        self.blockSignals(True)
        self.insertWidget(index, page)
        if showing:
            self.setCurrentWidget(page)
        self.removeWidget(slot)
        self.blockSignals(False)
        slot.deleteLater()
        if showing:
            self.currentChanged.emit(index)  # the rail and the actions hear of it (same index, new page)
        return showing


def laid_out_ahead(page: QWidget, size: QSize) -> None:
    """Polish ``page`` and lay it out at ``size`` while it is still hidden, a step of its own, so the
    turn that shows it only paints it."""
    page.resize(size)
    page.ensurePolished()
    layout = page.layout()
    if layout is not None:
        layout.activate()


PAINT_AHEAD_STRIPS = 4


def painted_ahead(page: QWidget, strips: int = PAINT_AHEAD_STRIPS) -> Generator[None, None, None]:
    """Render the hidden ``page`` off screen, in steps: first one pixel (which sends its widgets the
    resize events a show would), then a horizontal strip a step. Its first show then sends no
    resize, and its first paint finds the styles' pixmaps and text cached: at the hand-over the two
    took ~15-30 ms in one turn (bench/first_spend.py)."""
    page.grab(QRect(0, 0, 1, 1))
    width, height = page.width(), page.height()
    for n in range(strips):
        yield
        top = height * n // strips
        page.grab(QRect(0, top, width, height * (n + 1) // strips - top))
