"""The keyboard shortcuts, listed from the window's own actions so the list never goes stale."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTableWidget, QTableWidgetItem, QVBoxLayout

KEYPAD = {"Ctrl+Enter": "Ctrl+Enter (keypad)"}  # Qt names the keypad's Enter "Enter", the main one "Return"


def keys_text(action: QAction) -> str:
    return " or ".join(KEYPAD.get(k.toString(), k.toString()) for k in action.shortcuts())


class ShortcutsDialog(QDialog):
    def __init__(self, actions: list[QAction], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows = [(a.text().replace("&", ""), keys_text(a)) for a in actions if not a.shortcut().isEmpty()]
        table = QTableWidget(len(rows), 2)
        table.setHorizontalHeaderLabels(["Action", "Shortcut"])
        table.verticalHeader().hide()
        table.horizontalHeader().setStretchLastSection(True)
        for row, (name, keys) in enumerate(rows):
            table.setItem(row, 0, QTableWidgetItem(name))
            table.setItem(row, 1, QTableWidgetItem(keys))
        table.resizeColumnsToContents()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)  # a compact list
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.table = table
        self.resize(460, self._fitting_height(layout, buttons.sizeHint().height()))

    def _fitting_height(self, layout: QVBoxLayout, buttons: int) -> int:
        """Tall enough for every row without scrolling, within 90% of the screen."""
        t = self.table
        rows = t.horizontalHeader().sizeHint().height() + t.verticalHeader().length() + 2 * t.frameWidth()
        margins = layout.contentsMargins()
        wanted = rows + buttons + layout.spacing() + margins.top() + margins.bottom() + 2
        screen = self.screen()
        return min(wanted, int(screen.availableGeometry().height() * 0.9)) if screen else wanted
