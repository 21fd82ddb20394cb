"""What a person reviewing a run reads: the verdicts that count once people have graded cells."""

from playground.eval.grades import HumanGrade, Verdict, counted
from playground.eval.store import CellResult


def cell(case, passed, error=""):
    return CellResult(case, 0, 0, 1, "error" if error else "ok", passed, (), None, None, None, error)


def test_a_grade_overrides_the_checks_but_an_error_stays_an_error():
    cells = [cell(0, False), cell(1, True), cell(2, False, "401 Unauthorized"), cell(3, False)]
    grades = [
        HumanGrade("r", 0, 0, 0, Verdict.SCORE_4),  # 4 of 5 counts as a pass
        HumanGrade("r", 1, 0, 0, Verdict.FAIL),
        HumanGrade("r", 2, 0, 0, Verdict.PASS),  # no answer to grade: not counted
    ]
    assert [c.passed for c in counted(cells, grades)] == [True, False, False, False]
    assert counted(cells, []) == cells
