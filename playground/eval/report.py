"""A run as a terminal table, as JSON (amounts as strings) and as JUnit XML (one test per cell)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from xml.etree import ElementTree as ET

from playground.eval.runner import RunOutcome
from playground.eval.store import CellResult
from playground.eval.summary import ColumnSummary, summarize
from playground.formatting import millis, usd_exact


def summaries(outcome: RunOutcome) -> list[ColumnSummary]:
    suite = outcome.suite
    return summarize(outcome.run.columns, outcome.cells, len(suite.cases), suite.repeats)


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _spread(s: ColumnSummary) -> str:
    spread = s.spread
    return "" if spread is None else f"{spread[0]:.0%}–{spread[1]:.0%}"


def _per_pass(s: ColumnSummary) -> str:
    value = s.cost_per_pass
    return usd_exact(value) if value is not None else f"unknown ({s.cost_per_pass_note})"


def to_table(outcome: RunOutcome) -> str:
    rows = [
        ("column", "passed", "pass rate", "spread", "cost", "cost / pass", "p50 first token", "p50 duration")
    ]
    for s in summaries(outcome):
        rows.append(
            (
                s.label,
                f"{s.passed}/{s.cells}" + (f" of {s.expected_cells}" if s.cells < s.expected_cells else ""),
                _rate(s.pass_rate),
                _spread(s),
                s.cost.text(exact=True),
                _per_pass(s),
                millis(s.p50_first_token_ms),
                millis(s.p50_duration_ms),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    head = f"run {outcome.run.id} · {outcome.suite.name} · {outcome.total} cells"
    if outcome.skipped:
        head += f" ({outcome.skipped} finished before this resume)"
    if outcome.cancelled:
        head += f" · stopped: {outcome.total - len(outcome.cells)} cells not run"
    return "\n".join([head, *lines]) + "\n"


def to_data(outcome: RunOutcome) -> dict[str, Any]:
    columns = []
    for s in summaries(outcome):
        spread = s.spread
        columns.append(
            {
                "label": s.label,
                "cells": s.cells,
                "expected_cells": s.expected_cells,
                "passed": s.passed,
                "pass_rate": s.pass_rate,
                "pass_rate_spread": list(spread) if spread else None,
                "cost_usd": None if s.cost.exact is None else str(s.cost.exact),
                "cost_known_usd": str(s.cost.priced),
                "unpriced_calls": s.cost.unpriced,
                "cost_per_pass_usd": None if s.cost_per_pass is None else str(s.cost_per_pass),
                "p50_first_token_ms": s.p50_first_token_ms,
                "p50_duration_ms": s.p50_duration_ms,
            }
        )
    return {
        "run_id": outcome.run.id,
        "suite": outcome.suite.name,
        "total_cells": outcome.total,
        "resumed_cells": outcome.skipped,
        "cancelled": outcome.cancelled,
        "columns": columns,
        "cells": [_cell(c) for c in sorted(outcome.cells, key=lambda c: c.key)],
    }


def _cell(c: CellResult) -> dict[str, Any]:
    return {
        "case": c.case,
        "column": c.column,
        "repeat": c.repeat,
        "call_id": c.call_id,
        "status": c.status,
        "passed": c.passed,
        "error": c.error or None,
        "checks": [{"check": o.check, "passed": o.passed, "detail": o.detail} for o in c.outcomes],
        "cost_usd": None if c.cost_usd is None else str(c.cost_usd),
        "first_token_ms": c.ttft_ms,
        "duration_ms": c.duration_ms,
    }


def to_json(outcome: RunOutcome) -> str:
    return json.dumps(to_data(outcome), indent=2) + "\n"


def to_junit(outcome: RunOutcome) -> bytes:
    """One <testsuite> per column, one <testcase> per cell; a failed check is a <failure>, a failed
    call an <error>."""
    root = ET.Element("testsuites", name=outcome.suite.name)
    names = [c.name or f"case {i + 1}" for i, c in enumerate(outcome.suite.cases)]
    for s in summaries(outcome):
        mine: Sequence[CellResult] = sorted(
            (c for c in outcome.cells if c.column == s.column), key=lambda c: c.key
        )
        failures = sum(1 for c in mine if c.status == "ok" and not c.passed)
        errors = sum(1 for c in mine if c.status != "ok")
        suite = ET.SubElement(
            root, "testsuite", name=s.label, tests=str(len(mine)), failures=str(failures), errors=str(errors)
        )
        for c in mine:
            name = names[c.case] + (f" #{c.repeat + 1}" if outcome.suite.repeats > 1 else "")
            seconds = f"{(c.duration_ms or 0) / 1000:.3f}"
            case = ET.SubElement(suite, "testcase", classname=s.label, name=name, time=seconds)
            if c.status != "ok":
                ET.SubElement(case, "error", message=c.error or c.status)
            elif not c.passed:
                failed = [f"{o.check}: {o.detail}" for o in c.outcomes if not o.passed]
                ET.SubElement(case, "failure", message="; ".join(failed))
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data
