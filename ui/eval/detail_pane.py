"""One case: what it asked and expected, its answers across the columns side by side, and the human
grade of one of its cells (pass/fail or 1-5 with a comment). The page loads the answers and saves
grades off the GUI thread."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from playground.eval.grades import HumanGrade, Verdict
from playground.eval.store import CellResult
from playground.eval.suite import Suite
from ui.eval.case_view import CaseView

PICK = "Click a cell to see what its case asked and expected, its answers side by side, and grade them."
VERDICT_NAMES = {
    Verdict.PASS: "Pass",
    Verdict.FAIL: "Fail",
    Verdict.SCORE_1: "1 – useless",
    Verdict.SCORE_2: "2",
    Verdict.SCORE_3: "3",
    Verdict.SCORE_4: "4 (counts as a pass)",
    Verdict.SCORE_5: "5 – perfect",
}


class DetailPane(QWidget):
    """``gradeGiven(HumanGrade)`` when the user saves a grade (run id filled in by the page)."""

    gradeGiven = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.case = -1
        self.heading = QLabel(PICK)
        self.case_view = CaseView()
        self._suite: Suite | None = None
        self._answers = QGridLayout()
        self._boxes: list[QPlainTextEdit] = []
        self._labels: list[QLabel] = []
        self.column = QComboBox()
        self.column.setAccessibleName("Column to grade")
        self.column.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.repeat = QSpinBox()
        self.repeat.setAccessibleName("Repeat to grade")
        self.repeat.setPrefix("repeat ")
        self.verdict = QComboBox()
        self.verdict.setAccessibleName("Grade")
        for verdict, name in VERDICT_NAMES.items():
            self.verdict.addItem(name, verdict)
        self.comment = QLineEdit()
        self.comment.setPlaceholderText("Comment (optional)")
        self.comment.setAccessibleName("Grade comment")
        self.save = QPushButton("Save grade")
        self.saved = QLabel("")
        grade_row = QHBoxLayout()
        grade_row.addWidget(QLabel("Your grade:"))
        for widget in (self.column, self.repeat, self.verdict):
            grade_row.addWidget(widget)
        grade_row.addWidget(self.comment, 1)
        grade_row.addWidget(self.save)
        grade_row.addWidget(self.saved)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        answers = QWidget()
        answers.setLayout(self._answers)
        self._answers.setContentsMargins(0, 0, 0, 0)
        split = QSplitter(Qt.Orientation.Vertical)  # the case above its answers; drag to see more of either
        split.setChildrenCollapsible(False)
        split.addWidget(self.case_view)
        split.addWidget(answers)
        split.setStretchFactor(1, 1)
        split.setSizes([self.case_view.preferred_height(), 10_000])
        layout.addWidget(split, 1)
        layout.addLayout(grade_row)
        self.save.clicked.connect(self._give)
        self.column.currentIndexChanged.connect(lambda _: self._show_grade())
        self.repeat.valueChanged.connect(lambda _: self._show_grade())
        self._grades: Mapping[tuple[int, int, int], HumanGrade] = {}
        self._could_not_run: set[tuple[int, int]] = set()  # (column, repeat) of the case shown
        self._set_enabled(False)

    def set_suite(self, suite: Suite) -> None:
        """The suite whose cases are shown: its columns side by side, no case yet."""
        self._suite = suite
        self.heading.setText(PICK)
        self.case_view.clear()
        self.set_columns([c.label() for c in suite.columns], suite.repeats)

    def set_columns(self, labels: Sequence[str], repeats: int) -> None:
        while self._answers.count():
            item = self._answers.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:  # hidden now: a deferred delete waits for the event loop's turn
                widget.hide()
                widget.deleteLater()
        self._boxes, self._labels = [], []
        self.column.clear()
        for index, label in enumerate(labels):
            head = QLabel(label)
            head.setWordWrap(True)
            box = QPlainTextEdit()
            box.setReadOnly(True)
            box.setAccessibleName(f"Answer of {label}")
            self._answers.addWidget(head, 0, index)
            self._answers.addWidget(box, 1, index)
            self._labels.append(head)
            self._boxes.append(box)
            self.column.addItem(label, index)
        self.repeat.setRange(1, max(1, repeats))
        self.repeat.setVisible(repeats > 1)
        self.case = -1
        self._set_enabled(False)

    def show_case(
        self,
        case: int,
        name: str,
        cells: Sequence[CellResult],
        answers: Mapping[int, str],
        column: int,
    ) -> None:
        """``answers`` maps a call id to its answer text (from History)."""
        self.case = case
        self._could_not_run = {(c.column, c.repeat) for c in cells if c.error}
        self.heading.setText(f"Case {case + 1}: {name}")
        if self._suite is not None and case < len(self._suite.cases):
            self.case_view.show_case(self._suite, case)
        for index, box in enumerate(self._boxes):
            mine = sorted((c for c in cells if c.column == index), key=lambda c: c.repeat)
            parts = []
            for c in mine:
                head = f"— repeat {c.repeat + 1} —\n" if len(mine) > 1 else ""
                found = answers.get(c.call_id or -1, "(answer not in History)")
                text = f"error: {c.error}" if c.error else found
                checks = "\n".join(
                    f"{'✓' if o.passed else '✗'} {o.check} {o.detail}".rstrip() for o in c.outcomes
                )
                parts.append(f"{head}{text}\n\n{checks}".rstrip())
            box.setPlainText("\n\n".join(parts) or "(not run yet)")
        self.column.setCurrentIndex(max(0, column))
        self._set_enabled(True)
        self._show_grade()

    def set_grades(self, grades: Mapping[tuple[int, int, int], HumanGrade]) -> None:
        self._grades = grades
        self._show_grade()

    def answer_text(self, column: int) -> str:
        return self._boxes[column].toPlainText()

    def _key(self) -> tuple[int, int, int]:
        return (self.case, max(0, self.column.currentIndex()), self.repeat.value() - 1)

    def _show_grade(self) -> None:
        gradable = self.case >= 0 and self._key()[1:] not in self._could_not_run
        for widget in (self.verdict, self.comment, self.save):
            widget.setEnabled(gradable)
        grade = self._grades.get(self._key())
        if self.case >= 0 and not gradable:  # an error stays an error: there is no answer to grade
            self.saved.setText("could not run: nothing to grade")
            self.comment.clear()
            return
        if grade is None:
            self.saved.setText("not graded")
            self.comment.clear()
            return
        self.verdict.setCurrentIndex(self.verdict.findData(grade.verdict))
        self.comment.setText(grade.comment)
        self.saved.setText(f"graded {grade.at[:16].replace('T', ' ')}")

    def _give(self) -> None:
        case, column, repeat = self._key()
        if case < 0:
            return
        verdict = self.verdict.currentData()
        self.gradeGiven.emit(HumanGrade("", case, column, repeat, verdict, self.comment.text().strip()))
        self.saved.setText("saving…")

    def _set_enabled(self, on: bool) -> None:
        for widget in (self.column, self.repeat, self.verdict, self.comment, self.save):
            widget.setEnabled(on)
