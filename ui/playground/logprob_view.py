"""The answer with each token shaded by how likely it was; hover shows the top alternatives."""

from __future__ import annotations

import html
import math

from PySide6.QtCore import QUrl
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QToolTip

from playground.llm.events import TokenLogprob
from ui.common.safe_text import SafeBrowser


def shade(probability: float, dark: bool) -> str:
    """Sure tokens stay plain; unlikely ones get a stronger orange."""
    alpha = max(0.0, min(1.0, 1.0 - probability)) * 0.75
    return f"rgba(255, {140 if dark else 150}, 0, {alpha:.2f})"


class LogprobView(SafeBrowser):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Answer shaded by token probability")
        self._tokens: list[TokenLogprob] = []
        self.highlighted.connect(self._hover)

    def set_tokens(self, tokens: list[TokenLogprob], dark: bool = False, empty_hint: str = "") -> None:
        """Shade ``tokens``; with none, show ``empty_hint`` (why, and how to turn them on)."""
        self._tokens = list(tokens)
        if not tokens:
            hint = empty_hint or (
                "Turn on <b>Log probabilities</b> in the Parameters panel and run again "
                "(OpenAI models and many compatible servers return them; Anthropic does not)."
            )
            self.setHtml(f"<p><i>No token probabilities yet.</i></p><p>{hint}</p>")
            return
        text_color = "#eee" if dark else "#111"
        parts = []
        for i, tok in enumerate(tokens):
            p = math.exp(tok.logprob)
            body = html.escape(tok.token).replace("\n", "<br>")
            parts.append(
                f'<a href="tok:{i}" style="text-decoration:none;color:{text_color};'
                f'background-color:{shade(p, dark)}">{body}</a>'
            )
        self.setHtml(f"<div style='white-space: pre-wrap'>{''.join(parts)}</div>")

    def explain(self, index: int) -> str:
        tok = self._tokens[index]
        lines = [f"<b>{html.escape(repr(tok.token))}</b>: {math.exp(tok.logprob):.1%}"]
        for alt, lp in tok.top:
            if alt != tok.token:
                lines.append(f"{html.escape(repr(alt))}: {math.exp(lp):.1%}")
        return "<br>".join(lines)

    def _hover(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("tok:"):
            QToolTip.showText(QCursor.pos(), self.explain(int(text[4:])), self)
        else:
            QToolTip.hideText()
