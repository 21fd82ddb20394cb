"""The metrics table under the answers: one row per figure, read across. Its cells sit in the same grid
columns as the answer columns above them, so they share their widths and scroll with them."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from playground.compare.metrics import ROW_NAMES, Cell, metrics_grid
from playground.llm.result import CallResult

BEST = QColor(46, 160, 67, 80)  # a green wash that reads in light and dark palettes
HIDDEN = "Metrics: hidden until your vote (timings, tokens and cost can each tell the models apart)."
FIRST_ROW = 2  # row 0: the answer columns; row 1: the caption


def _label(text: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setContentsMargins(4, 1, 4, 1)
    return label


def _mark(cell: QLabel, best: bool) -> None:
    """Bold on a green wash (no style sheet: the text keeps following the palette, light or dark)."""
    font = cell.font()
    font.setBold(best)
    cell.setFont(font)
    palette = cell.palette()
    palette.setColor(QPalette.ColorRole.Window, BEST)
    cell.setPalette(palette)
    cell.setAutoFillBackground(best)


class MetricsGrid:
    """The figure names (grid column 0) and one column of cells per answer column, in ``grid``."""

    def __init__(self, grid: QGridLayout, parent: QWidget):
        self._grid = grid
        self._parent = parent
        self.caption = _label("Metrics", parent)
        self.caption.setAccessibleName("Metrics table")
        self.names = [_label(name, parent) for name in ROW_NAMES]
        for row, name in enumerate(self.names):
            name.setFrameShape(QFrame.Shape.NoFrame)
            grid.addWidget(name, FIRST_ROW + row, 0)
        self.cells: dict[QWidget, list[QLabel]] = {}
        self.set_visible(False)

    def add(self, column: QWidget) -> None:
        cells = [_label("–", self._parent) for _ in ROW_NAMES]
        for cell in cells:
            cell.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            cell.setVisible(self.caption.isVisible())
        self.cells[column] = cells

    def remove(self, column: QWidget) -> None:
        for cell in self.cells.pop(column, []):
            self._grid.removeWidget(cell)
            cell.deleteLater()

    def place(self, order: Sequence[QWidget]) -> None:
        """Put the answer columns in row 0 and their cells under them, in display ``order``."""
        for column in order:
            self._grid.removeWidget(column)
            for cell in self.cells[column]:
                self._grid.removeWidget(cell)
        for slot, column in enumerate(order, start=1):
            self._grid.addWidget(column, 0, slot)
            self._grid.setColumnStretch(slot, 1)
            for row, cell in enumerate(self.cells[column]):
                self._grid.addWidget(cell, FIRST_ROW + row, slot)
        self._grid.removeWidget(self.caption)
        self._grid.addWidget(self.caption, 1, 0, 1, len(order) + 1)  # across: the names column stays narrow
        for slot in range(len(order) + 1, self._grid.columnCount()):
            self._grid.setColumnStretch(slot, 0)

    def set_visible(self, visible: bool) -> None:
        for label in (self.caption, *self.names, *(c for cells in self.cells.values() for c in cells)):
            label.setVisible(visible)

    def show_results(
        self,
        order: Sequence[QWidget],
        names: Sequence[str],
        results: Sequence[Sequence[CallResult | None]],
        repeats: int,
        blind: bool,
    ) -> list[list[Cell]]:
        """Fill the cells of the columns in display ``order``; ``blind`` shows no figure at all (timings,
        tokens and costs can each tell the models apart). Returns the grid (rows × columns)."""
        grid = metrics_grid(results)
        if blind:
            self.set_visible(False)
            self.caption.setText(HIDDEN)
            self.caption.show()
            return grid
        spread = f": min / median / max of {repeats} runs (one value when all agree)" if repeats > 1 else ""
        self.caption.setText(f"Metrics{spread}")
        for col, column in enumerate(order):
            for row, cell in enumerate(self.cells[column]):
                value = grid[row][col]
                cell.setText(value.text)
                _mark(cell, value.best)
                mark = ", best" if value.best else ""
                cell.setAccessibleName(f"{names[col]}, {ROW_NAMES[row]}: {value.text}{mark}")
                cell.setToolTip(f"{ROW_NAMES[row]}: best of the columns" if value.best else "")
        self.set_visible(True)
        return grid
