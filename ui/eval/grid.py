"""The results grid: one row per case, one column per prompt x target, and a summary row per column
(pass rate and spread, total cost, cost per passing case, median first token and duration)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from playground.eval.grades import HumanGrade, human_pass_rate
from playground.eval.store import CellResult
from playground.eval.suite import Suite
from playground.eval.summary import ColumnSummary, summarize
from playground.formatting import usd
from playground.pricing.money import Money

PASS, FAIL = "✓", "✗"
UNKNOWN = "unknown"


ANSWER_CHARS = 60


class EvalGrid(QTableWidget):
    """``cellPicked(case, column)`` when the user clicks a case's cell (not the summary row)."""

    cellPicked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Evaluation results")
        self.cellClicked.connect(self._clicked)
        self._answers: dict[int, str] = {}
        self._grades: list[HumanGrade] = []
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
        self._grades = []
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
        self._grades = list(grades)
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
        return sum(not c.passed for c in self._cells.values())

    def _show_cell(self, case: int, column: int) -> None:
        assert self._suite is not None
        mine = [c for (k, c) in self._cells.items() if k[0] == case and k[1] == column]
        mine.sort(key=lambda c: c.repeat)
        passed = sum(c.passed for c in mine)
        repeats = self._suite.repeats
        mark = PASS if passed == len(mine) == repeats else FAIL if passed < len(mine) else "…"
        count = f" {passed}/{repeats}" if repeats > 1 else ""
        cost = Money.of_costs(c.cost_usd for c in mine).text()
        times = [c.duration_ms for c in mine if c.duration_ms is not None]
        answer = next((self._answers[c.call_id] for c in mine if c.call_id in self._answers), "")
        error = next((c.error for c in mine if c.error), "")
        short = (answer or (f"error: {error}" if error else "")).replace("\n", " ")
        short = short if len(short) <= ANSWER_CHARS else short[: ANSWER_CHARS - 1] + "…"
        lines = [
            f"{mark}{count} {short}".rstrip(),
            f"{cost} · {_duration(max(times))}" if times else "",
        ]
        item = QTableWidgetItem("\n".join(line for line in lines if line))
        tips = []
        for c in mine:
            head = f"repeat {c.repeat + 1}: " if repeats > 1 else ""
            if c.error:
                tips.append(f"{head}error: {c.error}")
            for o in c.outcomes:
                judged = (
                    " (model-judged)"
                    if o.check.startswith("rubric") and "model-judged" not in o.check
                    else ""
                )
                tips.append(f"{head}{PASS if o.passed else FAIL} {o.check}{judged} {o.detail}".rstrip())
        item.setToolTip("\n".join(tips) or "no check")
        item.setForeground(QColor("#1b7a2f") if mark == PASS else QColor("#b3261e"))
        item.setData(Qt.ItemDataRole.UserRole, (case, column))
        self.setItem(case + 1, column, item)

    def _summarize(self) -> None:
        suite = self._suite
        if suite is None:
            return
        labels = [c.label() for c in suite.columns]
        self.summaries = summarize(labels, list(self._cells.values()), len(suite.cases), suite.repeats)
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
            human = human_pass_rate(self._grades, s.column)
            if human is not None:
                text += f"\nhuman: {human[0]}/{human[1]} graded passed ({human[0] / human[1]:.0%})"
            item = QTableWidgetItem(text)
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            self.setItem(row, s.column, item)
        self.resizeRowsToContents()


def _duration(ms: float) -> str:
    return f"{ms:.0f} ms" if ms < 1000 else f"{ms / 1000:.1f} s"
