"""The saved-workload picker: a combo of names with Save, Save as… and Delete. It only asks; the page
reads and writes the files off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QInputDialog, QPushButton, QVBoxLayout, QWidget

UNSAVED = "(not saved)"


def ask_name(parent: QWidget, current: str) -> str | None:
    name, ok = QInputDialog.getText(parent, "Save workload as", "Name:", text=current)
    return name if ok else None


class SavedBar(QWidget):
    picked = Signal(str)  # a saved name was chosen: load it
    saveRequested = Signal(str)  # save the form under this name
    deleteRequested = Signal(str)

    def __init__(self, ask: Callable[[QWidget, str], str | None] = ask_name, parent: QWidget | None = None):
        super().__init__(parent)
        self._ask = ask
        self.combo = QComboBox()
        self.combo.setAccessibleName("Saved workloads")
        self.combo.setToolTip("Workloads saved by name; `playground plan --file` reads the same files")
        self.combo.setMinimumContentsLength(12)
        self.combo.activated.connect(self._activated)
        self.save = QPushButton("Save")
        self.save.setToolTip("Save the form under the chosen name")
        self.save_as = QPushButton("Save as…")
        self.save_as.setToolTip("Save the form under a new name")
        self.delete = QPushButton("Delete")
        self.delete.setToolTip("Delete the chosen saved workload")
        for button in (self.save, self.save_as, self.delete):
            button.setAccessibleName(f"{button.text().rstrip('…')} workload")
        self.save.clicked.connect(self._save)
        self.save_as.clicked.connect(self._save_as)
        self.delete.clicked.connect(self._delete)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.combo)
        row = QHBoxLayout()
        column.addLayout(row)
        row.addWidget(self.save)
        row.addWidget(self.save_as)
        row.addWidget(self.delete)
        self.set_names([], "")

    @property
    def current(self) -> str:
        text = self.combo.currentText()
        return "" if text == UNSAVED else text

    def set_names(self, names: list[str], current: str) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItems([UNSAVED, *names])
        self.combo.setCurrentText(current if current in names else UNSAVED)
        self.combo.blockSignals(False)
        self.delete.setEnabled(bool(self.current))

    def _activated(self, _: int) -> None:
        self.delete.setEnabled(bool(self.current))
        if self.current:
            self.picked.emit(self.current)

    def _delete(self) -> None:
        if self.current:
            self.deleteRequested.emit(self.current)

    def _save(self) -> None:
        if self.current:
            self.saveRequested.emit(self.current)
        else:
            self._save_as()

    def _save_as(self) -> None:
        name = self._ask(self, self.current)
        if name is not None:
            self.saveRequested.emit(name)
