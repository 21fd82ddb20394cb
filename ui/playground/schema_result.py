"""One line under the answer: whether a structured answer kept to its format, and how it was asked for."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from playground.llm.result import CallResult

COLOURS = {
    (True, False): "#2e7d32",
    (False, False): "#c62828",
    (True, True): "#81c784",
    (False, True): "#ef9a9a",
}


def status_style(widget: QWidget, ok: bool) -> str:
    """Green or red text readable on the current palette (the dark shades were too dim on dark)."""
    dark = widget.palette().window().color().lightness() < 128
    return f"QLabel {{ color: {COLOURS[(ok, dark)]}; }}"


def result_line(result: CallResult) -> str | None:
    """ "✓ valid" or "✗ invalid at $.path: message", or None when the call asked for no format."""
    if result.validation is None:
        return None
    return result.validation.line()


class SchemaResultLine(QLabel):
    def __init__(self, parent=None, show_way: bool = True):
        """``show_way``: name how the format was asked for on the line (else only in the tooltip)."""
        super().__init__(parent)
        self._show_way = show_way
        self.setTextFormat(Qt.TextFormat.PlainText)  # the validator quotes the answer
        self.setWordWrap(True)
        self.setAccessibleName("Structured output check")
        self.hide()

    def show_result(self, result: CallResult, blind: bool = False) -> None:
        """``blind``: the way is left out of the line and the tooltip too (it names the provider)."""
        line = result_line(result)
        if line is None:
            self.clear_result()
            return
        valid = result.validation is not None and result.validation.valid
        told = result.output_way if not blind else None
        way = f"  ·  sent as {told}" if told and self._show_way else ""
        self.setText(line + way)
        self.setToolTip(f"How the format was asked for: {told}" if told else "")
        unchecked = result.validation is not None and not result.validation.checked
        self.setStyleSheet("" if unchecked else status_style(self, valid))  # unknown: neither green nor red
        self.show()

    def clear_result(self) -> None:
        self.clear()
        self.hide()
