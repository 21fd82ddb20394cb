"""Human grades of evaluation cells (m017 ``eval_grades``): pass/fail or a 1-5 score with a comment.
A score of 4 or 5 counts as a pass (history.grade_verdict); a grade is the verdict that counts over
the checks' (``counted``). Written through the history writer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import Enum

from playground.eval.store import CellResult
from playground.history.grade_verdict import PASSING_GRADES
from playground.history.storage import OfflineStorage, Storage


class Verdict(Enum):
    PASS = "pass"
    FAIL = "fail"
    SCORE_1 = "1"
    SCORE_2 = "2"
    SCORE_3 = "3"
    SCORE_4 = "4"
    SCORE_5 = "5"

    @property
    def passed(self) -> bool:
        return self.value in PASSING_GRADES


@dataclass(frozen=True)
class HumanGrade:
    run_id: str
    case: int
    column: int
    repeat: int
    verdict: Verdict
    comment: str = ""
    at: str = ""  # ISO time it was given; set on save

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.case, self.column, self.repeat)


class GradeStore:
    def __init__(self, storage: Storage | OfflineStorage):
        self._storage = storage

    def save(self, grade: HumanGrade) -> HumanGrade:
        """Save (or replace) the grade of its cell; returns it with its time."""
        saved = HumanGrade(
            grade.run_id,
            grade.case,
            grade.column,
            grade.repeat,
            grade.verdict,
            grade.comment,
            datetime.now(UTC).isoformat(),
        )
        self._storage.writer.call(
            lambda db: db.execute(
                "insert or replace into eval_grades (run_id, case_index, column_index, repeat, grade,"
                " comment, at) values (?, ?, ?, ?, ?, ?, ?)",
                [
                    saved.run_id,
                    saved.case,
                    saved.column,
                    saved.repeat,
                    saved.verdict.value,
                    saved.comment,
                    saved.at,
                ],
            )
        )
        return saved

    def grades(self, run_id: str) -> list[HumanGrade]:
        rows = (
            self._storage.read()
            .execute(
                "select case_index, column_index, repeat, grade, comment, at from eval_grades"
                " where run_id = ? order by column_index, case_index, repeat",
                [run_id],
            )
            .fetchall()
        )
        return [HumanGrade(run_id, r[0], r[1], r[2], Verdict(r[3]), r[4] or "", r[5] or "") for r in rows]


def human_pass_rate(grades: Sequence[HumanGrade], column: int) -> tuple[int, int] | None:
    """Passed and graded cells of ``column`` by people, or None when none is graded."""
    mine = [g for g in grades if g.column == column]
    return (sum(g.verdict.passed for g in mine), len(mine)) if mine else None


def counted(cells: Sequence[CellResult], grades: Sequence[HumanGrade]) -> list[CellResult]:
    """The cells with the verdict that counts: a person's grade overrides the checks', except on a
    call that could not run (an error stays an error: there was no answer to grade)."""
    by_key = {g.key: g for g in grades}
    return [
        replace(c, passed=by_key[c.key].verdict.passed) if c.key in by_key and not c.error else c
        for c in cells
    ]
