"""Checks every row of an import before anything is written: a bad file is refused whole, with reasons."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from playground.history.calls import STATUSES
from playground.llm.errors import CallError, ErrorKind, PlaygroundError

SHOWN = 5  # problems named in the refusal; the rest are counted


@dataclass(frozen=True)
class Problem:
    """One bad value: which call (1-based, in file order), which field, what it held and why it is wrong."""

    row: int
    field: str
    value: Any
    reason: str

    def __str__(self) -> str:
        shown = repr(self.value)
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        return f"call {self.row}: {self.field}={shown} {self.reason}"


class ImportRefused(PlaygroundError):
    """Nothing was imported: the file has problems (the first few are in the message)."""

    def __init__(self, name: str, problems: list[Problem]):
        listed = "; ".join(str(p) for p in problems[:SHOWN])
        more = f"; and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(
            CallError(ErrorKind.BAD_REQUEST, f"{name} was not imported ({count}): {listed}{more}.")
        )
        self.problems = problems


Check = Callable[[Any], str | None]  # the reason a value is wrong, or None


def optional(check: Check) -> Check:
    return lambda value: None if value is None else check(value)


def text(value: Any) -> str | None:
    return None if isinstance(value, str) else "must be text"


def required_text(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "must be non-empty text"


def count(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return None if ok else "must be a whole number of at least 0"


def flag(value: Any) -> str | None:
    return None if value in (0, 1) else "must be true or false"  # True == 1 and False == 0


def measure(value: Any) -> str | None:
    ok = (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )
    return None if ok else "must be a number of at least 0"


MAX_CALL_USD = Decimal(1_000_000)  # the daily rollups keep exact picodollars in 64 bits (~9.2M USD)


def money(value: Any) -> str | None:
    if not isinstance(value, str):
        return 'must be a decimal string such as "0.0012" (or null when unknown)'
    try:
        amount = Decimal(value)
    except InvalidOperation:
        return 'must be a decimal string such as "0.0012"'
    if not (amount.is_finite() and amount >= 0):
        return "must be an amount of at least 0"
    return None if amount <= MAX_CALL_USD else f"must be at most {MAX_CALL_USD} (USD for one call)"


def iso_time(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be an ISO-8601 date and time"
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return "must be an ISO-8601 date and time"
    return None


def status(value: Any) -> str | None:
    return None if value in STATUSES else f"must be one of {', '.join(STATUSES)}"


def params(value: Any) -> str | None:
    return _json_shaped(value, dict, "must be an object of parameters")


def messages(value: Any) -> str | None:
    reason = _json_shaped(value, list, "must be a list of messages")
    if reason:
        return reason
    items = json.loads(value) if isinstance(value, str) else value
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("content"), str):
            return "must be a list of messages with text content"
    return None


def _json_shaped(value: Any, kind: type, reason: str) -> str | None:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return reason
    return None if isinstance(value, kind) else reason


# Every exported column and what it may hold; a missing optional column reads as null.
FIELDS: dict[str, Check] = {
    "uid": required_text,
    "started_at": iso_time,
    "ended_at": optional(iso_time),
    "endpoint": required_text,
    "api": optional(text),
    "base_url": optional(text),
    "model": required_text,
    "params": optional(params),
    "system": optional(text),
    "messages": optional(messages),
    "output": optional(text),
    "reasoning": optional(text),
    "finish_reason": optional(text),
    "status": status,
    "error_kind": optional(text),
    "error_message": optional(text),
    "input_tokens": optional(count),
    "input_estimated": optional(flag),
    "output_tokens": optional(count),
    "output_estimated": optional(flag),
    "cache_read_tokens": optional(count),
    "cache_write_tokens": optional(count),
    "reasoning_tokens": optional(count),
    "cost_usd": optional(money),
    "cost_input_usd": optional(money),
    "cost_output_usd": optional(money),
    "cost_estimated": optional(flag),
    "price_source": optional(text),
    "ttft_ms": optional(measure),
    "duration_ms": optional(measure),
    "tokens_per_s": optional(measure),
    "group_id": optional(text),
    "tag": optional(text),
    "retries": optional(count),
}


def check_calls(calls: Iterable[Any]) -> list[Problem]:
    """Every problem in ``calls`` (exported call objects), in file order; empty when all are good."""
    problems: list[Problem] = []
    first_seen: dict[str, int] = {}
    for row, call in enumerate(calls, 1):
        if not isinstance(call, dict):
            problems.append(Problem(row, "call", call, "must be an object"))
            continue
        for name, check in FIELDS.items():
            reason = check(call.get(name))
            if reason:
                problems.append(Problem(row, name, call.get(name), reason))
        uid = call.get("uid")
        if isinstance(uid, str):
            if uid in first_seen:
                problems.append(Problem(row, "uid", uid, f"repeats call {first_seen[uid]}"))
            first_seen.setdefault(uid, row)
    return problems


def refuse_if_any(name: str, problems: list[Problem]) -> None:
    if problems:
        raise ImportRefused(name, problems)
