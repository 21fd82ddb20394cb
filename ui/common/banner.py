"""Notices that must be read stay on screen until dismissed (the status bar forgets them)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout, QWidget

STYLE = "QWidget#notice { background: rgba(217, 83, 79, 0.15); border: 1px solid #d9534f; }"


class NoticeBanner(QWidget):
    """A stack of plain-text notices, each with its own close button; hidden when empty."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[tuple[str, QWidget]] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.setAccessibleName("Notices")
        self.hide()

    def changeEvent(self, event: QEvent) -> None:
        """A theme switched while running: a style sheet fixes its widgets' colours when set, so it is
        set again (they kept the old theme's: black text on dark red, a white button)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            for _, row in self._rows:
                row.setStyleSheet("")
                row.setStyleSheet(STYLE)

    def add(self, text: str, action: tuple[str, Callable[[], None]] | None = None) -> None:
        """Show ``text`` (as plain text: it may name files, models or errors) until dismissed;
        ``action`` adds a button (its label and what it does) that offers the way out."""
        if text in self.texts():
            return
        row = QWidget()
        row.setObjectName("notice")
        row.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row.setStyleSheet(STYLE)
        line = QHBoxLayout(row)
        line.setContentsMargins(8, 4, 4, 4)
        label = QLabel(f"⚠ {text}")
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.setAccessibleName("Dismiss notice")
        close.clicked.connect(lambda: self.dismiss(text))
        line.addWidget(label, 1)
        if action is not None:
            button = QPushButton(action[0])
            button.setAccessibleName(action[0].rstrip("…"))
            button.clicked.connect(action[1])
            line.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        line.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self._rows.append((text, row))
        self._layout.addWidget(row)
        self.show()
        self.changed.emit()

    def dismiss(self, text: str) -> None:
        for i, (shown, row) in enumerate(self._rows):
            if shown == text:
                del self._rows[i]
                row.hide()
                row.deleteLater()
                break
        self.setVisible(bool(self._rows))
        self.changed.emit()

    def texts(self) -> list[str]:
        return [text for text, _ in self._rows]
