"""One line under a column's answer: the tools it called, each with whether its arguments kept to the
tool's schema, so "which model calls the right tool with valid arguments" reads across the columns."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from playground.llm.result import CallResult
from playground.llm.tools import ToolCall
from ui.playground.schema_result import status_style

SHOWN_ARGS = 60  # characters of a call's arguments on the line; the tooltip has them whole


def call_text(call: ToolCall) -> str:
    """'get_weather({"city": "Paris"}) ✓' or '… ✗ at $.city: …' (the arguments cut to fit the line)."""
    args = " ".join(call.arguments_text.split())
    args = args if len(args) <= SHOWN_ARGS else args[: SHOWN_ARGS - 1] + "…"
    mark = "✓" if call.valid.valid else call.valid.line()
    return f"{call.name}({args}) {mark}"


class ToolCallsLine(QLabel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)  # arguments are the model's text
        self.setWordWrap(True)
        self.setAccessibleName("Tool calls")
        self.hide()

    def show_result(self, result: CallResult | None, round_: int = 1) -> None:
        """The calls of ``result`` (hidden when it made none); ``round_`` > 1 after mocked results."""
        calls = result.tool_calls if result is not None else []
        if not calls:
            self.clear_result()
            return
        head = f"Round {round_}: called " if round_ > 1 else "Called "
        self.setText(head + " · ".join(call_text(c) for c in calls))
        self.setToolTip("\n\n".join(f"{c.name}\n{c.arguments_text}" for c in calls))
        self.setStyleSheet(status_style(self, all(c.valid.valid for c in calls)))
        self.show()

    def clear_result(self) -> None:
        self.clear()
        self.setToolTip("")
        self.hide()
