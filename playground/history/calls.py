"""Every call attempt as one row: written when it starts, completed when it ends."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from typing import Any, cast

from sqlite_utils import Database

from playground.history.filters import Filters
from playground.history.image_store import attach_images, store_images
from playground.history.localtime import built_with
from playground.history.orphans import dead_running, mark_orphans
from playground.history.pending_ends import FOLDER as PENDING_FOLDER
from playground.history.pending_ends import Applied, EndKeptAside, PendingEnds, apply_end
from playground.history.records import CallRecord, CallStatus, from_row
from playground.history.rollups import from_pico, to_pico
from playground.history.search import search_page
from playground.history.search_query import SearchPage
from playground.history.storage import HistoryUnavailable, OfflineStorage, Storage, StorageClosed
from playground.history.usage_sums import CacheGroup, TierStarts, UsageGroup, cache_groups, usage_groups
from playground.llm.endpoints import public_url
from playground.llm.request import Request
from playground.pricing.money import Money

log = logging.getLogger(__name__)
STATUSES = tuple(CallStatus)


@dataclass(frozen=True)
class CallStart:
    request: Request
    api: str
    base_url: str | None
    params_sent: dict[str, Any]
    group_id: str | None = None
    tag: str | None = None
    position: tuple[int, int] | None = None  # (column, repeat) within a comparison
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    conversation_id: str | None = None  # the Playground conversation this turn belongs to


@dataclass(frozen=True)
class CallEnd:
    """How a call ended: output, usage, cost and timings."""

    status: str
    output: str = ""
    reasoning: str = ""
    finish_reason: str | None = None
    error_kind: str | None = None
    error_message: str | None = None
    input_tokens: int | None = None
    input_estimated: bool = False
    output_tokens: int | None = None
    output_estimated: bool = False
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    cache_write_1h_tokens: int = 0  # the part of cache_write_tokens written for one hour
    reasoning_tokens: int = 0
    cost_usd: Decimal | None = None
    cost_input_usd: Decimal | None = None
    cost_output_usd: Decimal | None = None
    cost_estimated: bool = False
    price_source: str | None = None
    ttft_ms: float | None = None
    duration_ms: float | None = None
    tokens_per_s: float | None = None
    retries: int = 0
    ended_at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass(frozen=True)
class Totals:
    """What the rows a filter shows add up to: calls, tokens, and cost (unpriced calls counted apart,
    the estimated part of the cost kept in it)."""

    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost: Money = field(default_factory=Money)
    running: int = 0  # still running: no cost yet, so neither priced nor unpriced


class HistoryStore:
    """The local call history. Writes go through one writer thread; reads use per-thread connections."""

    def __init__(self, storage: Storage | OfflineStorage, pending: PendingEnds | None = None):
        self._writer = storage.writer
        self._readers = storage.readers
        self._pending = pending or PendingEnds(storage.path.parent / PENDING_FOLDER)
        self._uids: dict[int, str] = {}  # the calls this process started and has not ended
        self.interrupted: tuple[int, ...] = ()
        """Rows this store marked ``interrupted`` when it opened: the caller prices them (no pricing here)."""
        if not storage.read_only:
            self.merge_pending()  # first: a row whose end was kept aside is not interrupted
            self.interrupted = self.mark_interrupted()

    def merge_pending(self) -> int:
        """Record the call ends kept aside when the history could not take them; how many were."""
        merged = 0
        for pending in self._pending.waiting():
            try:
                applied = self._writer.call(partial(apply_end, where="uid", key=pending.uid, end=pending.end))
            except (HistoryUnavailable, sqlite3.Error, OSError) as exc:
                log.info("kept call ends not merged yet: %s", exc)
                break  # still locked or full: the next start or the next recorded call tries again
            if applied is Applied.NO_ROW:  # a history made anew since (a damaged one moved aside)
                self._pending.set_aside(pending.path)
            else:  # merged now, or the row had ended already (another process merged it)
                self._pending.done(pending.path)
                merged += applied is Applied.MERGED
        return merged

    def mark_interrupted(self) -> tuple[int, ...]:
        """Mark rows whose process is gone as ``interrupted``; the ids marked."""
        if not dead_running(self._readers.get()):
            return ()
        return tuple(self._writer.call(mark_orphans))  # one BEGIN IMMEDIATE transaction, like every write

    def price_interrupted(self, call_id: int, columns: dict[str, Any]) -> None:
        """Store the estimated tokens and cost of an interrupted row and recount its days."""
        from playground.history.rollups import rebuild_days

        row = dict(columns, cost_pusd=to_pico(columns.get("cost_usd")))

        def write(db: Any) -> None:
            found = list(
                db.query("select started_at from calls where id = ? and status = 'interrupted'", [call_id])
            )
            if found:
                db["calls"].update(call_id, row)
                rebuild_days(db, [found[0]["started_at"][:10]])

        self._writer.call(write)

    # writing

    def start_call(self, start: CallStart) -> int:
        req = start.request
        row = {
            "started_at": _iso(start.started_at),
            "endpoint": req.endpoint,
            "api": start.api,
            "base_url": public_url(start.base_url) if start.base_url else None,  # never a password
            "model": req.model,
            "params": json.dumps(start.params_sent, sort_keys=True),
            "system": req.system,
            "messages": json.dumps([m.to_dict() for m in req.messages], ensure_ascii=False),
            "prompt": req.prompt_text(),
            "output": "",
            "status": CallStatus.RUNNING.value,
            "group_id": start.group_id,
            "tag": start.tag,
            "conversation_id": start.conversation_id,
            "compare_column": start.position[0] if start.position else None,
            "compare_repeat": start.position[1] if start.position else None,
            "retries": 0,
            "pid": os.getpid(),
            "uid": uuid.uuid4().hex,
        }

        def write(db: Database) -> int:
            if any(m.images for m in req.messages):
                store_images(db, req.messages)
            # sqlite-utils types last_pk as optional (no row with ignore=True); a plain insert always has one
            return cast(int, db.table("calls").insert(row).last_pk)

        call_id = self._writer.call(write)
        self._uids[call_id] = str(row["uid"])
        return call_id

    def finish_call(self, call_id: int, end: CallEnd) -> None:
        """Record how a call ended. The end is kept in a file first, so a history that cannot take
        it (raises ``EndKeptAside``), or a quit while the write waits, loses nothing: the file is
        merged at the next start, or after the next call recorded here."""
        uid = self._uids.pop(call_id, None)
        kept = self._pending.keep(uid, end) if uid else None
        try:
            self._writer.call(lambda db: apply_end(db, "id", call_id, end))
        except (HistoryUnavailable, sqlite3.Error, OSError) as exc:
            if kept is None:
                raise
            raise EndKeptAside(exc, kept) from exc
        if kept is not None:
            self._pending.done(kept)
        self.merge_pending()  # ends an earlier lock kept aside (a listing of an empty folder if none)

    def save_progress(self, call_id: int, output: str, reasoning: str) -> None:
        """Keep the text so far of a running call, so a kill loses at most the last save.
        Queued on the writer (never waits); the caller throttles it (about once a second)."""

        def write(db: Database) -> None:
            db.execute(
                "update calls set output = ?, reasoning = ? where id = ? and status = 'running'",
                [output, reasoning, call_id],
            )

        try:
            self._writer.submit(write)
        except StorageClosed:
            log.info("progress of call %s not saved: the history is closed", call_id)

    def set_tag(self, call_id: int, tag: str | None) -> None:
        self._writer.call(lambda db: db.table("calls").update(call_id, {"tag": tag}))

    def flush(self) -> None:
        self._writer.flush()

    # reading

    def get(self, call_id: int) -> CallRecord | None:
        """One call, its stored images attached to its messages (so it can be reopened and re-run)."""
        db = self._readers.get()
        rows = list(db.query("select * from calls where id = ?", [call_id]))
        if not rows:
            return None
        record = from_row(rows[0])
        if any(m.get("images") for m in record.messages):
            record = replace(record, messages=attach_images(db, record.messages))
        return record

    def conversation(self, conversation_id: str) -> list[CallRecord]:
        """Every turn recorded under a Playground conversation, oldest first (all its branches)."""
        rows = self._readers.get().query(
            "select * from calls where conversation_id = ? order by started_at, id", [conversation_id]
        )
        return [from_row(r) for r in rows]

    def recent(self, limit: int = 20, search: str | None = None) -> list[CallRecord]:
        """The newest ``limit`` calls, or the newest that match ``search`` as the History box does."""
        return self.first(Filters(search=search), limit)

    def first(self, filters: Filters, limit: int) -> list[CallRecord]:
        """The newest ``limit`` calls ``filters`` show, all of them: a search page that stopped at its
        time bound (a substring scan) is read on from where it stopped (the command line has no
        "more below" to do it)."""
        rows = self.page(filters, limit=limit)
        found = list(rows)
        while isinstance(rows, SearchPage) and rows.resume is not None and len(found) < limit:
            rows = self.page(filters, after=rows.resume, limit=limit - len(found))
            found.extend(rows)
        return found

    def group(self, group_id: str) -> list[CallRecord]:
        """Every call of one comparison, in the order they started."""
        sql = "select * from calls where group_id = ? order by compare_column, compare_repeat, id"
        rows = self._readers.get().query(sql, [group_id])
        return [from_row(r) for r in rows]

    def page(
        self, filters: Filters, after: tuple[str, int] | None = None, limit: int = 100
    ) -> list[CallRecord]:
        """One page of calls, newest first; ``after`` is the (started_at, id) of the last row shown."""
        if filters.search and filters.search.strip():
            found = search_page(self._readers.get(), filters, after, limit)
            if found is not None:
                return found
        where, args = filters.where()
        if after is not None:
            where = f"{where} {'and' if where else 'where'} (started_at, id) < (?, ?)"
            args = [*args, *after]
        sql = f"select * from calls {where} order by started_at desc, id desc limit ?"
        return [from_row(r) for r in self._readers.get().query(sql, [*args, limit])]

    def totals(self, filters: Filters) -> Totals:
        """The sums over every call ``filters`` show, in one query (exact: costs summed in picodollars)."""
        db = self._readers.get()
        where, args = filters.where()
        sums = (
            "select count(*) as c, coalesce(sum(input_tokens), 0) as i, coalesce(sum(output_tokens), 0) as o,"
            " coalesce(sum(cost_pusd), 0) as p, coalesce(sum(cost_pusd is null and status != 'running'), 0)"
            " as u, coalesce(sum(status = 'running'), 0) as r,"
            " coalesce(sum(case when cost_estimated = 1 then cost_pusd end), 0) as e from calls"
        )
        sql = f"{sums} {where}"
        if _by_day(filters) and built_with(db) == filters.zone:
            # The daily rollups hold every finished call's sums per local day, endpoint and model;
            # running calls are not in them yet, so they are added from the calls themselves.
            days, day_args = _day_clauses(filters)
            # few calls run at once: walk the status index (m001), not a model's or a day's calls
            running = f"indexed by idx_calls_status {where} {'and' if where else 'where'} status = 'running'"
            sql = (
                "select sum(c), sum(i), sum(o), sum(p), sum(u), sum(r), sum(e) from (select sum(calls) as c,"
                " sum(input_tokens) as i, sum(output_tokens) as o, sum(cost_pusd) as p, sum(unpriced) as u,"
                f" 0 as r, sum(estimated_pusd) as e from daily_stats {days} union all {sums} {running})"
            )
            args = [*day_args, *args]
        calls, tin, tout, pusd, unpriced, running, estimated = db.execute(sql, args).fetchone()
        money = Money(from_pico(pusd or 0), unpriced or 0, from_pico(estimated or 0))
        return Totals(calls or 0, tin or 0, tout or 0, money, running or 0)

    def usage_groups(self, filters: Filters) -> Iterator[UsageGroup]:
        """The calls ``filters`` show, grouped by model and token counts (iterate on one thread)."""
        return usage_groups(self._readers.get(), filters)

    def cache_groups(self, filters: Filters, starts: TierStarts) -> list[CacheGroup]:
        """The calls ``filters`` show that used the prompt cache, summed per model and price tier."""
        return cache_groups(self._readers.get(), filters, starts)

    def distinct(self, column: str) -> list[str]:
        """Values for a filter menu (endpoint, model, status, tag), from the small tables where possible."""
        if column in ("endpoint", "model"):
            sql = f"select distinct {column} from daily_stats order by 1"
        else:
            sql = f"select distinct {column} from calls where {column} is not null order by 1"
        return [r[column] for r in self._readers.get().query(sql)]

    def delete(self, ids: list[int]) -> int:
        """Delete calls and recount the days they were on."""
        from playground.history.rollups import rebuild_days

        def write(db: Database) -> int:
            marks = ", ".join("?" * len(ids))
            days = [
                r["d"]
                for r in db.query(
                    f"select distinct substr(started_at, 1, 10) as d from calls where id in ({marks})", ids
                )
            ]
            removed: int = db.execute(f"delete from calls where id in ({marks})", ids).rowcount
            rebuild_days(db, days)
            return removed

        return self._writer.call(write)

    def recent_groups(self, limit: int = 50) -> list[dict[str, Any]]:
        """Comparisons, newest first: id, when, how many calls, which models. Evaluation runs also
        group their calls, but they are not comparisons to reopen: left out."""
        sql = (
            "select group_id, min(started_at) as started_at, count(*) as calls, "
            "group_concat(distinct endpoint || ' / ' || model) as models from calls "
            "where group_id is not null and group_id not in (select id from eval_runs) "
            "group by group_id order by started_at desc limit ?"
        )
        return list(self._readers.get().query(sql, [limit]))

    def typical_cost(self, endpoint: str, model: str, last: int = 50) -> tuple[Decimal | None, int]:
        """Median cost of the last ``last`` priced, successful calls of this model, and their number."""
        sql = (
            "select cost_usd from calls where endpoint = ? and model = ? and status = 'ok' "
            "and cost_usd is not null order by started_at desc limit ?"
        )
        costs = sorted(
            Decimal(r["cost_usd"]) for r in self._readers.get().query(sql, [endpoint, model, last])
        )
        if not costs:
            return None, 0
        mid = len(costs) // 2
        median = costs[mid] if len(costs) % 2 else (costs[mid - 1] + costs[mid]) / 2
        return median, len(costs)

    def count(self) -> int:
        return self._readers.get().execute("select count(*) from calls").fetchone()[0]


def _by_day(filters: Filters) -> bool:
    """Can the daily rollups answer for these filters (only days, endpoint and model, as dates)?"""
    plain = not (filters.status or filters.tag or filters.group_id or (filters.search or "").strip())
    plain = plain and not filters.uses_cache  # the rollups do not keep calls with cache use apart
    return plain and all(_is_day(d) for d in (filters.since, filters.until))


def _is_day(text: str | None) -> bool:
    if text is None:
        return True
    try:
        datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        return False
    return True


def _day_clauses(filters: Filters) -> tuple[str, list[Any]]:
    clauses, args = [], []
    for column, op, value in (
        ("day", ">=", filters.since),
        ("day", "<=", filters.until),
        ("endpoint", "=", filters.endpoint),
        ("model", "=", filters.model),
    ):
        if value:
            clauses.append(f"{column} {op} ?")
            args.append(value)
    return ("where " + " and ".join(clauses)) if clauses else "", args


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="milliseconds")


def rows_to_json(records: Iterable[CallRecord]) -> list[dict[str, Any]]:
    return [r.to_json_dict() for r in records]
