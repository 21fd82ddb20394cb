"""The Output section of the parameter panel: plain text, a JSON object, or JSON matching a schema
edited here (checked as you type), started from a sample or a schema saved by name."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.llm.schema import DEFAULT_NAME, PARAM, STARTERS, OutputMode, OutputSpec, api_name
from ui.playground.schema_result import status_style

MODES = (
    ("Plain text", OutputMode.TEXT),
    ("JSON object", OutputMode.JSON_OBJECT),
    ("JSON schema", OutputMode.JSON_SCHEMA),
)
CHECK_DELAY_MS = 150  # checked once typing pauses


class SchemaEditor(QWidget):
    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.session: Any = None  # set by attach(): saved schemas go through its background pool
        self._latest: Any = None  # checks run on the background pool once attached; the newest is shown
        self.mode = QComboBox()
        for label, mode in MODES:
            self.mode.addItem(label, str(mode))
        self.mode.setAccessibleName("Output format")
        self.mode.setToolTip("Ask for plain text, any JSON object, or JSON that matches the schema below")
        self.name = QLineEdit()
        self.name.setPlaceholderText(DEFAULT_NAME)
        self.name.setAccessibleName("Schema name")
        self.name.setToolTip("The schema's name as the API sees it (letters, digits, _ and -)")
        self.strict = QCheckBox("Strict")
        self.strict.setChecked(True)
        self.strict.setToolTip("OpenAI: hold the answer to the schema exactly (a subset of JSON Schema)")
        self.starters = QToolButton()
        self.starters.setText("Samples")
        self.starters.setAccessibleName("Sample schemas")
        self.starters.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        samples = QMenu(self.starters)
        for title in STARTERS:
            samples.addAction(title, partial(self.set_sample, title))
        self.starters.setMenu(samples)
        self.saved = QToolButton()
        self.saved.setText("Saved")
        self.saved.setAccessibleName("Saved schemas")
        self.saved.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.saved_menu = QMenu(self.saved)
        self.saved_menu.aboutToShow.connect(self._list_saved)
        self.saved.setMenu(self.saved_menu)
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName("JSON schema")
        self.editor.setPlaceholderText('{"type": "object", "properties": {...}}')
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setMinimumHeight(120)
        self.problem = QLabel("")
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Schema check")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check)

        head = QHBoxLayout()
        head.addWidget(QLabel("<b>Output</b>"))
        head.addWidget(self.mode, 1)
        tools = QHBoxLayout()
        tools.addWidget(self.name, 1)
        tools.addWidget(self.strict)
        tools.addWidget(self.starters)
        tools.addWidget(self.saved)
        self.schema_part = QWidget()
        part = QVBoxLayout(self.schema_part)
        part.setContentsMargins(0, 0, 0, 0)
        part.addLayout(tools)
        part.addWidget(self.editor)
        part.addWidget(self.problem)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(head)
        layout.addWidget(self.schema_part)

        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.editor.textChanged.connect(self._timer.start)
        self.editor.textChanged.connect(self.changed)
        self.name.textChanged.connect(self.changed)
        self.strict.toggled.connect(self.changed)
        self._mode_changed()

    def attach(self, session: Any) -> None:
        """Saved schemas need the data folder and the background pool (the validator loads there too)."""
        self.session = session

    # the value

    def current_mode(self) -> OutputMode:
        return OutputMode(self.mode.currentData())

    def value(self) -> dict[str, Any] | None:
        """The ``output`` parameter (None for plain text). An unreadable schema is passed as its text:
        the run refuses it with the reason rather than send something else."""
        mode = self.current_mode()
        if mode == OutputMode.TEXT:
            return None
        if mode == OutputMode.JSON_OBJECT:
            return {"mode": str(mode)}
        text = self.editor.toPlainText()
        try:
            schema: Any = json.loads(text)
        except (ValueError, RecursionError):  # too deep: the run refuses it in one line
            schema = text
        name = self.name.text().strip() or DEFAULT_NAME
        return {"mode": str(mode), "schema": schema, "name": name, "strict": self.strict.isChecked()}

    def set_value(self, value: Any) -> None:
        """Show a recorded ``output`` parameter (a re-run from History, a reopened conversation)."""
        try:
            spec = OutputSpec.from_value(value) if value is not None else OutputSpec()
        except Exception:  # a value this version cannot read: plain text, nothing lost from the row
            spec = OutputSpec()
        self.mode.setCurrentIndex(self.mode.findData(str(spec.mode)))
        if spec.mode == OutputMode.JSON_SCHEMA:
            self.set_schema(dict(spec.schema or {}), spec.name)
            self.strict.setChecked(spec.strict)

    def set_sample(self, title: str) -> None:
        self.set_schema(STARTERS[title], api_name(title))

    def set_schema(self, schema: dict[str, Any], name: str | None = None) -> None:
        self.mode.setCurrentIndex(self.mode.findData(str(OutputMode.JSON_SCHEMA)))
        self.editor.setPlainText(json.dumps(schema, indent=2, ensure_ascii=False))
        if name:
            self.name.setText(name)
        self.check()

    # checking as you type

    def check(self) -> None:
        """Show the first problem of the schema (its JSON, then JSON Schema itself), or that it is valid."""
        self._timer.stop()
        if self.current_mode() != OutputMode.JSON_SCHEMA:
            return
        text = self.editor.toPlainText()
        if not text.strip():
            self._show("Write a JSON schema, or pick one from Samples.", ok=False)
            return
        if self.session is None:  # not attached (a bare editor): check here
            self._show(*verdict(text))
            return
        self._submit(lambda: verdict(text), lambda shown: self._show(*shown))

    def _submit(self, work: Any, done: Any) -> None:
        """Checks and saves share one line and one ``Latest``: a check still running when Save is
        pressed must not replace "saved as" with its older verdict (it did, under load)."""
        if self._latest is None:
            from ui.common.background import Latest

            self._latest = Latest(self.session.background)
        self._latest.submit(work, done, self._failed)

    def _show(self, text: str, ok: bool) -> None:
        self.problem.setText(text)
        self.problem.setStyleSheet(status_style(self.problem, ok))

    def _mode_changed(self) -> None:
        schema = self.current_mode() == OutputMode.JSON_SCHEMA
        self.schema_part.setVisible(schema)
        self.strict.setVisible(schema)
        if schema:
            self.check()
        self.changed.emit()

    # saved schemas

    def _store(self):
        from playground.llm.schema_store import FOLDER, SchemaStore

        return SchemaStore(self.session.core.home / FOLDER)

    def _ready(self) -> bool:
        return self.session is not None and self.session.core is not None

    def _list_saved(self) -> None:
        self.saved_menu.clear()
        save = self.saved_menu.addAction("Save this schema as…", self.save_as)
        save.setEnabled(self._ready() and self.current_mode() == OutputMode.JSON_SCHEMA)
        self.saved_menu.addSeparator()
        if not self._ready():
            self.saved_menu.addAction("(not available yet)").setEnabled(False)
            return
        self.session.background.submit(lambda: self._store().names(), self._fill_saved, self._failed)

    def _fill_saved(self, names: list[str]) -> None:
        if not names:
            self.saved_menu.addAction("(none saved yet)").setEnabled(False)
        for name in names:
            self.saved_menu.addAction(name, partial(self.open_saved, name))

    def open_saved(self, name: str) -> None:
        self.session.background.submit(
            lambda: self._store().load(name), lambda schema: self.set_schema(schema), self._failed
        )

    def save_as(self) -> None:
        name, ok = QInputDialog.getText(self, "Save schema", "Name:", text=self.name.text().strip())
        if ok and name.strip():
            self.save(name)

    def save(self, name: str) -> None:
        value = self.value()
        schema = value.get("schema") if value else None
        if not isinstance(schema, dict):
            self._show("✗ only a schema that is JSON can be saved", ok=False)
            return
        store = self._store
        self._submit(
            lambda: store().save(name, schema), lambda saved: self._show(f"✓ saved as {saved!r}", ok=True)
        )

    def _failed(self, exc: BaseException) -> None:
        message = getattr(getattr(exc, "error", None), "message", None) or f"{type(exc).__name__}: {exc}"
        self._show(f"✗ {message}", ok=False)


def verdict(text: str) -> tuple[str, bool]:
    """The schema's first problem (its JSON, then JSON Schema itself), or that it is valid. Run on the
    background pool: a pasted schema of 200,000 properties takes minutes to check."""
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as exc:
        return f"✗ not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", False
    except RecursionError:
        return "✗ nested too deeply to read", False
    from playground.llm.schema import schema_problem

    problem = schema_problem(schema)
    if problem is None:
        return "✓ valid JSON Schema", True
    return f"✗ at {problem[0]}: {problem[1]}", False


__all__ = ["PARAM", "SchemaEditor"]
