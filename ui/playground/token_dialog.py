"""How the prompt splits into tokens: each token shaded in turn, its id on hover."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QToolTip, QVBoxLayout

if TYPE_CHECKING:
    from playground.tokens.counter import TokenPiece

from ui.common.safe_text import SafeBrowser

COLORS_LIGHT = ("#ffe0b2", "#c8e6c9", "#bbdefb", "#f8bbd0", "#d1c4e9")
COLORS_DARK = ("#6d4c00", "#1b5e20", "#0d47a1", "#880e4f", "#4527a0")


class TokenDialog(QDialog):
    def __init__(self, pieces: list[TokenPiece], total: int, method: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Tokens of the prompt")
        self.resize(760, 520)
        self.pieces = pieces
        more = f" (showing the first {len(pieces):,})" if len(pieces) < total else ""
        self.summary = QLabel(
            f"<b>{total:,} tokens</b> [{method}]{more}. Each colour is one token; hover to see its id. "
            "Spaces usually belong to the token after them. (Chat formatting adds a few tokens per message.)"
        )
        self.summary.setWordWrap(True)
        self.view = SafeBrowser()
        self.view.setAccessibleName("Prompt tokens")
        self.view.highlighted.connect(self._hover)
        dark = self.palette().base().color().lightness() < 128
        colors = COLORS_DARK if dark else COLORS_LIGHT
        ink = "#eee" if dark else "#111"
        spans = []
        for i, piece in enumerate(pieces):
            text = html.escape(piece.text).replace("\n", "↵<br>") or "∅"
            spans.append(
                f'<a href="tok:{i}" style="text-decoration:none;color:{ink};'
                f'background-color:{colors[i % len(colors)]}">{text}</a>'
            )
        self.view.setHtml(
            f"<div style='white-space: pre-wrap; font-family: monospace'>{''.join(spans)}</div>"
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)

    def describe(self, index: int) -> str:
        piece = self.pieces[index]
        return f"token {index + 1}: id {piece.id}, {piece.text!r}"

    def _hover(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("tok:"):
            QToolTip.showText(QCursor.pos(), self.describe(int(text[4:])), self)
        else:
            QToolTip.hideText()
