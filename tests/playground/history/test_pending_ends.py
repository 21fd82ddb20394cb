"""A call's end the history could not take is kept beside it and recorded later, once, never lost:
after a process is killed while its final write waits for another program's lock (the app quitting
mid-stream does the same: its bounded wait expires), when the next start had already marked the row
interrupted, and when two processes merge the same kept end."""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

from playground.core import build_core
from playground.history.calls import CallEnd, CallStart
from playground.llm.request import Request
from tests.playground.history.test_db_concurrency import LOCK_HOLDER, rows, run_cli
from tests.servers.base import Script

WORDS = " ".join(f"w{i}" for i in range(30))


def open_core(home: Path, keyring, encodings):
    return build_core(home, keyring_backend=keyring, environ={}, encodings=encodings)


def day_totals(home: Path) -> tuple[int, int]:
    with sqlite3.connect(home / "history.db") as db:
        calls, pusd = db.execute("select sum(calls), sum(cost_pusd) from daily_stats").fetchone()
    return calls, pusd


def test_a_process_killed_while_its_last_write_waits_for_a_lock_loses_no_answer(
    tmp_path, openai_server, memory_keyring, encodings
):
    openai_server.api_key = None
    openai_server.default = Script(text=WORDS, prompt_tokens=7, token_delay=0.05)
    home = tmp_path / "home"
    run = run_cli(home, openai_server.base_url, "killed while locked")
    deadline = time.monotonic() + 60
    while not openai_server.text_chunks_sent and time.monotonic() < deadline:
        time.sleep(0.01)
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(home / "history.db"), "60"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        pending = home / "pending"
        while not list(pending.glob("*.json")) and time.monotonic() < deadline:
            time.sleep(0.02)  # the stream ended; the last write now waits for the lock
        assert list(pending.glob("*.json")), "the end was not kept aside before the write"
        run.send_signal(signal.SIGKILL)
        run.wait(10)
    finally:
        holder.kill()
        holder.wait(10)
    (before,) = rows(home)
    assert before["status"] == "running" and before["output"] != WORDS  # what the history alone holds
    core = open_core(home, memory_keyring, encodings)  # the next start
    try:
        assert core.history.interrupted == ()  # its end was merged first, not guessed
    finally:
        core.close()
    (after,) = rows(home)
    assert (after["status"], after["output"]) == ("ok", WORDS)
    assert (after["input_tokens"], after["output_tokens"]) == (7, 30)
    assert after["cost_usd"] is not None and Decimal(after["cost_usd"]) > 0
    assert day_totals(home) == (1, after["cost_pusd"])
    assert list(pending.glob("*.json")) == []


def kept_end(home: Path, uid: str, end: CallEnd) -> Path:
    from playground.history.pending_ends import PendingEnds

    path = PendingEnds(home / "pending").keep(uid, end)
    assert path is not None
    return path


def test_a_row_marked_interrupted_gets_its_kept_end_and_is_recounted(
    isolated_home, memory_keyring, encodings
):
    core = open_core(isolated_home, memory_keyring, encodings)
    try:
        core.history.start_call(CallStart(Request.single("openai", "gpt-4o", "hi"), "openai", None, {}))
        core.history.flush()
    finally:
        core.close()
    with sqlite3.connect(isolated_home / "history.db") as db:  # as if its process had died
        db.execute("update calls set pid = 999999999")
        (uid,) = db.execute("select uid from calls").fetchone()
    core = open_core(isolated_home, memory_keyring, encodings)  # a start with no kept end: interrupted
    core.close()
    (row,) = rows(isolated_home)
    assert row["status"] == "interrupted" and day_totals(isolated_home)[0] == 1
    kept_end(isolated_home, uid, CallEnd("ok", output="late", output_tokens=3, cost_usd=Decimal("0.25")))
    core = open_core(isolated_home, memory_keyring, encodings)
    core.close()
    (row,) = rows(isolated_home)
    assert (row["status"], row["output"], row["cost_usd"]) == ("ok", "late", "0.25")
    assert day_totals(isolated_home) == (1, 250_000_000_000)  # the day recounted, not counted twice


def test_an_end_merged_twice_is_counted_once(isolated_home, memory_keyring, encodings, tmp_path):
    core = open_core(isolated_home, memory_keyring, encodings)
    try:
        request = Request.single("openai", "gpt-4o", "hi")
        call = core.history.start_call(CallStart(request, "openai", None, {}))
        uid = core.history.get(call).uid
        end = CallEnd("ok", output="once", cost_usd=Decimal("0.5"))
        path = kept_end(isolated_home, uid, end)
        copy = shutil.copy(path, tmp_path / "copy.json")
        assert core.history.merge_pending() == 1
        shutil.copy(copy, path)  # another process merges the same file a moment later
        assert core.history.merge_pending() == 0
        core.history.finish_call(call, CallEnd("error", output="late finish"))  # and the runner ends it
    finally:
        core.close()
    (row,) = rows(isolated_home)
    assert (row["status"], row["output"]) == ("ok", "once")
    assert day_totals(isolated_home) == (1, 500_000_000_000)
    assert list((isolated_home / "pending").glob("*.json")) == []


def test_an_end_whose_row_is_not_in_this_history_is_set_aside_not_deleted(
    isolated_home, memory_keyring, encodings
):
    kept_end(isolated_home, "0" * 32, CallEnd("ok", output="from a history moved aside"))
    core = open_core(isolated_home, memory_keyring, encodings)
    core.close()
    (aside,) = (isolated_home / "pending" / "unmatched").glob("*.json")
    assert json.loads(aside.read_text())["end"]["output"] == "from a history moved aside"
    assert rows(isolated_home) == []
