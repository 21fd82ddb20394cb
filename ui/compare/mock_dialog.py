"""Asks once per tool for the result to send back: every column that called that tool gets the same
text, so the next round compares the models on equal terms."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
)

from playground.compare.tool_round import CalledTool


def called_line(tool: CalledTool) -> str:
    times = "once" if tool.calls == 1 else f"{tool.calls} times"
    valid = (
        "valid arguments"
        if tool.valid == tool.calls
        else f"{tool.valid} of {tool.calls} with valid arguments"
    )
    return f"called {times}, {valid}"


class MockResultsDialog(QDialog):
    def __init__(self, tools: Sequence[CalledTool], remembered: Mapping[str, str], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Send tool results")
        intro = QLabel(
            "The answers stopped to call tools. Type what each tool would return; every column that "
            "called it gets the same result, and its conversation goes on."
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        self.boxes: dict[str, QPlainTextEdit] = {}
        for tool in tools:
            box = QPlainTextEdit(remembered.get(tool.name, ""))
            box.setPlaceholderText('What the tool returns, e.g. {"temperature": 18, "unit": "C"}')
            box.setAccessibleName(f"Result of {tool.name}")
            box.setTabChangesFocus(True)
            box.setMaximumHeight(box.fontMetrics().lineSpacing() * 5 + 12)
            label = QLabel(f"<b>{tool.name}</b><br><small>{called_line(tool)}</small>")
            label.setBuddy(box)
            form.addRow(label, box)
            self.boxes[tool.name] = box
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        send = buttons.addButton("Send to all columns", QDialogButtonBox.ButtonRole.AcceptRole)
        send.setDefault(True)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def mocks(self) -> dict[str, str]:
        return {name: box.toPlainText().strip() for name, box in self.boxes.items()}

    def _check(self) -> None:
        empty = [name for name, text in self.mocks().items() if not text]
        if empty:
            self.problem.setText(
                f"Type a result for {', '.join(empty)} (a tool returns something, even {{}})."
            )
            self.problem.show()
            self.boxes[empty[0]].setFocus()
            return
        self.accept()
