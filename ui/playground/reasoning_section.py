"""Reasoning or thinking text, shown apart from the answer and collapsible."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QToolButton, QVBoxLayout, QWidget


class ReasoningSection(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.toggle = QToolButton()
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow)
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setAccessibleName("Show or hide reasoning")
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setMaximumHeight(160)
        self.text.setAccessibleName("Reasoning")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toggle)
        layout.addWidget(self.text)
        self.toggle.toggled.connect(self._toggled)
        self.clear()

    def clear(self) -> None:
        self.text.clear()
        self._chars = 0
        self._update_title()
        self.hide()

    def append(self, text: str) -> None:
        if not text:
            return
        self.show()
        cursor = self.text.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)
        self._chars += len(text)
        self._update_title()
        self.text.verticalScrollBar().setValue(self.text.verticalScrollBar().maximum())

    def plain(self) -> str:
        return self.text.toPlainText()

    def _toggled(self, shown: bool) -> None:
        self.text.setVisible(shown)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    def _update_title(self) -> None:
        self.toggle.setText(f"Reasoning ({self._chars:,} characters)")
