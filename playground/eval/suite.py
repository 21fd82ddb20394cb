"""A test suite: prompts with {{variables}}, targets (endpoint, model, parameters), cases and checks.

Columns are every prompt x every target; each case runs in each column ``repeats`` times. The suite
is read from our own TOML or JSON file (cases inline, or from a CSV or JSONL file beside it), and
everything that can be wrong with it is found by ``prepare`` before a single call is sent.
"""

from __future__ import annotations

import csv
import hashlib
import json
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playground.compare.columns import Column
from playground.eval.checks import Check, CheckError, Compiled, Kind
from playground.llm.request import Message, Request
from playground.llm.templates import fill, find_variables

MAX_REPEATS = 20
MAX_PROBLEMS_SHOWN = 12


class SuiteError(ValueError):
    """A suite that cannot run as written: every problem found, one per line."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        shown = self.problems[:MAX_PROBLEMS_SHOWN]
        more = len(self.problems) - len(shown)
        super().__init__("; ".join(shown) + (f"; and {more} more" if more > 0 else ""))


@dataclass(frozen=True)
class Prompt:
    name: str
    messages: tuple[Message, ...]
    system: str = ""

    def texts(self) -> list[str]:
        return [self.system, *(m.content for m in self.messages)]


@dataclass(frozen=True)
class Case:
    vars: Mapping[str, str]
    expected: str | None = None
    checks: tuple[Check, ...] = ()
    name: str = ""

    def values(self) -> dict[str, str]:
        """The variables, and ``expected`` as one too (checks may say "{{expected}}")."""
        return {**({"expected": self.expected} if self.expected is not None else {}), **self.vars}


@dataclass(frozen=True)
class EvalColumn:
    prompt: Prompt
    target: Column

    def label(self) -> str:
        return f"{self.prompt.name} · {self.target.label()}"


@dataclass(frozen=True)
class Suite:
    name: str
    prompts: tuple[Prompt, ...]
    targets: tuple[Column, ...]
    cases: tuple[Case, ...]
    checks: tuple[Check, ...] = ()  # applied to every case
    repeats: int = 1
    params: Mapping[str, Any] = field(default_factory=dict)  # shared by every target
    grader: Column | None = None  # the model that judges rubric checks

    @property
    def columns(self) -> list[EvalColumn]:
        return [EvalColumn(p, t) for p in self.prompts for t in self.targets]

    def fingerprint(self) -> str:
        """Same suite, same fingerprint: a resumed run must be the run it continues."""
        data = {
            "prompts": [[p.name, p.system, [m.to_dict() for m in p.messages]] for p in self.prompts],
            "targets": [[t.endpoint, t.model, t.params] for t in self.targets],
            "cases": [[c.vars, c.expected, [repr(k) for k in c.checks]] for c in self.cases],
            "checks": [repr(k) for k in self.checks],
            "repeats": self.repeats,
            "params": self.params,
            "grader": None
            if self.grader is None
            else [self.grader.endpoint, self.grader.model, self.grader.params],
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Cell:
    """One call to make: a case in a column, one repeat; ``checks`` already filled and compiled."""

    case: int
    column: int
    repeat: int
    request: Request
    checks: tuple[Compiled, ...]

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.case, self.column, self.repeat)


def prepare(suite: Suite) -> list[Cell]:
    """Every cell, or SuiteError listing every missing variable and bad check: nothing is sent before."""
    problems: list[str] = []
    if not suite.prompts:
        problems.append("the suite has no prompt")
    if not suite.targets:
        problems.append("the suite has no model to run (targets)")
    if not suite.cases:
        problems.append("the suite has no case")
    if suite.grader is None and any(
        k.kind is Kind.RUBRIC for k in (*suite.checks, *(k for c in suite.cases for k in c.checks))
    ):
        problems.append('a rubric check needs a grader model: grader = {endpoint = "…", model = "…"}')
    cells: list[Cell] = []
    columns = suite.columns
    for i, case in enumerate(suite.cases):
        where = f"case {i + 1}" + (f" ({case.name})" if case.name else "")
        values = case.values()
        checks = _compiled(suite.checks + case.checks, values, where, problems)
        for c, column in enumerate(columns):
            missing = [v for v in find_variables(column.prompt.texts()) if v not in values]
            if missing:
                problems.append(
                    f"{where}: no value for {', '.join(missing)} in prompt {column.prompt.name!r}"
                )
                continue
            prompt = column.prompt
            messages = tuple(Message(m.role, fill(m.content, values)) for m in prompt.messages)
            request = column.target.request(fill(prompt.system, values), messages, dict(suite.params))
            cells += [Cell(i, c, r, request, checks) for r in range(suite.repeats)]
    if problems:
        raise SuiteError(_unique(problems))
    return cells


def _compiled(
    checks: Sequence[Check], values: Mapping[str, str], where: str, problems: list[str]
) -> tuple[Compiled, ...]:
    out = []
    for check in checks:
        texts = [check.value] if isinstance(check.value, str) else check.value
        if isinstance(texts, list) and (
            missing := [v for v in find_variables(t for t in texts if isinstance(t, str)) if v not in values]
        ):
            problems.append(
                f"{where}: check {check.kind.value} uses {', '.join(missing)}, which it has no value for"
            )
            continue
        try:
            out.append(check.substitute(lambda t: fill(t, values)).compile())
        except CheckError as exc:
            problems.append(f"{where}: {exc}")
    return tuple(out)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


# --- files ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    """A suite as read, what in its file we do not support (it must not run then: the results would
    mean something else) and what we left out because it does not change them (only promptfoo files)."""

    suite: Suite
    unsupported: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()


def load(path: Path, endpoint_map: Mapping[str, str] | None = None) -> Loaded:
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        from playground.eval.promptfoo import load_promptfoo

        return load_promptfoo(path, endpoint_map or {})
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SuiteError([f"cannot read {path}: {exc}"]) from None
    try:
        data = tomllib.loads(text) if suffix == ".toml" else json.loads(text)
    except ValueError as exc:
        raise SuiteError(
            [f"{path.name} is not valid {'TOML' if suffix == '.toml' else 'JSON'}: {exc}"]
        ) from None
    if not isinstance(data, dict):
        raise SuiteError([f"{path.name}: a suite is a table of fields"])
    return Loaded(from_data(data, path.parent))


def from_data(data: Mapping[str, Any], folder: Path) -> Suite:
    problems: list[str] = []
    known = {
        "version",
        "name",
        "prompts",
        "prompt",
        "system",
        "targets",
        "cases",
        "cases_file",
        "checks",
        "repeats",
        "params",
        "grader",
    }
    if extra := sorted(set(data) - known):
        problems.append(f"unknown field(s): {', '.join(extra)}")
    prompts = _prompts(data, problems)
    targets = []
    for t in _list(data.get("targets"), "targets", problems):
        if not isinstance(t, dict) or not t.get("endpoint") or not t.get("model"):
            problems.append(f"a target needs an endpoint and a model: {t!r}")
        else:
            targets.append(Column(str(t["endpoint"]), str(t["model"]), dict(t.get("params") or {})))
    cases = [
        _case(c, f"case {i + 1}", problems) for i, c in enumerate(_list(data.get("cases"), "cases", problems))
    ]
    if data.get("cases_file"):
        try:
            cases += read_cases(folder / str(data["cases_file"]))
        except SuiteError as exc:
            problems += exc.problems
    checks = _checks(data.get("checks"), "the suite's checks", problems)
    repeats = data.get("repeats", 1)
    if not isinstance(repeats, int) or isinstance(repeats, bool) or not 1 <= repeats <= MAX_REPEATS:
        problems.append(f"repeats must be a whole number from 1 to {MAX_REPEATS}, not {repeats!r}")
        repeats = 1
    params = data.get("params") or {}
    if not isinstance(params, dict):
        problems.append("params must be a table")
        params = {}
    grader = data.get("grader")
    if grader is not None and (
        not isinstance(grader, dict) or not grader.get("endpoint") or not grader.get("model")
    ):
        problems.append(f"the grader needs an endpoint and a model: {grader!r}")
    if problems:
        raise SuiteError(problems)
    judge = (
        None
        if grader is None
        else Column(str(grader["endpoint"]), str(grader["model"]), dict(grader.get("params") or {}))
    )
    name = str(data.get("name") or "suite")
    cases_ = tuple(c for c in cases if c)
    return Suite(name, tuple(prompts), tuple(targets), cases_, checks, repeats, params, judge)


def _prompts(data: Mapping[str, Any], problems: list[str]) -> list[Prompt]:
    raw = data.get("prompts")
    if raw is None and data.get("prompt") is not None:
        raw = [{"name": "prompt", "user": data["prompt"], "system": data.get("system", "")}]
    prompts = []
    for i, p in enumerate(_list(raw, "prompts", problems)):
        if isinstance(p, str):
            p = {"user": p}
        if not isinstance(p, dict) or not (p.get("user") or p.get("messages")):
            problems.append(f"prompt {i + 1} needs a user text or messages")
            continue
        messages = [{"role": "user", "content": p["user"]}] if p.get("user") else p["messages"]
        try:
            msgs = tuple(Message(m["role"], str(m["content"])) for m in messages)
        except (KeyError, TypeError):
            problems.append(f"prompt {i + 1}: each message needs a role and a content")
            continue
        if any(m.role not in ("user", "assistant") for m in msgs):
            problems.append(
                f"prompt {i + 1}: a message role is user or assistant (the system is its own field)"
            )
            continue
        prompts.append(Prompt(str(p.get("name") or f"prompt {i + 1}"), msgs, str(p.get("system") or "")))
    return prompts


def _case(raw: Any, where: str, problems: list[str]) -> Case:
    if not isinstance(raw, dict):
        problems.append(f"{where} must be a table")
        return Case({})
    if "vars" in raw:
        variables, rest = raw.get("vars") or {}, {k: v for k, v in raw.items() if k != "vars"}
    else:
        variables = {k: v for k, v in raw.items() if k not in ("expected", "checks", "name")}
        rest = raw
    if not isinstance(variables, dict):
        problems.append(f"{where}: vars must be a table")
        variables = {}
    expected = rest.get("expected")
    checks = rest.get("checks")
    if isinstance(checks, str) and checks.strip():  # a CSV cell holds them as JSON
        try:
            checks = json.loads(checks)
        except ValueError as exc:
            problems.append(f"{where}: checks are not JSON: {exc}")
            checks = None
    return Case(
        {str(k): _as_text(v) for k, v in variables.items()},
        None if expected in (None, "") else _as_text(expected),
        _checks(checks or None, where, problems),
        str(rest.get("name") or ""),
    )


def _checks(raw: Any, where: str, problems: list[str]) -> tuple[Check, ...]:
    out = []
    for item in _list(raw, f"{where}: checks", problems):
        try:
            out.append(Check.from_data(item))
        except CheckError as exc:
            problems.append(f"{where}: {exc}")
    return tuple(out)


def _list(raw: Any, name: str, problems: list[str]) -> list[Any]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append(f"{name} must be a list")
        return []
    return raw


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def read_cases(path: Path) -> list[Case]:
    """Cases from a CSV (a header row: one column per variable, plus optional expected, checks as JSON,
    name) or a JSONL file (one object per line, the same fields, or {"vars": {...}, ...})."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SuiteError([f"cannot read the cases file {path}: {exc}"]) from None
    problems: list[str] = []
    rows: list[tuple[str, Any]] = []
    if path.suffix.lower() == ".jsonl":
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    rows.append((f"{path.name} line {n}", json.loads(line)))
                except ValueError as exc:
                    problems.append(f"{path.name} line {n} is not JSON: {exc}")
    else:
        reader = csv.DictReader(text.splitlines())
        header = reader.fieldnames or []
        if not header or any(not h for h in header):
            raise SuiteError([f"{path.name}: the first row must name every column"])
        for n, row in enumerate(reader, 2):
            if None in row or any(v is None for v in row.values()):
                problems.append(
                    f"{path.name} row {n} has {'more' if None in row else 'fewer'} cells than the header"
                )
                continue
            rows.append((f"{path.name} row {n}", {k: v for k, v in row.items() if k != "checks" or v}))
    cases = [_case(data, where, problems) for where, data in rows]
    # An unnamed case is named by its place in the file, so a message or a report finds the row.
    cases = [
        c if c.name else Case(c.vars, c.expected, c.checks, where)
        for c, (where, _) in zip(cases, rows, strict=True)
    ]
    if problems:
        raise SuiteError(problems)
    return cases
