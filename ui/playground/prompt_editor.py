"""The prompt: a system prompt, the conversation, and values for its {{variables}}."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QSplitter, QVBoxLayout, QWidget

from playground.llm.request import Message
from playground.llm.templates import find_variables
from ui.playground.message_list import MessageList
from ui.playground.variables_table import VariablesTable

VARIABLE_SCAN_MS = 300


class PromptEditor(QWidget):
    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.system = QPlainTextEdit()
        self.system.setPlaceholderText("System prompt (optional): who the model should be, how to answer")
        self.system.setAccessibleName("System prompt")
        self.system.setTabChangesFocus(True)
        self.messages = MessageList()
        self.variables = VariablesTable()
        self._hint = QLabel("Write {{name}} in a prompt to add a variable here.")
        self._hint.setWordWrap(True)
        self._hint.setEnabled(False)

        def section(title: str, widget: QWidget, extra: QWidget | None = None) -> QWidget:
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(3)
            label = QLabel(f"<b>{title}</b>")
            label.setBuddy(widget)
            column.addWidget(label)
            column.addWidget(widget, 1)
            if extra is not None:
                column.addWidget(extra)
            return box

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(section("System", self.system))
        split.addWidget(section("Messages", self.messages))
        split.addWidget(section("Variables", self.variables, self._hint))
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 4)
        split.setStretchFactor(2, 1)
        split.setChildrenCollapsible(False)
        split.setSizes([110, 420, 90])
        self.splitter = split
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

        self._scan = QTimer(self)
        self._scan.setSingleShot(True)
        self._scan.setInterval(VARIABLE_SCAN_MS)
        self._scan.timeout.connect(self._scan_variables)
        self.system.textChanged.connect(self._edited)
        self.messages.changed.connect(self._edited)
        self.variables.changed.connect(self.changed)
        self.messages.set_messages([Message("user", "")])

    def state(self) -> tuple[str, list[Message], dict[str, str]]:
        return self.system.toPlainText(), self.messages.messages(), self.variables.values()

    def set_state(self, system: str, messages: list[Message], variables: dict[str, str]) -> None:
        self.system.setPlainText(system)
        self.variables.set_values(variables)
        self.messages.set_messages(messages)
        self._scan_variables()

    def all_variable_values(self) -> dict[str, str]:
        return self.variables.all_values()

    def _edited(self) -> None:
        self._scan.start()
        self.changed.emit()

    def _scan_variables(self) -> None:
        texts = [self.system.toPlainText(), *(m.content for m in self.messages.messages())]
        names = find_variables(texts)
        self.variables.set_names(names)
        self._hint.setVisible(not names)
