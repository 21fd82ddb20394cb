"""A word diff of two answers: removed words struck through in red, added words in green."""

from __future__ import annotations

import html

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
)

from playground.compare.columns import word_diff
from ui.common.safe_text import SafeBrowser

DELETED = '<span style="background:rgba(217,83,79,0.25);text-decoration:line-through">{}</span>'
INSERTED = '<span style="background:rgba(46,160,67,0.25)">{}</span>'


class DiffDialog(QDialog):
    def __init__(self, answers: list[tuple[str, str]], parent=None):
        """``answers``: (label, text) pairs to choose from."""
        super().__init__(parent)
        self.setWindowTitle("Compare two answers")
        self.resize(760, 520)
        self._answers = answers
        self.left, self.right = QComboBox(), QComboBox()
        for combo in (self.left, self.right):
            combo.addItems([label for label, _ in answers])
        self.right.setCurrentIndex(min(1, len(answers) - 1))
        self.view = SafeBrowser()
        self.view.setAccessibleName("Word diff")
        pick = QHBoxLayout()
        pick.addWidget(self.left, 1)
        pick.addWidget(QLabel("→"))
        pick.addWidget(self.right, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(pick)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.left.currentIndexChanged.connect(self.render)
        self.right.currentIndexChanged.connect(self.render)
        self.render()

    def render(self) -> None:
        a = self._answers[self.left.currentIndex()][1]
        b = self._answers[self.right.currentIndex()][1]
        parts = []
        for op, text in word_diff(a, b):
            body = html.escape(text).replace("\n", "<br>")
            if op == "delete":
                parts.append(DELETED.format(body))
            elif op == "insert":
                parts.append(INSERTED.format(body))
            else:
                parts.append(body)
        self.view.setHtml("".join(parts))
