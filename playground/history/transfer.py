"""Export history to CSV and JSON, and import our own JSON or the `llm` tool's logs.db."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from playground.files import write_whole
from playground.history.filters import Filters
from playground.history.import_check import (
    Check,
    Problem,
    check_calls,
    count,
    iso_time,
    measure,
    optional,
    refuse_if_any,
    required_text,
    text,
)
from playground.history.import_writer import ImportProgress, ImportResult, write_calls
from playground.history.records import CallStatus
from playground.history.rollups import to_pico
from playground.history.storage import OfflineStorage, Storage
from playground.llm.errors import ErrorKind, PlaygroundError
from playground.llm.usage import Usage
from playground.pricing.prices import Pricer

EXPORT_VERSION = 1
# Exported columns: everything a reader needs; the process id is local and left out.
COLUMNS = (
    "uid",
    "started_at",
    "ended_at",
    "endpoint",
    "api",
    "base_url",
    "model",
    "params",
    "system",
    "messages",
    "output",
    "reasoning",
    "finish_reason",
    "status",
    "error_kind",
    "error_message",
    "input_tokens",
    "input_estimated",
    "output_tokens",
    "output_estimated",
    "cache_read_tokens",
    "cache_write_tokens",
    "reasoning_tokens",
    "cost_usd",
    "cost_input_usd",
    "cost_output_usd",
    "cost_estimated",
    "price_source",
    "ttft_ms",
    "duration_ms",
    "tokens_per_s",
    "group_id",
    "tag",
    "retries",
)


def export_rows(
    storage: Storage | OfflineStorage, since: str | None = None, filters: Filters | None = None
) -> list[dict[str, Any]]:
    """Rows to export: from ``since`` (a day), or as the history view filters them."""
    where, args = (filters or Filters(since=since)).where()
    sql = f"select {', '.join(COLUMNS)} from calls {where} order by started_at, id"
    return [dict(r) for r in storage.read().query(sql, args)]


class ExportCancelled(Exception):
    """The export was stopped; nothing was written."""


class RowReader:
    """The rows of one query, for a file written whole: ``progress`` gets the count every 1,000 rows,
    and a set ``cancel`` raises ExportCancelled (``cancelled`` says what was not written)."""

    def __init__(
        self,
        storage: Storage | OfflineStorage,
        sql: str,
        args: Sequence[Any],
        progress: Callable[[int], None] | None = None,
        cancel: threading.Event | None = None,
        cancelled: str = "Export cancelled: nothing written.",
    ):
        self._storage, self._sql, self._args = storage, sql, args
        self._progress, self._cancel, self._cancelled = progress, cancel, cancelled
        self.count = 0  # rows read so far

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for r in self._storage.read().query(self._sql, self._args):
            if self._cancel is not None and self._cancel.is_set():
                raise ExportCancelled(self._cancelled)
            self.count += 1
            if self._progress is not None and self.count % 1000 == 0:
                self._progress(self.count)
            yield dict(r)


def export_file(
    storage: Storage | OfflineStorage,
    filters: Filters,
    path: Path,
    as_csv: bool,
    progress: Callable[[int], None] | None = None,
    cancel: threading.Event | None = None,
) -> int:
    """Write the calls ``filters`` show to ``path`` (JSON or CSV); the number written. ``progress``
    gets the rows read so far; a set ``cancel`` stops it and leaves any existing file as it was
    (the text is written to a temporary file first, then moved into place)."""
    where, args = filters.where()
    sql = f"select {', '.join(COLUMNS)} from calls {where} order by started_at, id"
    rows = RowReader(storage, sql, args, progress, cancel)
    write_whole(path, to_csv(rows) if as_csv else to_json(rows))
    return rows.count


def to_json(rows: Iterable[dict[str, Any]]) -> str:
    calls = []
    for row in rows:
        out = dict(row)
        for key in ("params", "messages"):
            if isinstance(out.get(key), str):
                out[key] = json.loads(out[key])
        calls.append(out)
    return json.dumps(
        {"format": "llm-playground-history", "version": EXPORT_VERSION, "calls": calls},
        ensure_ascii=False,
        indent=1,
    )


# Text a spreadsheet would run as a formula when it starts a cell (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Text columns that hold numbers (exact decimals): left as they are, so they stay numbers.
NUMERIC_TEXT = frozenset({"cost_usd", "cost_input_usd", "cost_output_usd"})


def spreadsheet_safe(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, quoted with a leading ' ; others as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(rows: Iterable[dict[str, Any]]) -> str:
    """One row per call; an unknown cost is an empty cell, never 0; no cell runs as a formula."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: v if k in NUMERIC_TEXT else spreadsheet_safe(v) for k, v in row.items()})
    return buffer.getvalue()


