"""The tool calls in an answer: each call's name and arguments, whether they keep to the tool's schema,
and a box for its result; "Send results" continues the loop with them."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from playground.llm.tools import ToolCall, ToolResult
from ui.playground.schema_result import status_style
from ui.shortcuts import SEND_TOOL_RESULTS

SEND_KEYS = SEND_TOOL_RESULTS


class ToolCallsView(QWidget):
    """``sendResults`` carries the calls and one result per call, in the order the model made them.
    The last result sent for a tool fills the box of its next call (a mock result, edited or sent as is)."""

    sendResults = Signal(list, list)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._calls: list[ToolCall] = []
        self.results: list[QPlainTextEdit] = []
        self.remembered: dict[str, str] = {}  # the last result sent per tool: the next call's mock result
        self.title = QLabel("")
        self.title.setAccessibleName("Tool calls")
        self._rows = QVBoxLayout()
        self.send_button = QPushButton("Send results")
        self.send_button.setAccessibleName("Send tool results")
        self.send_button.setToolTip(f"Send each result to the model and run again ({SEND_KEYS})")
        self.send_button.clicked.connect(self.send)
        shortcut = QShortcut(QKeySequence(SEND_KEYS), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.send)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addWidget(self.title)
        layout.addLayout(self._rows)
        layout.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignRight)
        self.hide()

    def show_calls(self, calls: list[ToolCall]) -> None:
        self.clear_calls()
        if not calls:
            return
        self._calls = list(calls)
        count = len(calls)
        self.title.setText(f"<b>The model called {count} tool{'s' if count != 1 else ''}</b>")
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        for i, call in enumerate(calls, 1):
            frame = QFrame()
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            box = QVBoxLayout(frame)
            head = QLabel(f"{i}. {call.name}")
            head.setTextFormat(Qt.TextFormat.PlainText)
            head.setAccessibleName(f"Tool call {i}: {call.name}")
            arguments = QLabel(_arguments(call))
            arguments.setTextFormat(Qt.TextFormat.PlainText)
            arguments.setFont(fixed)
            arguments.setWordWrap(True)
            arguments.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            arguments.setAccessibleName(f"Arguments of call {i}")
            check = QLabel(_check_line(call))
            check.setTextFormat(Qt.TextFormat.PlainText)
            check.setWordWrap(True)
            check.setAccessibleName(f"Arguments check of call {i}")
            check.setStyleSheet(status_style(check, call.valid.valid))
            result = QPlainTextEdit()
            result.setPlaceholderText(f"The result of {call.name}, as the tool would return it")
            result.setAccessibleName(f"Result of call {i}: {call.name}")
            result.setTabChangesFocus(True)
            result.setFixedHeight(60)
            result.setPlainText(self.remembered.get(call.name, ""))
            for widget in (head, arguments, check, result):
                box.addWidget(widget)
            self._rows.addWidget(frame)
            self.results.append(result)
        self.show()
        self.results[0].setFocus()

    def clear_calls(self) -> None:
        while self._rows.count():
            item = self._rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self._calls = []
        self.results = []
        self.hide()

    def send(self) -> None:
        if not self._calls or not self.isVisible():
            return
        results = [
            ToolResult(c.id, box.toPlainText()) for c, box in zip(self._calls, self.results, strict=True)
        ]
        self.remembered |= {c.name: r.content for c, r in zip(self._calls, results, strict=True) if r.content}
        self.sendResults.emit(list(self._calls), results)


def _arguments(call: ToolCall) -> str:
    if call.arguments is not None:
        return json.dumps(dict(call.arguments), indent=2, ensure_ascii=False)
    return call.arguments_text or "(no arguments)"


def _check_line(call: ToolCall) -> str:
    if call.valid.valid:
        return "✓ arguments match the tool's schema"
    return f"✗ at {call.valid.error_path or '$'}: {call.valid.message}"
