"""What one grid cell says: the verdict that counts (a person's grade overrides the checks', marked
"(you)"), the answer short, cost and time; and its tooltip (your grade and the automatic verdict it
replaced, each check, the error of a call that could not run)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from playground.eval.grades import HumanGrade, Verdict, counted
from playground.eval.store import CellResult
from playground.pricing.money import Money

PASS, FAIL = "✓", "✗"
BY_YOU = "(you)"
ANSWER_CHARS = 60


@dataclass(frozen=True)
class CellText:
    text: str
    tip: str
    mark: str  # PASS, FAIL or "…" (repeats still running)


def grade_words(verdict: Verdict) -> str:
    if verdict is Verdict.PASS:
        return "pass"
    if verdict is Verdict.FAIL:
        return "fail"
    return f"{verdict.value}/5"


def cell_text(
    mine: Sequence[CellResult],
    repeats: int,
    answers: Mapping[int, str],
    grades: Mapping[tuple[int, int, int], HumanGrade],
) -> CellText:
    """``mine``: the results of one case in one column (its repeats), ``answers`` by call id."""
    mine = sorted(mine, key=lambda c: c.repeat)
    graded = [grades[c.key] for c in mine if c.key in grades]
    passed = sum(c.passed for c in counted(mine, graded))
    mark = PASS if passed == len(mine) == repeats else FAIL if passed < len(mine) else "…"
    count = f" {passed}/{repeats}" if repeats > 1 else ""
    by_you = f" {BY_YOU}" if any(c.key in grades and not c.error for c in mine) else ""
    cost = Money.of_costs(c.cost_usd for c in mine).text()
    times = [c.duration_ms for c in mine if c.duration_ms is not None]
    answer = next((answers[c.call_id] for c in mine if c.call_id is not None and c.call_id in answers), "")
    error = next((c.error for c in mine if c.error), "")
    short = (answer or (f"error: {error}" if error else "")).replace("\n", " ")
    short = short if len(short) <= ANSWER_CHARS else short[: ANSWER_CHARS - 1] + "…"
    lines = [f"{mark}{count}{by_you} {short}".rstrip(), f"{cost} · {_duration(max(times))}" if times else ""]
    tips = []
    for c in mine:
        head = f"repeat {c.repeat + 1}: " if repeats > 1 else ""
        grade = grades.get(c.key)
        if c.error:
            tips.append(f"{head}error: {c.error}")
            if grade is not None:
                tips.append(f"{head}your grade ({grade_words(grade.verdict)}) is not counted: no answer")
        elif grade is not None:
            said = PASS if c.passed else FAIL
            mine_mark = PASS if grade.verdict.passed else FAIL
            also = " too" if grade.verdict.passed == c.passed else ""
            comment = f" “{grade.comment}”" if grade.comment else ""
            tips.append(f"{head}{mine_mark} your grade: {grade_words(grade.verdict)}{comment}")
            tips.append(f"{head}the checks said {said}{also}:")
        for o in c.outcomes:
            judged = (
                " (model-judged)" if o.check.startswith("rubric") and "model-judged" not in o.check else ""
            )
            tips.append(f"{head}{PASS if o.passed else FAIL} {o.check}{judged} {o.detail}".rstrip())
    return CellText("\n".join(line for line in lines if line), "\n".join(tips) or "no check", mark)


def _duration(ms: float) -> str:
    return f"{ms:.0f} ms" if ms < 1000 else f"{ms / 1000:.1f} s"
