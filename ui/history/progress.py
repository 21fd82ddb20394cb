"""Progress from a background job to the GUI thread: a signal emitted on the job's thread arrives
queued on the GUI thread. On ``calls`` a negative value -(n + 1) announces the total n; others
count work done. ``part`` carries both (done, total) for a job that knows its total at each report."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QProgressBar


class Progress(QObject):
    calls = Signal(int)
    part = Signal(int, int)  # done, total

    def total(self, n: int) -> None:
        self.calls.emit(-n - 1)


def show_part(bar: QProgressBar, done: int, total: int) -> None:
    bar.setRange(0, max(total, 1))
    _show(bar, done)


def advance(bar: QProgressBar, value: int) -> None:
    """Show ``value`` (a total when negative, see above) on ``bar``."""
    if value < 0:
        bar.setRange(0, max(-value - 1, 1))
        _show(bar, 0)
    else:
        _show(bar, value)


def _show(bar: QProgressBar, done: int) -> None:
    bar.setValue(min(done, bar.maximum()))
    bar.setFormat(f"{bar.value():,} of {bar.maximum():,} calls")  # with thousands separators


def bar_width(bar: QProgressBar) -> int:
    """Wide enough for a million-call count in the bar's text."""
    return bar.fontMetrics().horizontalAdvance("1,000,000 of 1,000,000 calls") + 32
