"""Builds a mode page whose modules are heavy without freezing the window.

Spend's modules (pyqtgraph, numpy) took 0.5-0.7 s to import and its six plots ~120 ms to build, all
on the GUI thread in one go at the first click. Here the slot says "Loading…" at once; the modules
that never touch Qt (numpy, the core's) are imported on the background pool; then the page's build
runs on the GUI thread in steps, one per turn of the event loop, its Qt-touching imports included.

Only Qt-free modules may be imported off the GUI thread: PySide6 makes its types and enums when
first asked for, and pyqtgraph imported on a pool thread crashed the app (a segfault in PySide6's
enum creation, 1 launch in 15) while the GUI thread used Qt.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Callable, Generator
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
from shiboken6 import isValid

from ui.common.background import Background

log = logging.getLogger(__name__)

# A page's build: yields between its steps (each in its own turn of the event loop), returns the page.
Build = Generator[None, None, QWidget]


class PageLoader(QObject):
    """``start()`` (again: nothing more) preloads ``qt_free_modules`` off the GUI thread, then runs
    ``build`` step by step and hands its page to ``built``. Until then ``slot`` says what happens."""

    def __init__(
        self,
        background: Background,
        slot: QWidget,
        title: str,
        qt_free_modules: tuple[str, ...],
        build: Callable[[], Build],
        built: Callable[[Any], None],
    ):
        super().__init__(slot)
        self._background = background
        self._title = title
        self._modules = qt_free_modules
        self._build = build
        self._built = built
        self._steps: Build | None = None
        self._started = False
        self.problem: str | None = None  # why the page could not be loaded (the slot says it too)
        self.label = QLabel(f"Loading {title}…", slot)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.label.setAccessibleName(f"{title} status")
        layout = slot.layout() or QVBoxLayout(slot)
        layout.addWidget(self.label)

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        if all(name in sys.modules for name in self._modules):
            self._begin(None)
            return
        self._background.submit(lambda: preload(self._modules), self._begin, self._failed)

    def _begin(self, _: object) -> None:
        if not isValid(self):  # the window closed while the modules loaded
            return
        self._steps = self._build()
        QTimer.singleShot(0, self, self._next)  # dropped if the window closes first

    def _next(self) -> None:
        assert self._steps is not None
        try:
            next(self._steps)
        except StopIteration as done:
            self._hand_over(done.value)
        except Exception as exc:  # a broken install or a bug: said in the slot, never a traceback
            log.exception("building %s failed", self._title)
            self._failed(exc)
        else:
            QTimer.singleShot(0, self, self._next)

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


def preload(modules: tuple[str, ...]) -> None:
    """Import ``modules`` (on the pool): one that cannot load is left to the page's build, which
    imports what it needs on the GUI thread and says in the slot what failed."""
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:
            log.debug("preloading %s failed", name, exc_info=True)


def qt_types_made(per_step: int = 25) -> Generator[None, None, None]:
    """Make PySide6's QtCore, QtGui and QtWidgets types, ``per_step`` names a step. pyqtgraph copies
    every attribute of them at import, which made them all in one go (~150 ms); made beforehand in
    steps (~3-6 ms each), its import no longer does."""
    from PySide6 import QtCore, QtGui, QtWidgets

    for module in (QtCore, QtGui, QtWidgets):
        names = dir(module)
        for start in range(0, len(names), per_step):
            for name in names[start : start + per_step]:
                getattr(module, name)
            yield
