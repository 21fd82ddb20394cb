"""Model-graded rubrics: a model the user picks reads the question, the answer and the rubric, and says
pass or fail with a reason. Its calls go through the same runner (recorded and priced in History under
the evaluation run's id, tagged ``eval-grader``), and its verdicts are marked as model-judged."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from playground.compare.columns import Column
from playground.llm.request import Message, Request

if TYPE_CHECKING:
    from playground.llm.result import CallResult

GRADER_TAG = "eval-grader"

INSTRUCTIONS = (
    "You grade an answer against a rubric. Read the question, the answer and the rubric. Reply with "
    'one JSON object and nothing else: {"pass": true or false, "reason": "one short sentence"}.'
)


@dataclass(frozen=True)
class Grade:
    """A grader's verdict on one rubric; ``reason`` says why (or why no verdict could be read)."""

    passed: bool | None  # None: no verdict (the grader failed or did not answer in the format)
    reason: str
    grader: str  # "endpoint/model", shown with the verdict


def grading_request(grader: Column, rubric: str, question: str, answer: str) -> Request:
    """The grader's call: temperature 0 where the model takes it, the rubric last so it is read last."""
    text = (
        f"<question>\n{question}\n</question>\n<answer>\n{answer}\n</answer>\n<rubric>\n{rubric}\n</rubric>"
    )
    params = {"temperature": 0, **grader.params}
    return Request(grader.endpoint, grader.model, (Message("user", text),), INSTRUCTIONS, params)


_OBJECT = re.compile(r"\{.*\}", re.DOTALL)


def verdict(result: CallResult, grader: str) -> Grade:
    """The grade in a grader's reply: the first JSON object in it, with a boolean "pass"."""
    if result.status != "ok":
        why = result.error.message if result.error is not None else result.status
        return Grade(None, f"the grader failed: {why}", grader)
    found = _OBJECT.search(result.text)
    try:
        data = json.loads(found.group(0)) if found else None
    except ValueError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("pass"), bool):
        return Grade(None, f'the grader did not answer {{"pass": …}}: {result.text.strip()[:120]!r}', grader)
    return Grade(data["pass"], str(data.get("reason") or ""), grader)


def grade(
    run: Callable[[Request], CallResult],
    grader: Column,
    rubrics: Sequence[str],
    question: str,
    answer: str,
) -> dict[str, Grade]:
    """One grading call per rubric, in order; ``run`` records each call (the eval runner's group)."""
    name = grader.label()
    return {r: verdict(run(grading_request(grader, r, question, answer)), name) for r in rubrics}
