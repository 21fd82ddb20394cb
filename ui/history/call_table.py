"""The calls table: a QTableView that does not repaint itself for rows added below what it shows.

A scrolled page's rows are appended past the bottom of the screen. Qt lays out the view after any
insert, and its item layout repaints the whole viewport (every visible cell, ~5-8 ms on a 1280x800
window): the rows on screen have not changed, so that paint is work the user never sees. Here an
append past the visible rows only updates the scroll ranges; any other change lays out as Qt does."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtWidgets import QTableView


class CallTable(QTableView):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._appended_below = False

    def rowsInserted(self, parent: QModelIndex | QPersistentModelIndex, start: int, end: int) -> None:
        # the view's own height is past the viewport's bottom edge, so ``bottom`` is the last row on
        # screen or one just below it (never less); -1 when the rows do not reach that far: then the
        # new rows may be on screen. (Not ``viewport()``: its first Python wrapper costs ~10 ms.)
        bottom = self.rowAt(self.height())
        self._appended_below = not parent.isValid() and bottom >= 0 and start > bottom
        super().rowsInserted(parent, start, end)

    def doItemsLayout(self) -> None:
        if self._appended_below:
            self._appended_below = False
            self.updateGeometries()  # the scroll bar's new range; the cells on screen are as they were
            return
        super().doItemsLayout()
