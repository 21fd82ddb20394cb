"""Measures GUI-thread stalls: a 1 ms timer notes the longest gap between its ticks, in wall time and
in the GUI thread's own CPU time (under load from other processes a wall gap may be time spent
waiting for a core, not work of ours; the CPU time of the same gap says which)."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, QTimer


class Heartbeat(QObject):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(1)
        self._timer.timeout.connect(self._tick)
        self.gaps: list[float] = []  # wall ms between ticks
        self.cpu_gaps: list[float] = []  # the GUI thread's CPU ms over the same gaps
        self._last = 0.0
        self._last_cpu = 0.0

    def start(self) -> None:
        self.gaps = []
        self.cpu_gaps = []
        self._last = time.perf_counter()
        self._last_cpu = time.thread_time()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        self.gaps.append((now - self._last) * 1000)
        self.cpu_gaps.append((cpu - self._last_cpu) * 1000)
        self._last, self._last_cpu = now, cpu

    @property
    def longest_ms(self) -> float:
        return max(self.gaps) if self.gaps else 0.0

    @property
    def longest_cpu_ms(self) -> float:
        """The most GUI-thread CPU time spent between two ticks (the stall that was our own work)."""
        return max(self.cpu_gaps) if self.cpu_gaps else 0.0

    def over(self, ms: float) -> int:
        return sum(1 for g in self.gaps if g > ms)
