"""A suite written back as a JSON suite file: what the window's in-place edits are saved as.

JSON, not TOML: the standard library reads TOML but cannot write it, and ``suite.load`` reads both.
Every case is written inline (a ``cases_file`` the suite came with is not rewritten), so the saved file
stands alone and reads back as the same suite (the same fingerprint)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playground.compare.columns import Column
from playground.eval.checks import Check
from playground.eval.suite import Case, Prompt, Suite
from playground.files import write_whole


def check_data(check: Check) -> dict[str, Any]:
    """The inverse of ``Check.from_data``: only the fields the check sets."""
    out: dict[str, Any] = {"type": check.kind.value}
    if check.value is not None:
        out["value"] = check.value
    if check.path:
        out["path"] = check.path
    if check.minimum is not None:
        out["min"] = check.minimum
    if check.maximum is not None:
        out["max"] = check.maximum
    if check.ignore_case:
        out["ignore_case"] = True
    return out


def _column(column: Column) -> dict[str, Any]:
    out: dict[str, Any] = {"endpoint": column.endpoint, "model": column.model}
    if column.params:
        out["params"] = dict(column.params)
    return out


def _prompt(prompt: Prompt) -> dict[str, Any]:
    return {
        "name": prompt.name,
        "system": prompt.system,
        "messages": [{"role": m.role, "content": m.content} for m in prompt.messages],
    }


def _case(case: Case) -> dict[str, Any]:
    out: dict[str, Any] = {"vars": dict(case.vars)}
    if case.name:
        out["name"] = case.name
    if case.expected is not None:
        out["expected"] = case.expected
    if case.checks:
        out["checks"] = [check_data(c) for c in case.checks]
    return out


def to_data(suite: Suite) -> dict[str, Any]:
    """The suite as ``suite.from_data`` reads it."""
    data: dict[str, Any] = {
        "name": suite.name,
        "prompts": [_prompt(p) for p in suite.prompts],
        "targets": [_column(t) for t in suite.targets],
        "cases": [_case(c) for c in suite.cases],
        "checks": [check_data(c) for c in suite.checks],
        "repeats": suite.repeats,
    }
    if suite.params:
        data["params"] = dict(suite.params)
    if suite.grader is not None:
        data["grader"] = _column(suite.grader)
    return data


def save(path: Path, suite: Suite) -> None:
    """Write through a temporary file: a failed save never leaves half a suite."""
    write_whole(path, json.dumps(to_data(suite), ensure_ascii=False, indent=2) + "\n")
