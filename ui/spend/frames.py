"""Steps run one per turn of the event loop, so a frame paints what one step drew and no more (six
charts drawn and painted in one go held the GUI thread for ~100-180 ms on a year by day)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

Step = Callable[[], QWidget | None]  # may return the widget it drew (see Frames)

PAINT_WAIT_MS = 50  # a widget that is not painted (hidden, covered) holds the next step no longer


class Frames(QObject):
    """``run(steps)``: the first step now, each next one on a later turn, after the paint of the one
    before. A new ``run`` drops the steps the previous one had left (their data is stale).

    A step may turn off the updates of the widget it draws (``hold``): they are turned on at the
    next turn, so the draw and its paint fall in two turns of the loop (both in one were ~15-25 ms
    on a first open). A step may return the widget it drew: the next step waits for its paint (on
    a 1 ms timer alone it was often drawn first, and two paints then fell in one turn;
    bench/bench_spend_gui.py)."""

    def __init__(self, parent: QObject | None = None, gap_ms: int = 1):
        super().__init__(parent)
        self._steps: deque[Step] = deque()
        self._gap_ms = gap_ms
        self._watched: QWidget | None = None  # the next step waits for its paint
        self._held: QWidget | None = None  # its updates are off until the next turn
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._next)
        self._release_timer = QTimer(self)
        self._release_timer.setSingleShot(True)
        self._release_timer.setInterval(0)
        self._release_timer.timeout.connect(self._release)

    def hold(self, widget: QWidget) -> QWidget:
        """Turn ``widget``'s updates off until the step drawing it is done and a turn has passed
        (turned on again even if the step fails: a plot is never left unpainted)."""
        self._release()
        widget.setUpdatesEnabled(False)
        self._held = widget
        return widget

    @property
    def busy(self) -> bool:
        return bool(self._steps)

    def run(self, steps: Iterable[Step]) -> None:
        self._timer.stop()
        self._unwatch()
        self._release()
        self._steps = deque(steps)
        self._next()

    def _next(self) -> None:
        self._unwatch()
        self._release()
        if not self._steps:
            return
        step = self._steps.popleft()
        try:
            drawn = step()
        finally:
            if self._held is not None:
                self._release_timer.start()
        if not isinstance(drawn, QWidget):
            if self._steps:
                self._timer.start(self._gap_ms)  # a real timer: the paint posted by a step runs first
            return
        if self._steps:
            if drawn.isVisible():
                self._watched = drawn
                drawn.installEventFilter(self)
                self._timer.start(PAINT_WAIT_MS)
            else:
                self._timer.start(self._gap_ms)

    def _release(self) -> None:
        self._release_timer.stop()
        if self._held is not None:
            self._held.setUpdatesEnabled(True)  # which asks for its paint
            self._held = None

    def _unwatch(self) -> None:
        if self._watched is not None:
            self._watched.removeEventFilter(self)
            self._watched = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._watched and event.type() == QEvent.Type.Paint:
            self._unwatch()
            self._timer.start(self._gap_ms)  # after this paint, on a later turn
        return False
