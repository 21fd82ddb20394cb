"""The saved-workload picker: a combo of names with Save, Save as… and Delete. It only asks; the page
reads and writes the files off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

UNSAVED = "(not saved)"
SAVE_TIP = "Save the form under the chosen name"
SAVE_AS_TIP = "Save the form under a new name"
DELETE_TIP = "Delete the chosen saved workload"


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
        self.save.setToolTip(SAVE_TIP)
        self.save_as = QPushButton("Save as…")
        self.save_as.setToolTip(SAVE_AS_TIP)
        self.delete = QPushButton("Delete")
        self.delete.setToolTip(DELETE_TIP)
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
        self.note = QLabel()  # why workloads cannot be saved here (a read-only folder)
        self.note.setTextFormat(Qt.TextFormat.PlainText)  # names a folder
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Why workloads cannot be saved")
        self.note.hide()
        column.addWidget(self.note)
        self._read_only: str | None = None
        self.set_names([], "")

    def set_read_only(self, why: str | None) -> None:
        """``why`` no workload can be saved or deleted (their folder cannot be written): Save, Save as
        and Delete are off and say so; saved workloads still open."""
        self._read_only = why
        self.note.setText(f"{why} Saved workloads open; none can be saved or deleted." if why else "")
        self.note.setVisible(bool(why))
        for button, tip in ((self.save, SAVE_TIP), (self.save_as, SAVE_AS_TIP), (self.delete, DELETE_TIP)):
            button.setToolTip(why or tip)
        self._enable()

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
        self._enable()

    def _enable(self) -> None:
        writable = not self._read_only
        self.save.setEnabled(writable)
        self.save_as.setEnabled(writable)
        self.delete.setEnabled(writable and bool(self.current))

    def _activated(self, _: int) -> None:
        self._enable()
        if self.current:
            self.picked.emit(self.current)

    def _delete(self) -> None:
        if self.current and not self._read_only:
            self.deleteRequested.emit(self.current)

    def _save(self) -> None:
        if self.current and not self._read_only:
            self.saveRequested.emit(self.current)
        else:
            self._save_as()

    def _save_as(self) -> None:
        if self._read_only:
            return
        name = self._ask(self, self.current)
        if name is not None:
            self.saveRequested.emit(name)
