"""Values for the {{variables}} found in the prompt."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem


class VariablesTable(QTableWidget):
    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(0, 2, parent)
        self.setHorizontalHeaderLabels(["Variable", "Value"])
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.verticalHeader().hide()
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAccessibleName("Prompt variables")
        self._values: dict[str, str] = {}
        self.itemChanged.connect(self._edited)

    def set_names(self, names: list[str]) -> None:
        """Show these variables; values typed earlier are kept, even for names gone for now."""
        if names == [self._name(r) for r in range(self.rowCount())]:
            return
        self.blockSignals(True)
        self.setRowCount(len(names))
        for row, name in enumerate(names):
            label = QTableWidgetItem(name)
            label.setFlags(label.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.setItem(row, 0, label)
            self.setItem(row, 1, QTableWidgetItem(self._values.get(name, "")))
        self.blockSignals(False)
        self.changed.emit()

    def values(self) -> dict[str, str]:
        names = [self._name(r) for r in range(self.rowCount())]
        return {name: self._values[name] for name in names if self._values.get(name)}

    def all_values(self) -> dict[str, str]:
        return dict(self._values)

    def set_values(self, values: dict[str, str]) -> None:
        self._values = dict(values)
        names = [self._name(r) for r in range(self.rowCount())]
        self.setRowCount(0)
        self.set_names(names)

    def _name(self, row: int) -> str:
        item = self.item(row, 0)  # every row gets its name item in set_names
        return item.text() if item is not None else ""

    def _edited(self, item: QTableWidgetItem) -> None:
        if item.column() == 1:
            self._values[self._name(item.row())] = item.text()
            self.changed.emit()
