"""A run's results as files: CSV (one row per cell), JSON (the CLI's report plus answers and human
grades) and a self-contained HTML report in which every value from the suite or a model is escaped.
Pass counts and each cell's verdict go by the verdict that counts, as the window shows them: a person's
grade over the checks' (``grades.counted``); the checks' own verdict is kept beside it."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from functools import cached_property
from html import escape
from pathlib import Path
from typing import Any

from playground.eval import report
from playground.eval.grades import HumanGrade, counted, human_pass_rate
from playground.eval.runner import RunOutcome
from playground.files import write_whole
from playground.formatting import usd


class Format(Enum):
    CSV = "csv"
    JSON = "json"
    HTML = "html"

    @classmethod
    def of(cls, path: Path) -> Format:
        suffix = path.suffix.lower().lstrip(".")
        try:
            return cls.HTML if suffix == "htm" else cls(suffix)
        except ValueError:  # it read "'xlsx' is not a valid Format"
            raise ValueError(
                f"export as .csv, .json or .html, not {path.suffix or 'a file with no suffix'}"
            ) from None


@dataclass(frozen=True)
class Results:
    outcome: RunOutcome
    grades: Sequence[HumanGrade] = ()
    answers: Mapping[int, str] | None = None  # by call id, read from History

    def answer(self, call_id: int | None) -> str:
        return (self.answers or {}).get(call_id or -1, "")

    def grade(self, key: tuple[int, int, int]) -> HumanGrade | None:
        return next((g for g in self.grades if g.key == key), None)

    @cached_property
    def counted(self) -> RunOutcome:
        """The run with each cell's verdict that counts (a grade overrides the checks')."""
        return replace(self.outcome, cells=counted(self.outcome.cells, self.grades))

    @cached_property
    def _verdicts(self) -> dict[tuple[int, int, int], bool]:
        return {c.key: c.passed for c in self.counted.cells}

    def passed(self, key: tuple[int, int, int]) -> bool:
        """The verdict that counts of the cell ``key``."""
        return self._verdicts[key]

    def overruled(self) -> int:
        """Cells whose counted verdict differs from the checks'."""
        return sum(self.passed(c.key) != c.passed for c in self.outcome.cells)


CSV_HEADER = [
    "case",
    "case_name",
    "column",
    "repeat",
    "status",
    "passed",
    "checks",
    "answer",
    "cost_usd",
    "first_token_ms",
    "duration_ms",
    "error",
    "human_grade",
    "human_comment",
    "checks_passed",
]  # fmt: skip  ("passed": the verdict that counts; "checks_passed": the checks' own)


def to_csv(results: Results) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    labels = [c.label() for c in results.outcome.suite.columns]
    for c in sorted(results.outcome.cells, key=lambda c: c.key):
        grade = results.grade(c.key)
        checks = "; ".join(
            f"{'pass' if o.passed else 'FAIL'}: {o.check} {o.detail}".rstrip() for o in c.outcomes
        )
        writer.writerow(
            [
                c.case + 1,
                _case_name(results, c.case),
                labels[c.column],
                c.repeat + 1,
                c.status,
                "yes" if results.passed(c.key) else "no",
                checks,
                results.answer(c.call_id),
                "" if c.cost_usd is None else str(c.cost_usd),  # empty: unknown, never 0
                "" if c.ttft_ms is None else round(c.ttft_ms),
                "" if c.duration_ms is None else round(c.duration_ms),
                c.error,
                grade.verdict.value if grade else "",
                grade.comment if grade else "",
                "yes" if c.passed else "no",
            ]
        )
    return out.getvalue()


def to_data(results: Results) -> dict[str, Any]:
    data = report.to_data(results.counted)
    checks = {c.key: c.passed for c in results.outcome.cells}
    for cell in data["cells"]:
        cell["answer"] = results.answer(cell["call_id"])
        cell["checks_passed"] = checks[(cell["case"], cell["column"], cell["repeat"])]
    for index, column in enumerate(data["columns"]):
        human = human_pass_rate(results.grades, index)
        column["human"] = None if human is None else {"passed": human[0], "graded": human[1]}
    data["human_grades"] = [
        {
            "case": g.case,
            "column": g.column,
            "repeat": g.repeat,
            "grade": g.verdict.value,
            "comment": g.comment,
            "at": g.at,
        }
        for g in results.grades
    ]
    return data


