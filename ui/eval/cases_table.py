"""The suite's cases, one row each: name, one column per variable, expected, and the case's checks
(read-only). Rows are added, edited and deleted in place; "Import cases…" appends a CSV or JSONL file
(read by the page off the GUI thread). Every change is handed back as the new tuple of cases."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from playground.eval.suite import Case

NAME, EXPECTED, CHECKS = "name", "expected", "checks"


class CasesTable(QWidget):
    """``casesChanged(tuple[Case, ...])`` after each edit; ``importRequested`` for the page to ask
    for a file and read it."""

    casesChanged = Signal(tuple)
    importRequested = Signal()
    saveRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.table = QTableWidget()
        self.table.setAccessibleName("Cases of the suite")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton("Add case")
        self.delete_button = QPushButton("Delete case")
        self.import_button = QPushButton("Import cases…")
        self.save_button = QPushButton("Save suite…")
        self.save_button.setToolTip("Save the suite with these cases as a JSON suite file")
        bar = QHBoxLayout()
        for button in (self.add_button, self.delete_button, self.import_button, self.save_button):
            bar.addWidget(button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self._variables: list[str] = []
        self._checks: list[tuple] = []  # each row's checks, kept as read
        self._filling = False
        self.add_button.clicked.connect(self.add_case)
        self.delete_button.clicked.connect(self.delete_selected)
        self.import_button.clicked.connect(self.importRequested)
        self.save_button.clicked.connect(self.saveRequested)
        self.table.itemChanged.connect(lambda _: self._changed())

    def show_cases(self, cases: Sequence[Case], variables: Sequence[str]) -> None:
        """``variables``: those the prompts use, first; any other a case has follow."""
        extra = sorted({k for c in cases for k in c.vars} - set(variables))
        self._variables = [*variables, *extra]
        headers = [NAME, *self._variables, EXPECTED, CHECKS]
        self._filling = True
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(0)
        self._checks = []
        for case in cases:
            self._append(case)
        self._filling = False

    def cases(self) -> tuple[Case, ...]:
        out = []
        for row in range(self.table.rowCount()):
            values = [self._text(row, col) for col in range(self.table.columnCount() - 1)]
            name, *rest = values
            variables = dict(zip(self._variables, rest[: len(self._variables)], strict=True))
            expected = rest[len(self._variables)]
            out.append(Case(variables, expected or None, self._checks[row], name))
        return tuple(out)

    def add_case(self) -> None:
        self._append(Case({v: "" for v in self._variables}, name=f"case {self.table.rowCount() + 1}"))
        self.table.setCurrentCell(self.table.rowCount() - 1, 1 if self._variables else 0)
        self._changed()

    def add_cases(self, cases: Sequence[Case]) -> None:
        for case in cases:
            self._append(case)
        self._changed()

    def delete_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
            del self._checks[row]
        if rows:
            self._changed()

    def _append(self, case: Case) -> None:
        was, self._filling = self._filling, True
        row = self.table.rowCount()
        self.table.insertRow(row)
        values = [case.name, *(case.vars.get(v, "") for v in self._variables), case.expected or ""]
        for col, value in enumerate(values):
            self.table.setItem(row, col, QTableWidgetItem(value))
        checks = QTableWidgetItem("; ".join(c.describe() for c in case.checks) or "(the suite's checks)")
        checks.setFlags(checks.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.setItem(row, len(values), checks)
        self._checks.append(case.checks)
        self._filling = was

    def _text(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text() if item is not None else ""

    def _changed(self) -> None:
        if not self._filling:
            self.casesChanged.emit(self.cases())
