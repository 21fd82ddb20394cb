"""Pick a past comparison from history to reopen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout


class GroupDialog(QDialog):
    def __init__(self, groups: list[dict], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Open a comparison from history")
        self.resize(640, 400)
        self.list = QListWidget()
        self.list.setAccessibleName("Past comparisons")
        for g in groups:
            when = (g["started_at"] or "")[:16].replace("T", " ")
            item = QListWidgetItem(f"{when}  ·  {g['calls']} calls  ·  {g['models']}")
            item.setData(Qt.ItemDataRole.UserRole, g["group_id"])
            self.list.addItem(item)
        if groups:
            self.list.setCurrentRow(0)
        empty = QLabel("No comparisons in history yet.")
        empty.setVisible(not groups)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda _: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(empty)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def group_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None
