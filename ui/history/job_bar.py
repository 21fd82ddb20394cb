"""The line under History where a long job (export, import) shows its progress, a Cancel button,
and then what it did. One job at a time; the progress arrives as a queued signal (ui/history/progress.py)."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from ui.history.progress import Progress, advance, bar_width, show_part


class JobBar(QWidget):
    busyChanged = Signal(bool)  # a job started (True) or ended (False)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.result = QLabel()
        self.result.setTextFormat(Qt.TextFormat.PlainText)  # names files and errors
        self.result.setWordWrap(True)
        self.result.setAccessibleName("What-if, export and import result")
        self.progress_bar = QProgressBar()
        self.progress_bar.setMinimumWidth(bar_width(self.progress_bar))
        self.cancel_button = QPushButton("Cancel")
        self._cancel: threading.Event | None = None
        self._progress = Progress(self)
        self._progress.calls.connect(lambda n: advance(self.progress_bar, n))
        self._progress.part.connect(lambda done, total: show_part(self.progress_bar, done, total))
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.result, 1)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.cancel_button)
        self._show(False)

    @property
    def busy(self) -> bool:
        return self._cancel is not None

    def start(self, what: str, doing: str | None = None) -> tuple[Progress, threading.Event] | None:
        """Show a busy bar for ``what`` ("Export", "Import") saying ``doing``; the progress signal
        and cancel flag to hand to the job, or None while another job runs."""
        if self._cancel is not None:
            return None
        self._cancel = threading.Event()
        self.progress_bar.setAccessibleName(f"{what} progress")
        self.progress_bar.setFormat("")
        self.progress_bar.setRange(0, 0)
        self.cancel_button.setText(f"Cancel {what.lower()}")
        self.cancel_button.setAccessibleName(f"Cancel {what.lower()}")
        self.result.setText(doing or f"{what}ing…")
        self._show(True)
        self.busyChanged.emit(True)
        return self._progress, self._cancel

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.cancel_button.setEnabled(False)  # once: the job stops at its next check

    def finish(self, message: str) -> None:
        """The job ended (done, cancelled or failed): say what it did and give the buttons back."""
        self._cancel = None
        self.result.setText(message)
        self._show(False)
        self.busyChanged.emit(False)

    def _show(self, shown: bool) -> None:
        self.progress_bar.setVisible(shown)
        self.cancel_button.setVisible(shown)
        self.cancel_button.setEnabled(shown)