def import_file(
    storage: Storage | OfflineStorage,
    path: Path,
    pricer: Pricer,
    progress: Callable[[ImportProgress], None] | None = None,
    cancel: threading.Event | None = None,
) -> ImportResult:
    """Our JSON export, or an `llm` logs.db (told apart by their first bytes). Every row is checked
    first: a file with any bad row is refused whole and the history is not touched. Then the calls
    are written in batches (see ``BATCH``); calls already here (same uid) are skipped, so importing
    a file again after a cancel adds only the rest."""
    if path.is_dir():
        raise _bad(f"{path.name} is a folder, not an export file.")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _bad(f"cannot read {path.name}: {exc.strerror or exc}") from None
    if raw.startswith(b"SQLite format 3"):
        return import_llm(storage, path, pricer, progress, cancel)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        hint = " It looks like a CSV export: only JSON exports can be imported." if _csv_like(raw) else ""
        raise _bad(f"{path.name} is neither a history export nor an llm logs.db ({exc}).{hint}") from None
    except RecursionError:  # our exports nest a few levels; this is not one
        raise _bad(f"{path.name} is nested too deeply to be a history export.") from None
    if not isinstance(data, dict) or data.get("format") != "llm-playground-history":
        raise _bad(f"{path.name} is not an LLM Playground history export.")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _bad(f"{path.name} has no valid export version.")
    if version > EXPORT_VERSION:
        raise _bad(f"{path.name} was written by a newer version of LLM Playground (export {version}).")
    calls = data.get("calls")
    if not isinstance(calls, list):
        raise _bad(f"{path.name} has no list of calls.")
    refuse_if_any(path.name, check_calls(calls))
    return write_calls(storage, calls, _from_export, progress, cancel)


def _csv_like(raw: bytes) -> bool:
    return raw.lstrip(b"\xef\xbb\xbf").startswith(",".join(COLUMNS[:3]).encode())


def import_llm(
    storage: Storage | OfflineStorage,
    path: Path,
    pricer: Pricer,
    progress: Callable[[ImportProgress], None] | None = None,
    cancel: threading.Event | None = None,
) -> ImportResult:
    """Responses from simonw/llm's logs.db become calls, priced now (batch by batch) from their
    token counts."""
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        source.row_factory = sqlite3.Row
        rows = source.execute(
            "select id, model, prompt, system, response, duration_ms, datetime_utc, input_tokens,"
            " output_tokens from responses order by datetime_utc"
        ).fetchall()
        source.close()
    except sqlite3.Error as exc:
        raise _bad(f"{path.name} is not an llm logs.db: {exc}") from None
    refuse_if_any(path.name, _check_llm(rows))

    def call(r: sqlite3.Row) -> dict[str, Any]:
        started = _llm_time(r["datetime_utc"])
        usage = Usage(r["input_tokens"] or 0, r["output_tokens"] or 0)
        known = r["input_tokens"] is not None or r["output_tokens"] is not None
        cost = pricer.price_by_model_name(r["model"], usage, started) if known else None
        messages = [{"role": "user", "content": r["prompt"] or ""}]
        return {
            "uid": f"llm:{r['id']}",
            "started_at": started.isoformat(timespec="milliseconds"),
            "endpoint": "llm",
            "api": "",
            "model": r["model"],
            "params": "{}",
            "system": r["system"] or "",
            "messages": json.dumps(messages),
            "prompt": "\n\n".join(p for p in (r["system"], r["prompt"]) if p),
            "output": r["response"] or "",
            "status": CallStatus.OK.value,
            "input_tokens": usage.input_tokens,
            "output_tokens": usage.output_tokens,
            "input_estimated": 0,
            "output_estimated": 0,
            "cost_usd": None if cost is None or cost.total is None else str(cost.total),
            "cost_pusd": None if cost is None else to_pico(cost.total),
            "price_source": cost.source if cost else "unknown: llm recorded no token counts",
            "duration_ms": r["duration_ms"],
            "tag": "imported from llm",
            "retries": 0,
        }

    return write_calls(storage, rows, call, progress, cancel)


def _check_llm(rows: list[sqlite3.Row]) -> list[Problem]:
    """llm's columns are typeless in SQLite: check what we read before pricing or storing it."""
    checks: dict[str, Check] = {
        "id": required_text,
        "model": required_text,
        "datetime_utc": optional(iso_time),
        "input_tokens": optional(count),
        "output_tokens": optional(count),
        "duration_ms": optional(measure),
        "prompt": optional(text),
        "system": optional(text),
        "response": optional(text),
    }
    problems = []
    for number, r in enumerate(rows, 1):
        for name, check in checks.items():
            reason = check(r[name])
            if reason:
                problems.append(Problem(number, name, r[name], reason))
    return problems


def _from_export(call: dict[str, Any]) -> dict[str, Any]:
    """A checked exported call as a row of ours (a call exported while running was cut off here)."""
    row: dict[str, Any] = {k: call.get(k) for k in COLUMNS}
    if row["status"] == CallStatus.RUNNING:
        row["status"] = CallStatus.INTERRUPTED.value
    for key in ("input_estimated", "output_estimated", "cost_estimated"):
        row[key] = int(bool(row[key]))
    for key in ("started_at", "ended_at"):  # stored as UTC, like our own rows: days and paging compare text
        if row[key] is not None:
            row[key] = _utc_text(row[key])
    for key in ("params", "messages"):
        if not isinstance(row[key], str):
            row[key] = json.dumps(row[key] if row[key] is not None else ({} if key == "params" else []))
    messages = json.loads(row["messages"])
    row["prompt"] = "\n\n".join([row.get("system") or "", *(m.get("content", "") for m in messages)]).strip()
    row["cost_pusd"] = to_pico(Decimal(row["cost_usd"])) if row["cost_usd"] is not None else None
    return row


def _utc_text(value: str) -> str:
    """An ISO time with any offset (or none: taken as UTC) in the spelling the history stores."""
    when = datetime.fromisoformat(value)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="milliseconds")


def _llm_time(text: str | None) -> datetime:
    if not text:
        return datetime.now(UTC)
    when = datetime.fromisoformat(text)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _bad(message: str) -> PlaygroundError:
    return PlaygroundError.of(ErrorKind.BAD_REQUEST, message)
