"""Checks on one answer: what a case expects of the text, its timing and its cost.

A check is compiled once (a bad regex, a schema that does not compile, a value of the wrong kind is
a clear message before anything is sent) and then judged against each answer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playground.eval.grader import Grade
    from playground.llm.tools import ToolCall


class CheckError(ValueError):
    """A check that cannot be judged as written."""


class Kind(StrEnum):
    EQUALS = "equals"
    CONTAINS = "contains"  # one string
    CONTAINS_ANY = "contains_any"
    CONTAINS_ALL = "contains_all"
    NOT_CONTAINS = "not_contains"  # none of one or more strings
    REGEX = "regex"
    STARTS_WITH = "starts_with"
    IS_JSON = "is_json"
    JSON_SCHEMA = "json_schema"
    JSON_PATH = "json_path"  # a dotted path (a.b.0.c: keys and list indexes), no wildcards or filters
    LENGTH = "length"  # characters, min and/or max
    FIRST_TOKEN_MS = "first_token_ms"  # at most
    DURATION_MS = "duration_ms"  # at most
    COST_USD = "cost_usd"  # at most
    CALLED_TOOL = "called_tool"  # the named tool (any tool without a value), arguments valid
    RUBRIC = "rubric"  # model-graded: the suite's grader model reads the answer against this text


TEXT_LIST_KINDS = frozenset({Kind.CONTAINS_ANY, Kind.CONTAINS_ALL, Kind.NOT_CONTAINS})


@dataclass(frozen=True)
class Answer:
    """What a check looks at: the text, and the call's figures (None: not known)."""

    text: str
    ok: bool = True
    first_token_ms: float | None = None
    duration_ms: float | None = None
    cost_usd: Decimal | None = None
    tool_calls: tuple[ToolCall, ...] = ()  # each with its arguments checked against its tool's schema
    grades: Mapping[str, Grade] = field(default_factory=dict)  # rubric text -> the grader's verdict


@dataclass(frozen=True)
class Outcome:
    check: str  # the check in words
    passed: bool
    detail: str = ""  # why it failed


@dataclass(frozen=True)
class Check:
    """One check as written. ``value``: the string, strings, pattern, schema, expected JSON value or
    limit; ``path`` for json_path; ``minimum``/``maximum`` for length; ``ignore_case`` for text kinds."""

    kind: Kind
    value: Any = None
    path: str = ""
    minimum: int | None = None
    maximum: int | None = None
    ignore_case: bool = False

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Check:
        """From a suite file: {"type": "contains", "value": "Paris"}."""
        if not isinstance(data, Mapping):
            raise CheckError(f"a check must be a table with a type, not {data!r}")
        known = {"type", "value", "path", "min", "max", "ignore_case"}
        if extra := sorted(set(data) - known):
            raise CheckError(f"unknown field(s) in a check: {', '.join(extra)}")
        try:
            kind = Kind(str(data.get("type", "")))
        except ValueError:
            names = ", ".join(k.value for k in Kind)
            raise CheckError(f"unknown check type {data.get('type')!r} (known: {names})") from None
        return cls(
            kind,
            data.get("value"),
            str(data.get("path", "")),
            _int_or_none(data.get("min"), "min"),
            _int_or_none(data.get("max"), "max"),
            bool(data.get("ignore_case", False)),
        )

    def describe(self) -> str:
        if self.kind is Kind.LENGTH:
            return f"length {self.minimum or 0}..{'' if self.maximum is None else self.maximum}"
        if self.kind is Kind.JSON_PATH:
            return f"json_path {self.path} = {json.dumps(self.value)}"
        if self.kind in (Kind.IS_JSON, Kind.JSON_SCHEMA):
            return self.kind.value
        if self.kind is Kind.CALLED_TOOL and self.value is None:
            return "called_tool (any)"
        if self.kind is Kind.RUBRIC:
            return f"rubric (model-judged): {self.value}"
        shown = self.value if isinstance(self.value, str) else json.dumps(self.value)
        return f"{self.kind.value} {shown}" + (" (ignoring case)" if self.ignore_case else "")

    def substitute(self, fill: Callable[[str], str]) -> Check:
        """The check with ``{{variables}}`` in its strings filled from a case."""
        value = self.value
        if isinstance(value, str):
            value = fill(value)
        elif isinstance(value, list) and self.kind in TEXT_LIST_KINDS:
            value = [fill(v) if isinstance(v, str) else v for v in value]
        return Check(self.kind, value, self.path, self.minimum, self.maximum, self.ignore_case)

    def compile(self) -> Compiled:
        """Check the check itself; raises CheckError with what is wrong."""
        return Compiled(self, _judge_for(self))


