"""Comparisons: columns of model and parameters over one prompt, sweeps, forecasts, statistics, diffs."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from playground.history.records import CallRecord
from playground.llm.errors import ErrorKind, PlaygroundError
from playground.llm.request import Message, Request
from playground.llm.result import CallResult
from playground.llm.usage import Usage

MAX_COLUMNS = 6
MAX_REPEATS = 10


@dataclass(frozen=True)
class Column:
    """One side of a comparison: where to send, and parameters on top of the shared ones."""

    endpoint: str
    model: str
    params: dict[str, Any] = field(default_factory=dict)

    def label(self) -> str:
        extra = ", ".join(f"{k}={v}" for k, v in sorted(self.params.items()))
        return f"{self.endpoint} / {self.model}" + (f" ({extra})" if extra else "")

    def request(self, system: str, messages: Sequence[Message], shared: dict[str, Any]) -> Request:
        return Request(self.endpoint, self.model, tuple(messages), system, {**shared, **self.params})


@dataclass
class CompareSet:
    """What a saved comparison holds (the prompt itself stays with the editor)."""

    columns: list[Column]
    repeats: int = 1
    blind: bool = False

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": 1,
                "columns": [asdict(c) for c in self.columns],
                "repeats": self.repeats,
                "blind": self.blind,
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> CompareSet:
        try:
            data = json.loads(text)
            columns = [
                Column(c["endpoint"], c["model"], dict(c.get("params") or {})) for c in data["columns"]
            ]
            repeats = int(data.get("repeats", 1))
        except (ValueError, KeyError, TypeError) as exc:
            raise PlaygroundError.of(ErrorKind.BAD_REQUEST, f"Not a comparison file: {exc}") from None
        return cls(columns[:MAX_COLUMNS], max(1, min(repeats, MAX_REPEATS)), bool(data.get("blind", False)))


def parse_values(text: str) -> list[str]:
    """'0, 0.5, 1.0' or '0 0.5 1': the values of a sweep."""
    return [v for v in text.replace(",", " ").split() if v]


def sweep(base: Column, name: str, values: Iterable[Any]) -> list[Column]:
    """One column per value of parameter ``name``, the rest as in ``base``."""
    columns = [Column(base.endpoint, base.model, {**base.params, name: value}) for value in values]
    if not 2 <= len(columns) <= MAX_COLUMNS:
        raise PlaygroundError.of(
            ErrorKind.INVALID_PARAMETER, f"A sweep takes 2 to {MAX_COLUMNS} values (got {len(columns)})."
        )
    return columns


def word_diff(a: str, b: str) -> list[tuple[str, str]]:
    """Words of ``a`` and ``b`` as ("equal" | "delete" | "insert", text) runs; whitespace is kept."""
    import re

    wa, wb = re.findall(r"\S+|\s+", a), re.findall(r"\S+|\s+", b)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("equal", "".join(wa[i1:i2])))
        else:
            if i2 > i1:
                out.append(("delete", "".join(wa[i1:i2])))
            if j2 > j1:
                out.append(("insert", "".join(wb[j1:j2])))
    return out


# restoring a comparison from history


@dataclass
class RestoredGroup:
    system: str
    messages: list[Message]
    columns: list[Column]
    results: list[list[CallResult]]  # per column, per repeat


def result_from_row(row: CallRecord) -> CallResult:
    """A recorded call as the result the compare view shows (costs and timings as recorded)."""
    from playground.llm.errors import CallError
    from playground.pricing.prices import Cost

    cost = None
    if row.price_source:
        cost = Cost(
            row.cost_usd, row.cost_input_usd, row.cost_output_usd, row.price_source, row.cost_estimated
        )
    error = None
    if row.error_kind:
        try:
            kind = ErrorKind(row.error_kind)
        except ValueError:
            kind = ErrorKind.INTERNAL
        error = CallError(kind, row.error_message or "")
    usage = Usage(
        row.input_tokens or 0,
        row.output_tokens or 0,
        row.cache_read_tokens or 0,
        row.cache_write_tokens or 0,
        row.reasoning_tokens or 0,
        row.input_estimated,
        row.output_estimated,
    )
    return CallResult(
        row.id,
        row.status,
        text=row.output or "",
        reasoning=row.reasoning or "",
        finish_reason=row.finish_reason,
        usage=usage,
        usage_reported=True,
        usage_final=True,
        cost=cost,
        error=error,
        ttft_ms=row.ttft_ms,
        duration_ms=row.duration_ms,
        tokens_per_s=row.tokens_per_s,
    )


def restore_group(rows: Sequence[CallRecord]) -> RestoredGroup:
    """Columns in the order they first appear; each column's calls are its repeats."""
    if not rows:
        raise PlaygroundError.of(ErrorKind.BAD_REQUEST, "That comparison has no calls in history.")
    columns: list[Column] = []
    results: list[list[CallResult]] = []
    keys: dict[str, int] = {}
    for row in rows:
        params = row.params
        key = json.dumps([row.endpoint, row.model, params], sort_keys=True)
        if key not in keys:
            keys[key] = len(columns)
            columns.append(Column(row.endpoint, row.model, dict(params)))
            results.append([])
        results[keys[key]].append(result_from_row(row))
    first = rows[0]
    messages = [Message.from_dict(m) for m in first.messages]
    return RestoredGroup(first.system or "", messages, columns, results)
