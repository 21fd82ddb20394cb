"""What a case asked (its prompts as sent) and what it expected (the expected answer and its checks),
read-only and selectable, above the answers in the detail pane."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QPlainTextEdit, QWidget

from playground.eval.case_text import asked, expected
from playground.eval.suite import Suite

SHOWN_LINES = 4  # at 1280x800 the answers keep most of the pane; the boxes scroll, the pane splits


class CaseView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.asked = _box("What the case asked", "The prompt as sent, filled with the case's values")
        self.expected = _box("What the case expected", "The expected answer and the checks")
        layout = QGridLayout(self)  # labels beside the boxes, not above: the answers keep the height
        layout.setContentsMargins(0, 0, 0, 0)
        self._head = QLabel("Asked")
        for column, (label, box) in enumerate(
            ((self._head, self.asked), (QLabel("Expected"), self.expected))
        ):
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            label.setBuddy(box)
            layout.addWidget(label, 0, 2 * column)
            layout.addWidget(box, 0, 2 * column + 1)
        layout.setColumnStretch(1, 3)
        layout.setColumnStretch(3, 2)

    def show_case(self, suite: Suite, index: int) -> None:
        self.asked.setPlainText(asked(suite, index))
        self.expected.setPlainText(expected(suite, index))

    def clear(self) -> None:
        self.asked.clear()
        self.expected.clear()

    def preferred_height(self) -> int:
        """SHOWN_LINES lines of text: what the pane gives the case at first."""
        frame = 2 * self.asked.frameWidth() + 2 * int(self.asked.document().documentMargin())
        return self.asked.fontMetrics().lineSpacing() * SHOWN_LINES + frame + 2


def _box(name: str, placeholder: str) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setReadOnly(True)
    box.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    box.setAccessibleName(name)
    box.setPlaceholderText(placeholder)
    return box
