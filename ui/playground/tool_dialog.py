"""Add or edit one tool: its name, what it does, and its parameters as JSON Schema (checked on OK)."""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from playground.llm.tools import ToolSpec
from ui.playground.schema_result import status_style

_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
EMPTY_SCHEMA = {"type": "object", "properties": {}, "required": []}


class ToolDialog(QDialog):
    def __init__(
        self, tool: ToolSpec | None = None, taken: tuple[str, ...] = (), parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setWindowTitle("Edit tool" if tool else "Add tool")
        self._taken = taken
        self.name = QLineEdit(tool.name if tool else "")
        self.name.setAccessibleName("Tool name")
        self.name.setPlaceholderText("get_weather")
        self.description = QLineEdit(tool.description if tool else "")
        self.description.setAccessibleName("Tool description")
        self.description.setPlaceholderText("What the tool does, for the model")
        self.schema = QPlainTextEdit(json.dumps(dict(tool.parameters) if tool else EMPTY_SCHEMA, indent=2))
        self.schema.setAccessibleName("Tool parameters schema")
        self.schema.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.schema.setMinimumSize(420, 220)
        self.problem = QLabel("")
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Tool check")
        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("&Description", self.description)
        form.addRow("&Parameters (JSON Schema)", self.schema)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def tool(self) -> ToolSpec | None:
        """The tool as written, or None (with the reason shown) when it cannot be sent."""
        name = self.name.text().strip()
        problem = ""
        schema: Any = None
        if not _NAME.match(name):
            problem = "The name may hold only letters, digits, _ and - (1 to 64)."
        elif name in self._taken:
            problem = f"A tool named {name!r} is already there."
        else:
            try:
                schema = json.loads(self.schema.toPlainText())
            except json.JSONDecodeError as exc:
                problem = f"The parameters are not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
            else:
                problem = _schema_problem(schema)
        if problem:
            self.problem.setText(f"✗ {problem}")
            self.problem.setStyleSheet(status_style(self.problem, False))
            return None
        return ToolSpec(name, self.description.text().strip(), schema)

    def accept(self) -> None:
        if self.tool() is not None:
            super().accept()


def _schema_problem(schema: Any) -> str:
    if not isinstance(schema, dict) or schema.get("type") != "object":
        return 'The parameters schema must be an object with "type": "object".'
    if "jsonschema.validators" in sys.modules:  # loaded off the GUI thread by the Tools section
        from playground.llm.schema import schema_problem

        found = schema_problem(schema)
        if found is not None:
            return f"Not valid JSON Schema at {found[0]}: {found[1]}."
    return ""
