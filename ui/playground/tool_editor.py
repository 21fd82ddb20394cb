"""The Tools section of the parameter panel: the tools offered (add, edit, remove, import from an
OpenAI- or Anthropic-format JSON file), the tool choice and parallel calls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from playground.llm.tools import PARAM, ToolChoice, ToolSet, ToolSpec
from ui.playground.schema_result import status_style
from ui.playground.tool_dialog import ToolDialog

CHOICES = (("Auto", ToolChoice.AUTO), ("None", ToolChoice.NONE), ("Required", ToolChoice.REQUIRED))


class ToolsEditor(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.session: Any = None  # set by attach(): file reads go through its background pool
        self._tools: list[ToolSpec] = []
        self.list = QListWidget()
        self.list.setAccessibleName("Tools")
        self.list.setToolTip("Tools the model may call; Enter edits, Delete removes")
        self.list.setMaximumHeight(110)
        self.list.itemActivated.connect(lambda _item: self.edit_current())
        self.add_button = QPushButton("&Add…")
        self.add_button.setAccessibleName("Add tool")
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setAccessibleName("Edit tool")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setAccessibleName("Remove tool")
        self.import_button = QPushButton("Import…")
        self.import_button.setAccessibleName("Import tools from a JSON file")
        self.import_button.setToolTip("A JSON file of tools in OpenAI or Anthropic format")
        self.choice = QComboBox()
        self.choice.setAccessibleName("Tool choice")
        self.choice.setToolTip("Whether the model may, must, or must not call a tool, or which one")
        self.parallel = QCheckBox("Parallel calls")
        self.parallel.setChecked(True)
        self.parallel.setAccessibleName("Allow parallel tool calls")
        self.parallel.setToolTip("Let the model call several tools in one answer")
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Tools status")
        self.note.hide()

        buttons = QGridLayout()  # two by two: the panel stays as narrow as its other rows
        for i, button in enumerate(
            (self.add_button, self.edit_button, self.import_button, self.remove_button)
        ):
            buttons.addWidget(button, i // 2, i % 2)
        options = QHBoxLayout()
        options.addWidget(QLabel("Choice"))
        options.addWidget(self.choice, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(QLabel("<b>Tools</b>"))
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        layout.addLayout(options)
        layout.addWidget(self.parallel)
        layout.addWidget(self.note)

        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_current)
        self.remove_button.clicked.connect(self.remove_current)
        self.import_button.clicked.connect(self.import_file)
        self.choice.currentIndexChanged.connect(self._choice_changed)
        self.parallel.toggled.connect(self.changed)
        self._refresh()

    def attach(self, session: Any) -> None:
        self.session = session

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Delete and self.list.hasFocus():
            self.remove_current()
            return
        super().keyPressEvent(event)

    # the value

    def toolset(self) -> ToolSet:
        choice = ToolChoice(self.choice.currentData() or ToolChoice.AUTO)
        named = ""
        if self.choice.currentIndex() >= len(CHOICES):
            choice, named = ToolChoice.NAMED, self.choice.currentText().removeprefix("Call ")
        return ToolSet(tuple(self._tools), choice, named, self.parallel.isChecked())

    def value(self) -> dict[str, Any] | None:
        """The ``tools`` parameter, or None when no tool is offered."""
        return self.toolset().to_dict() if self._tools else None

    def set_value(self, value: Any) -> None:
        """Show a recorded ``tools`` parameter (a re-run, a reopened conversation)."""
        try:
            tools = ToolSet.from_value(value) if value is not None else ToolSet()
        except Exception:  # a value this version cannot read: no tools, nothing lost from the row
            tools = ToolSet()
        self._tools = list(tools.tools)
        self.parallel.setChecked(tools.parallel)
        self._refresh(tools.named if tools.choice == ToolChoice.NAMED else str(tools.choice))

    def set_tools(self, tools: list[ToolSpec]) -> None:
        self._tools = list(tools)
        self._refresh()
        self.changed.emit()

    # editing

    def add(self) -> None:
        dialog = ToolDialog(taken=tuple(t.name for t in self._tools), parent=self)
        if dialog.exec() and (tool := dialog.tool()) is not None:
            self.set_tools([*self._tools, tool])

    def edit_current(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self._tools):
            return
        others = tuple(t.name for i, t in enumerate(self._tools) if i != row)
        dialog = ToolDialog(self._tools[row], others, parent=self)
        if dialog.exec() and (tool := dialog.tool()) is not None:
            tools = list(self._tools)
            tools[row] = tool
            self.set_tools(tools)

    def remove_current(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._tools):
            self.set_tools([t for i, t in enumerate(self._tools) if i != row])

    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import tools", "", "JSON files (*.json);;All files (*)")
        if path:
            self.import_path(Path(path))

    def import_path(self, path: Path) -> None:
        """Read and check the file off the GUI thread; the tools are added, or the reason is shown."""
        self.session.background.submit(
            lambda: _read_tools(path), lambda tools: self._imported(tools, path), self._failed
        )

    def _imported(self, tools: list[ToolSpec], path: Path) -> None:
        names = {t.name for t in tools}
        self.set_tools([t for t in self._tools if t.name not in names] + tools)
        self._show(f"✓ {len(tools)} tool{'s' if len(tools) != 1 else ''} from {path.name}", ok=True)

    def _failed(self, exc: BaseException) -> None:
        message = getattr(getattr(exc, "error", None), "message", None) or f"{type(exc).__name__}: {exc}"
        self._show(f"✗ {message}", ok=False)

    def _show(self, text: str, ok: bool) -> None:
        self.note.setText(text)
        self.note.setStyleSheet(status_style(self.note, ok))
        self.note.show()

    def _refresh(self, keep: str | None = None) -> None:
        keep = keep if keep is not None else self.choice.currentText()
        self.list.clear()
        for tool in self._tools:
            item = QListWidgetItem(tool.name)
            item.setToolTip(tool.description or "(no description)")
            self.list.addItem(item)
        self.choice.blockSignals(True)
        self.choice.clear()
        for label, choice in CHOICES:
            self.choice.addItem(label, str(choice))
        for tool in self._tools:
            self.choice.addItem(f"Call {tool.name}", str(ToolChoice.NAMED))
        index = max(
            self.choice.findData(keep), self.choice.findText(keep), self.choice.findText(f"Call {keep}")
        )
        self.choice.setCurrentIndex(max(index, 0))
        self.choice.blockSignals(False)
        has = bool(self._tools)
        for widget in (self.edit_button, self.remove_button, self.choice, self.parallel):
            widget.setEnabled(has)
        if has and self.list.currentRow() < 0:
            self.list.setCurrentRow(0)

    def _choice_changed(self) -> None:
        self.changed.emit()


def _read_tools(path: Path) -> list[ToolSpec]:
    """On the background pool: the file read, parsed and checked (jsonschema loads here, not on the GUI)."""
    from playground.llm.errors import ErrorKind, PlaygroundError
    from playground.llm.tools import MAX_FILE_BYTES, read_file

    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise PlaygroundError.of(
                ErrorKind.INVALID_PARAMETER, f"{path.name} is over 2 MB: not a tools file."
            )
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlaygroundError.of(ErrorKind.INVALID_PARAMETER, f"Could not read {path.name}: {exc}") from None
    return read_file(text)


__all__ = ["PARAM", "ToolsEditor"]
