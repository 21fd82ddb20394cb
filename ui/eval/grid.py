"""The results grid: one row per case, one column per prompt x target, and a summary row per column
(pass rate and spread, total cost, cost per passing case, median first token and duration)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from playground.eval.grades import HumanGrade, counted, human_pass_rate
from playground.eval.store import CellResult
from playground.eval.suite import Suite
from playground.eval.summary import ColumnSummary, summarize
from playground.formatting import usd
from ui.eval.cell_text import PASS, cell_text

UNKNOWN = "unknown"


class EvalGrid(QTableWidget):
    """``cellPicked(case, column)`` when the user clicks a case's cell (not the summary row)."""

    cellPicked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Evaluation results")
        self.cellClicked.connect(self._clicked)
        self._answers: dict[int, str] = {}
        self._grades: dict[tuple[int, int, int], HumanGrade] = {}
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setWordWrap(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self._suite: Suite | None = None
        self._cells: dict[tuple[int, int, int], CellResult] = {}
        self.summaries: list[ColumnSummary] = []

    def show_suite(self, suite: Suite) -> None:
        """Empty grid for ``suite``: its cases as rows, its columns, and the summary row."""
        self._suite = suite
        self._cells = {}
        self._answers = {}
        self._grades = {}
        labels = [c.label() for c in suite.columns]
        self.clear()
        self.setColumnCount(len(labels))
        self.setRowCount(len(suite.cases) + 1)
        self.setHorizontalHeaderLabels(labels)
        names = [c.name or ", ".join(c.vars.values())[:40] for c in suite.cases]
        self.setVerticalHeaderLabels(["Summary", *names])  # on top: read first, never scrolled away
        self._summarize()

    def add(self, cells: Sequence[CellResult]) -> None:
        for cell in cells:
            self._cells[cell.key] = cell
        for case, column in {(c.case, c.column) for c in cells}:
            self._show_cell(case, column)
        self._summarize()

    def set_answers(self, answers: dict[int, str]) -> None:
        """Answers by call id (read from History off the GUI thread), shown short in their cells."""
        self._answers.update(answers)
        for case, column in {(c.case, c.column) for c in self._cells.values() if c.call_id in answers}:
            self._show_cell(case, column)

    def set_grades(self, grades: Sequence[HumanGrade]) -> None:
        """People's grades: each overrides its cell's verdict in the grid and the summary."""
        changed = {k[:2] for k in self._grades} | {g.key[:2] for g in grades}  # graded before or now
        self._grades = {g.key: g for g in grades}
        for case, column in changed:
            if any(k[:2] == (case, column) for k in self._cells):
                self._show_cell(case, column)
        self._summarize()

    def cells_of(self, case: int) -> list[CellResult]:
        return [c for c in self._cells.values() if c.case == case]

    def case_name(self, case: int) -> str:
        item = self.verticalHeaderItem(case + 1)
        return item.text() if item is not None else str(case + 1)

    def _clicked(self, row: int, column: int) -> None:
        if self._suite is not None and 0 < row <= len(self._suite.cases):
            self.cellPicked.emit(row - 1, column)

    def cell_text(self, case: int, column: int) -> str:
        item = self.item(case + 1, column)
        return item.text() if item is not None else ""

    def cell_tip(self, case: int, column: int) -> str:
        item = self.item(case + 1, column)
        return item.toolTip() if item is not None else ""

    def summary_text(self, column: int) -> str:
        item = self.item(0, column)
        return item.text() if item is not None else ""

    def results(self) -> list[CellResult]:
        return list(self._cells.values())

    def failed_count(self) -> int:
        """Failed cells by the verdict that counts (what Re-run failed sends again): a person's grade
        overrides the checks' (playground.eval.grades.counted)."""
        return sum(not c.passed for c in counted(list(self._cells.values()), list(self._grades.values())))

    def _show_cell(self, case: int, column: int) -> None:
        assert self._suite is not None
        mine = [c for (k, c) in self._cells.items() if k[0] == case and k[1] == column]
        shown = cell_text(mine, self._suite.repeats, self._answers, self._grades)
        item = QTableWidgetItem(shown.text)
        item.setToolTip(shown.tip)
        item.setForeground(QColor("#1b7a2f") if shown.mark == PASS else QColor("#b3261e"))
        item.setData(Qt.ItemDataRole.UserRole, (case, column))
        self.setItem(case + 1, column, item)

    def _overruled(self, column: int) -> int:
        """Cells of ``column`` whose human grade differs from the checks' verdict (and counts)."""
        return sum(
            1
            for key, g in self._grades.items()
            if key[1] == column
            and (c := self._cells.get(key)) is not None
            and not c.error
            and g.verdict.passed != c.passed
        )

    def _summarize(self) -> None:
        suite = self._suite
        if suite is None:
            return
        labels = [c.label() for c in suite.columns]
        grades = list(self._grades.values())
        cells = counted(list(self._cells.values()), grades)  # a person's grade counts, as in the cells
        self.summaries = summarize(labels, cells, len(suite.cases), suite.repeats)
        row = 0
        for s in self.summaries:
            rate = "–" if s.pass_rate is None else f"{s.pass_rate:.0%}"
            spread = f" ({s.spread[0]:.0%}–{s.spread[1]:.0%})" if s.spread else ""
            if s.cost_per_pass is not None:
                per_pass = f"per passing case {usd(s.cost_per_pass)}"
            else:  # "no passing case" alone: it read "per passing case no passing case"
                note = s.cost_per_pass_note or UNKNOWN
                per_pass = note if not s.passed else f"per passing case {note}"
            ttft = "–" if s.p50_first_token_ms is None else f"{s.p50_first_token_ms:.0f} ms"
            took = "–" if s.p50_duration_ms is None else f"{s.p50_duration_ms:.0f} ms"
            errors = f" · {s.errors} could not run (hover a cell)" if s.errors else ""
            text = (
                f"{s.passed}/{s.cells} passed · {rate}{spread}{errors}\n"
                f"cost {s.cost.text()} · {per_pass}\n"
                f"p50 first token {ttft} · duration {took}"
            )
            human = human_pass_rate(grades, s.column)
            if human is not None:
                text += f"\nhuman: {human[0]}/{human[1]} graded passed ({human[0] / human[1]:.0%})"
                overruled = self._overruled(s.column)
                text += f", {overruled} overruled" if overruled else ""
            item = QTableWidgetItem(text)
            if human is not None:
                item.setToolTip(
                    "The counts take your grade where you gave one, marked (you) in its cell; an error"
                    " stays an error.\n"
                    f"Your grades in this column: {human[1]}; against the checks' verdict: {overruled}."
                )
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            self.setItem(row, s.column, item)
        self.resizeRowsToContents()
