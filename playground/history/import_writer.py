"""Checked calls into the history in batches: a transaction per batch on the writer, cancel between
batches, progress at most ~10 times a second, and calls already here (same uid) skipped, so a
cancelled import run again adds only the rest."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from sqlite_utils import Database

from playground.history.rollups import add_calls
from playground.history.storage import OfflineStorage, Storage

T = TypeVar("T")
# Calls written per transaction: cancel is checked between batches, and what a cancelled import
# wrote stays (each batch counts its calls into the daily rollups in the same transaction).
BATCH = 500
PROGRESS_EVERY_S = 0.1  # at most ~10 progress reports a second


@dataclass(frozen=True)
class ImportProgress:
    done: int  # calls of the file written or skipped so far
    total: int  # calls in the file

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped: int  # already in history (same uid)
    total: int = 0  # calls in the file
    failed: int = 0  # not written: a write failed (``problem`` says why) after earlier batches were kept
    cancelled: bool = False
    problem: str | None = None

    def describe(self, name: str) -> str:
        """What the import did, in words (the status line and the command line)."""
        done = self.added + self.skipped
        counts = f"{self.added:,} calls imported, {self.skipped:,} already in history"
        if self.cancelled:
            return (
                f"Import of {name} cancelled after {done:,} of {self.total:,} calls: {counts}."
                " Importing it again adds the rest."
            )
        if self.failed:
            return f"Import of {name} stopped: {counts}, {self.failed:,} failed ({self.problem})."
        return f"{name}: {counts}, 0 failed."


def write_calls(
    storage: Storage | OfflineStorage,
    items: Sequence[T],
    to_row: Callable[[T], dict[str, Any]],
    progress: Callable[[ImportProgress], None] | None,
    cancel: threading.Event | None,
) -> ImportResult:
    """Write ``items`` (checked) as calls, ``BATCH`` per transaction on the writer. Stops between
    batches on ``cancel``, keeping what it wrote; a write that fails after some batches were kept
    ends the import with the rest counted as failed (a first batch that fails raises: nothing
    was written)."""
    added = skipped = 0
    total = len(items)
    last_report = float("-inf")
    for start in range(0, total, BATCH):
        if cancel is not None and cancel.is_set():
            return ImportResult(added, skipped, total, cancelled=True)
        rows = [to_row(item) for item in items[start : start + BATCH]]
        try:
            fresh = storage.writer.call(partial(_write_batch, rows=rows))
        except Exception as exc:
            if start == 0:
                raise
            return ImportResult(added, skipped, total, failed=total - start, problem=str(exc))
        added, skipped = added + fresh, skipped + len(rows) - fresh
        now = time.monotonic()
        if progress is not None and (now - last_report >= PROGRESS_EVERY_S or start + BATCH >= total):
            last_report = now
            progress(ImportProgress(start + len(rows), total))
    return ImportResult(added, skipped, total)


def _write_batch(db: Database, *, rows: list[dict[str, Any]]) -> int:
    """Insert the rows whose uid is not in the history yet (nor earlier in this batch) and count them
    into the daily rollups, in the writer's transaction; how many were new."""
    uids = [r["uid"] for r in rows]
    marks = ", ".join("?" * len(uids))
    known = {r[0] for r in db.execute(f"select uid from calls where uid in ({marks})", uids).fetchall()}
    fresh = []
    for row in rows:
        if row["uid"] not in known:
            known.add(row["uid"])
            fresh.append(row)
    if fresh:
        columns = list(fresh[0])
        db.conn.executemany(
            f"insert into calls ({', '.join(columns)}) values ({', '.join('?' * len(columns))})",
            [[row.get(c) for c in columns] for row in fresh],
        )
        add_calls(db, fresh)
    return len(fresh)
