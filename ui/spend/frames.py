"""Steps run one per turn of the event loop, so a frame paints what one step drew and no more (six
charts drawn and painted in one go held the GUI thread for ~100-180 ms on a year by day)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer


class Frames(QObject):
    """``run(steps)``: the first step now, each next one on a later turn, after the paint of the one
    before. A new ``run`` drops the steps the previous one had left (their data is stale)."""

    def __init__(self, parent: QObject | None = None, gap_ms: int = 1):
        super().__init__(parent)
        self._steps: deque[Callable[[], None]] = deque()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(gap_ms)  # a real timer: the paint posted by a step runs before the next
        self._timer.timeout.connect(self._next)

    @property
    def busy(self) -> bool:
        return bool(self._steps)

    def run(self, steps: Iterable[Callable[[], None]]) -> None:
        self._timer.stop()
        self._steps = deque(steps)
        self._next()

    def _next(self) -> None:
        if not self._steps:
            return
        step = self._steps.popleft()
        if self._steps:
            self._timer.start()
        step()
