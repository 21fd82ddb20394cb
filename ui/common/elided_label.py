"""A one-line label that ends in "…" when it is cut, rather than stopping mid-word at its edge."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel

TRAILING = " ·:,;/–-"  # left before a "…" they read as half a phrase: "failed ·…"


class ElidedLabel(QLabel):
    """Plain text, elided to the width it gets; ``full_text()`` (and the tooltip, if set) has it all.
    ``at_words``: the "…" follows the last whole word that fits, not part of one."""

    def __init__(self, text: str = "", parent=None, at_words: bool = False):
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setMinimumWidth(1)
        self._full = ""
        self._at_words = at_words
        self.set_full_text(text)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(self.width(), 1)
        metrics = self.fontMetrics()
        shown = metrics.elidedText(self._full, Qt.TextElideMode.ElideRight, width)
        if self._at_words and shown != self._full:
            words = self._full.split(" ")
            while len(words) > 1:  # the first word alone is cut as letters, as a last resort
                words.pop()
                kept = " ".join(words).rstrip(TRAILING)
                if kept and metrics.horizontalAdvance(kept + "…") <= width:
                    shown = kept + "…"
                    break
        if shown != self.text():
            self.setText(shown)
