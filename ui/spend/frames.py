"""Steps run one per turn of the event loop, so a frame paints what one step drew and no more (six
charts drawn and painted in one go held the GUI thread for ~100-180 ms on a year by day)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

Step = Callable[[], QWidget | None]  # may return the widget whose paint the next step waits for

PAINT_WAIT_MS = 50  # a widget that is not painted (hidden, covered) holds the next step no longer


class Frames(QObject):
    """``run(steps)``: the first step now, each next one on a later turn, after the paint of the one
    before. A new ``run`` drops the steps the previous one had left (their data is stale).

    A step that returns a widget holds the next one until that widget has painted: on a 1 ms timer
    alone the next chart was often drawn before the last one's paint, and both paints (~5-10 ms each
    on a first open) then fell in one turn of the loop, over 16 ms (bench/bench_spend_gui.py)."""

    def __init__(self, parent: QObject | None = None, gap_ms: int = 1):
        super().__init__(parent)
        self._steps: deque[Step] = deque()
        self._gap_ms = gap_ms
        self._watched: QWidget | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._next)

    @property
    def busy(self) -> bool:
        return bool(self._steps)

    def run(self, steps: Iterable[Step]) -> None:
        self._timer.stop()
        self._unwatch()
        self._steps = deque(steps)
        self._next()

    def _next(self) -> None:
        self._unwatch()
        if not self._steps:
            return
        step = self._steps.popleft()
        painted = step()
        if not self._steps:
            return
        if isinstance(painted, QWidget) and painted.isVisible():
            self._watched = painted
            painted.installEventFilter(self)
            self._timer.start(PAINT_WAIT_MS)
        else:
            self._timer.start(self._gap_ms)  # a real timer: the paint posted by a step runs before the next

    def _unwatch(self) -> None:
        if self._watched is not None:
            self._watched.removeEventFilter(self)
            self._watched = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._watched and event.type() == QEvent.Type.Paint:
            self._unwatch()
            self._timer.start(self._gap_ms)  # after this paint, on a later turn
        return False
