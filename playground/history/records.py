"""A recorded call as a typed record: the one place a ``calls`` row becomes Python values (costs as
Decimal or None when unknown, flags as bool, times as datetime, JSON columns decoded)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any


class CallStatus(StrEnum):
    """Where a call stands: running until it ends ok, with an error, stopped, or cut off by a crash."""

    RUNNING = "running"
    OK = "ok"
    ERROR = "error"
    CANCELLED = "cancelled"
    INTERRUPTED = "interrupted"


_COSTS = ("cost_usd", "cost_input_usd", "cost_output_usd")
_FLAGS = ("input_estimated", "output_estimated", "cost_estimated")
_TIMES = ("started_at", "ended_at")
_JSON = ("params", "messages")


@dataclass(frozen=True)
class CallRecord:
    """One row of ``calls``; fields in the table's column order (``to_json_dict`` keeps it)."""

    id: int
    started_at: datetime
    ended_at: datetime | None
    endpoint: str
    api: str | None
    base_url: str | None
    model: str
    params: dict[str, Any]
    system: str | None
    messages: list[dict[str, Any]]
    prompt: str | None
    output: str | None
    reasoning: str | None
    finish_reason: str | None
    status: CallStatus
    error_kind: str | None
    error_message: str | None
    input_tokens: int | None
    input_estimated: bool
    output_tokens: int | None
    output_estimated: bool
    cache_read_tokens: int | None
    cache_write_tokens: int | None
    reasoning_tokens: int | None
    cost_usd: Decimal | None
    cost_input_usd: Decimal | None
    cost_output_usd: Decimal | None
    cost_estimated: bool
    price_source: str | None
    ttft_ms: float | None
    duration_ms: float | None
    tokens_per_s: float | None
    group_id: str | None
    tag: str | None
    retries: int | None
    pid: int | None
    compare_column: int | None
    compare_repeat: int | None
    cost_pusd: int | None
    uid: str | None
    cache_write_1h_tokens: int | None = None
    conversation_id: str | None = None  # the Playground conversation this turn belongs to (m010)
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)  # columns added later
    # The times as stored (imports keep their own ISO spelling): paging compares this text, and
    # exports write it back unchanged.
    stored_times: tuple[str, str | None] = field(default=("", None), compare=False, repr=False)

    @property
    def priced(self) -> bool:
        """A price was found for this call (its cost may still be unknown when usage is)."""
        return bool(self.price_source)

    @property
    def unbilled(self) -> str | None:
        """ "not billed" (failed before any output) or "not sent" (refused before the request): a call
        that cost nothing and used no tokens, none reported either. None for any other call."""
        source = self.price_source or ""
        for words in ("not billed", "not sent"):
            if source.startswith(words + ":"):
                return words
        return None

    @property
    def started_text(self) -> str:
        """When it started, to the second (UTC)."""
        return self.started_at.isoformat(sep=" ", timespec="seconds")[:19]

    def started_in(self, zone: str) -> str:
        """When it started, to the second, in the IANA ``zone`` the days are counted in."""
        from zoneinfo import ZoneInfo

        return self.started_at.astimezone(ZoneInfo(zone)).isoformat(sep=" ", timespec="seconds")[:19]

    @property
    def cursor(self) -> tuple[str, int]:
        """The (started_at, id) the next page starts after."""
        return self.stored_times[0] or _iso(self.started_at), self.id

    def to_json_dict(self) -> dict[str, Any]:
        """The row as JSON values, as exports and ``history --json`` have always written it:
        costs as decimal strings (null when unknown), flags as 0/1, times as ISO text."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name in ("extra", "stored_times"):
                continue
            value = getattr(self, f.name)
            if f.name in _COSTS:
                value = None if value is None else str(value)
            elif f.name in _FLAGS:
                value = int(value)
            elif f.name in _TIMES:
                value = self._time_text(f.name)
            elif f.name == "status":
                value = str(value)
            out[f.name] = value
        out.update(self.extra)
        return out

    def _time_text(self, name: str) -> str | None:
        stored = self.stored_times[0] if name == "started_at" else self.stored_times[1]
        value: datetime | None = getattr(self, name)
        return stored or (None if value is None else _iso(value))


_NAMES = frozenset(f.name for f in fields(CallRecord)) - {"extra", "stored_times"}


def from_row(row: Mapping[str, Any]) -> CallRecord:
    """The record of one ``calls`` row (``select *``); a column it lacks reads as unknown (None)."""
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in {**dict.fromkeys(_NAMES), **row}.items():
        if key not in _NAMES:
            extra[key] = value
        elif key in _JSON:
            values[key] = json.loads(value) if value else ({} if key == "params" else [])
        elif key in _COSTS:
            values[key] = None if value is None else Decimal(value)
        elif key in _FLAGS:
            values[key] = bool(value)
        elif key in _TIMES:
            values[key] = None if value is None else datetime.fromisoformat(value)
        elif key == "status":
            values[key] = CallStatus(value)
        else:
            values[key] = value
    times = (row.get("started_at") or "", row.get("ended_at"))
    return CallRecord(**values, extra=extra, stored_times=times)


def _iso(when: datetime) -> str:
    return when.isoformat(timespec="milliseconds")
