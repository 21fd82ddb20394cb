"""What a person's grade in ``eval_grades`` (m017) counts as, for the evaluation code and for the
queries that read evaluation results from beside it (the Plan's quality figures): "pass", or a score of
4 or 5 of 5, is a pass; the grade overrides the checks' verdict on a cell whose call ran."""

from __future__ import annotations

PASSING_GRADES = ("pass", "4", "5")


def counted_sql(cell: str = "e", grade: str = "g") -> str:
    """The verdict that counts, in SQL, for eval_cells ``cell`` left-joined to eval_grades ``grade``
    on its key: 1 for a pass (``playground.eval.grades.counted`` in Python)."""
    passing = ", ".join(f"'{value}'" for value in PASSING_GRADES)
    return (
        f"(case when {grade}.grade is not null and {cell}.status = 'ok'"
        f" then {grade}.grade in ({passing}) else {cell}.passed end)"
    )
