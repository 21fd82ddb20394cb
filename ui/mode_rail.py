"""The left navigation rail: one entry per mode; the chosen mode owns the rest of the window."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem

RAIL_WIDTH = 112
ITEM_HEIGHT = 36


class ModeRail(QListWidget):
    """A vertical list of modes; ``picked`` carries the row chosen by the user (mouse or keys)."""

    picked = Signal(int)

    def __init__(self, modes: tuple[tuple[str, str], ...], parent=None):
        super().__init__(parent)
        self.setAccessibleName("Modes")
        self.setFixedWidth(RAIL_WIDTH)
        self.setFrameShape(QListWidget.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSpacing(2)  # no style sheet: it would freeze the palette (dark mode stayed white)
        for index, (name, tip) in enumerate(modes):
            item = QListWidgetItem(name)
            item.setToolTip(f"{tip} (Ctrl+{index + 1})")
            item.setSizeHint(QSize(RAIL_WIDTH - 8, ITEM_HEIGHT))
            self.addItem(item)
        self.setCurrentRow(0)
        self.currentRowChanged.connect(self._changed)
        self._following = False

    def show_mode(self, index: int) -> None:
        """Follow a mode switched from elsewhere without echoing it back."""
        self._following = True
        self.setCurrentRow(index)
        self._following = False

    def _changed(self, row: int) -> None:
        if not self._following and row >= 0:
            self.picked.emit(row)