@dataclass(frozen=True)
class Compiled:
    check: Check
    judge: Callable[[Answer], str | None] = field(repr=False)  # None: passed, else why not

    def run(self, answer: Answer) -> Outcome:
        why = self.judge(answer)
        return Outcome(self.check.describe(), why is None, why or "")


def run_all(checks: Sequence[Compiled], answer: Answer) -> list[Outcome]:
    return [c.run(answer) for c in checks]


# --- building the judges ------------------------------------------------------------------------


def _judge_for(check: Check) -> Callable[[Answer], str | None]:
    k = check.kind
    fold: Callable[[str], str] = str.casefold if check.ignore_case else (lambda s: s)
    if k in (Kind.EQUALS, Kind.CONTAINS, Kind.STARTS_WITH):
        want = fold(_text(check.value, k))
        tests: dict[Kind, Callable[[str], bool]] = {
            Kind.EQUALS: lambda t: fold(t.strip()) == want.strip(),
            Kind.CONTAINS: lambda t: want in fold(t),
            Kind.STARTS_WITH: lambda t: fold(t.lstrip()).startswith(want),
        }
        test = tests[k]
        return lambda a: None if test(a.text) else f"the answer does not {k.value.replace('_', ' ')} {want!r}"
    if k in TEXT_LIST_KINDS:
        items = [fold(s) for s in _texts(check.value, k)]
        if k is Kind.CONTAINS_ANY:
            return lambda a: None if any(s in fold(a.text) for s in items) else f"none of {items} found"
        if k is Kind.CONTAINS_ALL:
            return lambda a: _missing(items, fold(a.text))
        return lambda a: _found(items, fold(a.text))
    if k is Kind.REGEX:
        pattern = _regex(check.value, check.ignore_case)
        return lambda a: None if pattern.search(a.text) else f"no match for /{pattern.pattern}/"
    if k is Kind.IS_JSON:
        return lambda a: _json_of(a.text)[1]
    if k is Kind.JSON_SCHEMA:
        return _schema_judge(check.value)
    if k is Kind.JSON_PATH:
        return _path_judge(check.path, check.value)
    if k is Kind.LENGTH:
        return _length_judge(check.minimum, check.maximum)
    if k is Kind.CALLED_TOOL:
        return _tool_judge(None if check.value is None else _text(check.value, k))
    if k is Kind.RUBRIC:
        return _rubric_judge(_text(check.value, k))
    limit = _limit(check.value, k)
    if k is Kind.COST_USD:
        return lambda a: _at_most(a.cost_usd, limit, "cost", "$")
    if k is Kind.FIRST_TOKEN_MS:
        return lambda a: _at_most(a.first_token_ms, limit, "first token", " ms")
    return lambda a: _at_most(a.duration_ms, limit, "duration", " ms")


def _text(value: Any, kind: Kind) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or value == "":
        raise CheckError(f"{kind.value} needs a non-empty string value, not {value!r}")
    return value


def _texts(value: Any, kind: Kind) -> list[str]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values:
        raise CheckError(f"{kind.value} needs a string or a list of strings, not {value!r}")
    return [_text(v, kind) for v in values]


def _missing(items: list[str], text: str) -> str | None:
    missing = [s for s in items if s not in text]
    return f"missing {missing}" if missing else None


def _found(items: list[str], text: str) -> str | None:
    found = [s for s in items if s in text]
    return f"found {found}" if found else None


def _regex(value: Any, ignore_case: bool) -> re.Pattern[str]:
    if not isinstance(value, str) or not value:
        raise CheckError(f"regex needs a pattern string, not {value!r}")
    try:
        return re.compile(value, re.IGNORECASE if ignore_case else 0)
    except re.error as exc:
        raise CheckError(f"invalid regex {value!r}: {exc}") from None


def _json_of(text: str) -> tuple[Any, str | None]:
    """The answer as JSON (a ```json fence around it is allowed), or why it is not JSON."""
    body = text.strip()
    fence = re.fullmatch(r"```(?:json)?\s*(.*?)\s*```", body, re.DOTALL)
    if fence:
        body = fence.group(1)
    try:
        return json.loads(body), None
    except ValueError as exc:
        return None, f"not valid JSON: {exc}"


