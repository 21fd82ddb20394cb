"""A large import is written in batches: it reports progress, stops between batches on cancel
keeping what it wrote, and run again adds exactly the rest."""

import json
import threading
import time
from datetime import UTC, datetime, timedelta

from playground.history.import_writer import BATCH, PROGRESS_EVERY_S
from playground.history.rollups import rebuild
from playground.history.transfer import export_rows, import_file
from tests.playground.history.test_transfer import make_calls

N = 20_000
MODELS = ("gpt-4o-mini", "gpt-4o", "claude-sonnet-4-6", "unknown-model")


def big_export(core, server, path, n=N):
    """An export file of ``n`` calls: one real recorded call, varied in uid, day, model and output."""
    make_calls(core, server, 1)
    (call,) = json.loads(json.dumps(export_rows(core.storage), default=str))
    start = datetime(2026, 6, 1, 12, tzinfo=UTC)
    calls = []
    for i in range(n):
        when = start + timedelta(minutes=13 * i)
        calls.append(
            dict(
                call,
                uid=f"big-{i:05d}",
                started_at=when.isoformat(),
                ended_at=(when + timedelta(seconds=2)).isoformat(),
                model=MODELS[i % len(MODELS)],
                output=f"answer {i}",
                cost_usd=None if i % len(MODELS) == 3 else f"0.000{i % 97:02d}",
                duration_ms=100 + i % 900,
            )
        )
    path.write_text(json.dumps({"format": "llm-playground-history", "version": 1, "calls": calls}))


def stored(other) -> tuple[int, int]:
    rows = other.storage.read().execute("select count(*), count(distinct uid) from calls").fetchone()
    return rows[0], rows[1]


def daily(other) -> list[tuple]:
    return other.storage.read().execute("select * from daily_stats order by day, endpoint, model").fetchall()


def test_a_cancelled_import_keeps_its_batches_and_a_second_one_adds_exactly_the_rest(
    core, local_openai, tmp_path, encodings
):
    from playground.core import build_core

    path = tmp_path / "big.json"
    big_export(core, local_openai, path)
    other = build_core(tmp_path / "other", keyring_backend=None, environ={}, encodings=encodings)
    cancel = threading.Event()
    first_reports = []

    def stop_at_first(p):
        first_reports.append(p)
        cancel.set()

    cut = import_file(other.storage, path, other.pricer, stop_at_first, cancel)
    assert [(p.done, p.total) for p in first_reports] == [(BATCH, N)]
    assert (cut.added, cut.skipped, cut.total, cut.cancelled) == (BATCH, 0, N, True)
    assert stored(other) == (BATCH, BATCH)
    assert f"cancelled after {BATCH:,} of {N:,} calls" in cut.describe("big.json")

    reports = []
    began = time.monotonic()
    rest = import_file(other.storage, path, other.pricer, reports.append)
    elapsed = time.monotonic() - began
    assert (rest.added, rest.skipped, rest.cancelled, rest.failed) == (N - BATCH, BATCH, False, 0)
    assert stored(other) == (N, N)
    assert other.history.count() == N
    assert reports[-1].done == N and reports[-1].fraction == 1.0
    assert [p.done for p in reports] == sorted(p.done for p in reports)
    assert len(reports) <= elapsed / PROGRESS_EVERY_S + 2  # at most ~10 a second
    assert "19,500 calls imported, 500 already in history" in rest.describe("big.json")

    # the batches counted their calls into the daily rollups exactly as a recount does
    counted = daily(other)
    other.storage.writer.call(rebuild)
    assert daily(other) == counted and len(counted) > 100

    again = import_file(other.storage, path, other.pricer)
    assert (again.added, again.skipped) == (0, N) and stored(other) == (N, N)
    other.close()
