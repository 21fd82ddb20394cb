"""Progress from a background job to the GUI thread: a signal emitted on the job's thread arrives
queued on the GUI thread. A negative value -(n + 1) announces the total n; others count work done."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QProgressBar


class Progress(QObject):
    calls = Signal(int)

    def total(self, n: int) -> None:
        self.calls.emit(-n - 1)


def advance(bar: QProgressBar, value: int) -> None:
    """Show ``value`` (a total when negative, see above) on ``bar``."""
    if value < 0:
        bar.setRange(0, max(-value - 1, 1))
        bar.setValue(0)
    else:
        bar.setValue(min(value, bar.maximum()))