def to_json(results: Results) -> str:
    return json.dumps(to_data(results), indent=2, ensure_ascii=False) + "\n"


STYLE = (
    "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
    "td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}"
    ".pass{color:#1b7a2f}.fail{color:#b3261e}pre{white-space:pre-wrap;margin:0;max-width:40em}"
)


def to_html(results: Results) -> str:
    """One file, no script and nothing fetched: a summary table, then every cell."""
    outcome = results.outcome
    summary_rows = []
    for s in report.summaries(results.counted):
        human = human_pass_rate(results.grades, s.column)
        per_pass = (
            usd(s.cost_per_pass) if s.cost_per_pass is not None else f"unknown ({s.cost_per_pass_note})"
        )
        cells = [
            s.label,
            f"{s.passed}/{s.cells}",
            "–" if s.pass_rate is None else f"{s.pass_rate:.0%}",
            s.cost.text(),
            per_pass,
            "–" if human is None else f"{human[0]}/{human[1]}",
        ]
        summary_rows.append("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in cells) + "</tr>")
    labels = [c.label() for c in outcome.suite.columns]
    cell_rows = []
    for c in sorted(outcome.cells, key=lambda c: c.key):
        grade = results.grade(c.key)
        checks = "<br>".join(
            f"<span class={'pass' if o.passed else 'fail'}>{'✓' if o.passed else '✗'}</span> "
            f"{escape(o.check)} {escape(o.detail)}"
            for o in c.outcomes
        )
        given = f"{grade.verdict.value} {grade.comment}" if grade else ""
        passed = results.passed(c.key)
        mark = "<span class=pass>pass</span>" if passed else "<span class=fail>fail</span>"
        if passed != c.passed:
            mark += f" (your grade; the checks said {'pass' if c.passed else 'fail'})"
        values = [
            escape(str(c.case + 1)) + " " + escape(_case_name(results, c.case)),
            escape(labels[c.column]),
            escape(str(c.repeat + 1)),
            mark,
            f"<pre>{escape(results.answer(c.call_id) or c.error)}</pre>",
            checks,
            escape(usd(c.cost_usd)),
            escape(given),
        ]
        cell_rows.append("<tr>" + "".join(f"<td>{v}</td>" for v in values) + "</tr>")
    title = escape(f"Evaluation {outcome.suite.name} — run {outcome.run.id}")
    state = " (stopped before the end)" if outcome.cancelled else ""
    n = results.overruled()
    overruled = (
        f". Passes go by your grade where you gave one: it overrules the checks on {n} cell{'s' * (n != 1)}"
        if n
        else ""
    )
    return (
        f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{title}</title>"
        f"<style>{STYLE}</style></head><body><h1>{title}</h1><p>{outcome.total} cells{state}{overruled}</p>"
        "<h2>Columns</h2><table><tr><th>Column</th><th>Passed</th><th>Pass rate</th><th>Cost</th>"
        "<th>Cost per passing case</th><th>Human: passed/graded</th></tr>"
        + "".join(summary_rows)
        + "</table><h2>Cells</h2><table><tr><th>Case</th><th>Column</th><th>Repeat</th><th>Result</th>"
        "<th>Answer</th><th>Checks</th><th>Cost</th><th>Human grade</th></tr>"
        + "".join(cell_rows)
        + "</table></body></html>\n"
    )


def write(path: Path, results: Results) -> None:
    """Write ``results`` in the format its suffix names (.csv, .json, .html); a partial file is never
    left: it is written beside and moved into place."""
    text = {Format.CSV: to_csv, Format.JSON: to_json, Format.HTML: to_html}[Format.of(path)](results)
    write_whole(path, text, newline="" if Format.of(path) is Format.CSV else None)


def _case_name(results: Results, case: int) -> str:
    c = results.outcome.suite.cases[case]
    return c.name or ", ".join(f"{k}={v}" for k, v in c.vars.items())