def _schema_judge(schema: Any) -> Callable[[Answer], str | None]:
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for

    from playground.llm.schema import schema_problem

    if isinstance(schema, str):
        try:
            schema = json.loads(schema)
        except ValueError as exc:
            raise CheckError(f"json_schema: the schema is not JSON: {exc}") from None
    if not isinstance(schema, dict):
        raise CheckError(f"json_schema needs a JSON Schema object, not {schema!r}")
    if problem := schema_problem(schema):
        raise CheckError(f"json_schema: the schema does not compile: {problem[1]}")
    validator = validator_for(schema)(schema)

    def judge(answer: Answer) -> str | None:
        data, why = _json_of(answer.text)
        if why:
            return why
        error = best_match(validator.iter_errors(data))
        return None if error is None else f"does not match the schema: {error.message}"

    return judge


_PATH_PART = re.compile(r"[^.\[\]]+")


def _path_judge(path: str, want: Any) -> Callable[[Answer], str | None]:
    parts = path.removeprefix("$").strip(".").split(".") if path else []
    if not parts or not all(_PATH_PART.fullmatch(p) for p in parts):
        raise CheckError(f"json_path needs a dotted path like a.b.0.c, not {path!r}")

    def judge(answer: Answer) -> str | None:
        data, why = _json_of(answer.text)
        if why:
            return why
        for part in parts:
            if isinstance(data, list) and part.isdigit() and int(part) < len(data):
                data = data[int(part)]
            elif isinstance(data, dict) and part in data:
                data = data[part]
            else:
                return f"{path} is not in the answer"
        return None if data == want else f"{path} is {json.dumps(data)}, not {json.dumps(want)}"

    return judge


def _tool_judge(name: str | None) -> Callable[[Answer], str | None]:
    """Passes when the answer called ``name`` (or, for None, any tool) and every such call's arguments
    kept to the tool's schema (the runner checked them as they streamed in)."""

    def judge(answer: Answer) -> str | None:
        calls = [c for c in answer.tool_calls if name is None or c.name == name]
        if not calls:
            made = ", ".join(dict.fromkeys(c.name for c in answer.tool_calls)) or "no tool"
            return f"did not call {name or 'a tool'} (called {made})"
        bad = [c for c in calls if not c.valid.valid]
        return f"{bad[0].name} called with invalid arguments: {bad[0].valid.line()}" if bad else None

    return judge


def _rubric_judge(rubric: str) -> Callable[[Answer], str | None]:
    """The grader's verdict, read by the runner before the checks run (``Answer.grades``)."""

    def judge(answer: Answer) -> str | None:
        grade = answer.grades.get(rubric)
        if grade is None:
            return "not graded"
        if grade.passed is None:
            return grade.reason
        return None if grade.passed else f"{grade.grader} judged it a fail: {grade.reason}"

    return judge


def _length_judge(low: int | None, high: int | None) -> Callable[[Answer], str | None]:
    if low is None and high is None:
        raise CheckError("length needs min, max or both")
    if low is not None and high is not None and low > high:
        raise CheckError(f"length: min {low} is above max {high}")

    def judge(answer: Answer) -> str | None:
        n = len(answer.text)
        if (low is not None and n < low) or (high is not None and n > high):
            return f"{n} characters, not {low or 0}..{'' if high is None else high}"
        return None

    return judge


def _limit(value: Any, kind: Kind) -> Decimal:
    try:
        limit = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise CheckError(f"{kind.value} needs a number as its limit, not {value!r}") from None
    if value is None or isinstance(value, bool) or not limit.is_finite() or limit < 0:
        raise CheckError(f"{kind.value} needs a number >= 0 as its limit, not {value!r}")
    return limit


def _at_most(figure: float | Decimal | None, limit: Decimal, name: str, unit: str) -> str | None:
    if figure is None:
        return f"{name} unknown"
    if Decimal(str(figure)) <= limit:
        return None
    shown = f"${figure}" if unit == "$" else f"{figure:.0f}{unit}"
    return f"{name} {shown} is over {'$' if unit == '$' else ''}{limit}{'' if unit == '$' else unit}"


def _int_or_none(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CheckError(f"{name} must be a whole number >= 0, not {value!r}")
    return value
