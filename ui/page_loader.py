"""Builds a mode page whose modules are heavy without freezing the window.

Spend's modules (pyqtgraph, numpy) took 0.5-0.7 s to import and its six plots ~120 ms to build, all
on the GUI thread in one go at the first click. Here the slot says "Loading…" at once; the modules
that never touch Qt (numpy, the core's) are imported on the background pool, which also reads the
order in which to import the others (ui/import_steps.py); meanwhile PySide6's types are made in
steps on the GUI thread. Then the Qt-touching modules are imported there, one module (or one
statement of a package's ``__init__``) per turn of the event loop, and the page is built in steps.

Only Qt-free modules may be imported off the GUI thread: PySide6 makes its types and enums when
first asked for, and pyqtgraph imported on a pool thread crashed the app (a segfault in PySide6's
enum creation, 1 launch in 15) while the GUI thread used Qt.
"""

from __future__ import annotations

import importlib
import logging
import sys
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget
from shiboken6 import isValid

from ui.common.background import Background
from ui.common.heap import settle
from ui.import_steps import ImportPlan, imported, plan

log = logging.getLogger(__name__)

# A page's build: yields between its steps (each in its own turn of the event loop), returns the page.
Build = Generator[None, None, QWidget]


T = TypeVar("T")


def in_one_go(steps: Generator[None, None, T]) -> T:
    """Run ``steps`` (a build or a part of one) to its end at once, and return what it made."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            made: T = done.value
            return made


@dataclass(frozen=True)
class PageModules:
    """What a page imports before its build."""

    qt_free: tuple[str, ...]  # imported on the pool: never a module that brings in Qt
    on_gui: tuple[str, ...] = ()  # imported on the GUI thread in steps, in this order
    qt_types_first: bool = False  # PySide6's types made in steps first (pyqtgraph copies them all)


class PageLoader(QObject):
    """``start()`` (again: nothing more) prepares ``modules`` (above), then runs ``build`` step by
    step and hands its page to ``built``. Until then ``slot`` says what happens."""

    def __init__(
        self,
        background: Background,
        slot: QWidget,
        title: str,
        modules: PageModules,
        build: Callable[[], Build],
        built: Callable[[Any], None],
    ):
        super().__init__(slot)
        self._background = background
        self._title = title
        self._modules = modules
        self._build = build
        self._built = built
        self._steps: Iterator[None] | None = None
        self._plans: tuple[ImportPlan, ...] | None = None  # read on the pool
        self._warming = False  # PySide6's types being made, before the plans are needed
        self._started = False
        self.steps = 0  # turns of the event loop the page took (the installer smoke checks Spend's)
        # A real zero timer, not QTimer.singleShot(0), which posts an event: two posted steps were
        # often handled in a row before any timer came due, one 25-35 ms stall of the window on
        # Spend's first click (bench/first_spend.py). Stopped with the loader if the window closes.
        self._step_timer = QTimer(self)
        self._step_timer.setSingleShot(True)
        self._step_timer.setInterval(0)
        self._step_timer.timeout.connect(self._next)
        self.problem: str | None = None  # why the page could not be loaded (the slot says it too)
        self.label = QLabel(f"Loading {title}…", slot)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.label.setAccessibleName(f"{title} status")
        # Moving while it loads (it runs between the steps): the text alone on a blank page, for a
        # second or two, looked frozen.
        self.busy = QProgressBar(slot)
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setFixedWidth(240)
        self.busy.setAccessibleName(f"Loading {title}")
        layout = slot.layout() or QVBoxLayout(slot)
        assert isinstance(layout, QVBoxLayout)  # a slot is a bare widget: the layout is ours
        layout.addStretch(1)
        layout.addWidget(self.label)
        layout.addWidget(self.busy, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        modules = self._modules
        if modules.qt_types_first:  # meanwhile, on the GUI thread
            self._run(qt_types_made(), warming=True)
        if all(name in sys.modules for name in (*modules.qt_free, *modules.on_gui)):
            self._prepared(())
        else:
            self._background.submit(lambda: prepared(modules), self._prepared, self._failed)

    def _prepared(self, plans: tuple[ImportPlan, ...]) -> None:
        if not isValid(self):  # the window closed while the modules loaded
            return
        self._plans = plans
        if not self._warming:
            self._run(self._page_steps(plans), warming=False)

    def _page_steps(self, plans: tuple[ImportPlan, ...]) -> Build:
        for import_plan in plans:
            yield from imported(import_plan)
        return (yield from self._build())

    def _run(self, steps: Iterator[None], warming: bool) -> None:
        self._steps = steps
        self._warming = warming
        self._step_timer.start()

    def _next(self) -> None:
        assert self._steps is not None
        self.steps += 1
        try:
            next(self._steps)
        except StopIteration as done:
            if self._warming:
                self._warming = False
                if self._plans is not None:  # else _prepared goes on when they come
                    self._run(self._page_steps(self._plans), warming=False)
            else:
                self._hand_over(done.value)
        except Exception as exc:  # a broken install or a bug: said in the slot, never a traceback
            log.exception("building %s failed", self._title)
            self._failed(exc)
        else:
            settle()  # what the step made lives on: no full collection walks it again (~35 ms)
            self._step_timer.start()

    def _hand_over(self, page: QWidget) -> None:
        try:
            self._built(page)
        except Exception as exc:  # its core, a seed: said the same way
            log.exception("showing %s failed", self._title)
            self._failed(exc)

    def _failed(self, exc: BaseException) -> None:
        """Said in the slot; the page stays unbuilt (a later click does not retry a broken install)."""
        self.problem = f"Could not load {self._title}: {exc}"
        if isValid(self.label):
            self.label.setText(self.problem)
            self.busy.hide()


def prepared(modules: PageModules) -> tuple[ImportPlan, ...]:
    """On the pool: import the Qt-free modules, and read in what order to import the others. One
    that cannot load is left to the GUI thread's import, which says in the slot what failed."""
    for name in modules.qt_free:
        try:
            importlib.import_module(name)
        except ImportError:
            log.debug("preloading %s failed", name, exc_info=True)
    return tuple(plan(name) for name in modules.on_gui)


AHEAD_MS = 1000  # after the core is up: the window is idle, nobody has clicked a heavy mode yet


def style_made() -> None:
    """PySide6's QStyle type, the costliest Qt type a heavy page's import makes (~13 ms, its many
    enums, in one piece). Made once the window is idle after start (``AHEAD_MS``), so a first click
    on Spend or Plan does not pay it."""
    from PySide6 import QtWidgets

    QtWidgets.QStyle  # noqa: B018 (made by being looked up)


def qt_types_made(budget_ms: float = 3.0) -> Generator[None, None, None]:
    """Make PySide6's QtCore, QtGui and QtWidgets types, a step every ``budget_ms`` of work. pyqtgraph
    copies every attribute of them at import, which made them all in one go (~150 ms); made beforehand
    in steps, its import no longer does. A budget rather than a count of names: a name costs 0.01-7 ms
    (ten a step made steps of up to 20 ms)."""
    from PySide6 import QtCore, QtGui, QtWidgets

    style_made()  # in a step of its own (made already once the window was idle after start)
    yield
    began = time.perf_counter()
    for module in (QtCore, QtGui, QtWidgets):
        for name in dir(module):
            getattr(module, name)
            if (time.perf_counter() - began) * 1000 >= budget_ms:
                yield
                began = time.perf_counter()
    yield
