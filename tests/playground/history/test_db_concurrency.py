"""Writes that wait: real processes meet on one history and every billed call is recorded."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

from tests.servers.base import Script

ROOT = Path(__file__).resolve().parents[3]


def run_cli(home: Path, base_url: str, prompt: str) -> subprocess.Popen:
    """`playground run` as a user starts it, on the given data folder."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "playground",
            "run",
            "-m",
            "gpt-4o-mini",
            "--base-url",
            base_url,
            "--price-as",
            "openai",
            prompt,
        ],
        cwd=ROOT,
        env={**os.environ, "PLAYGROUND_HOME": str(home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def rows(home: Path) -> list[sqlite3.Row]:
    with sqlite3.connect(home / "history.db") as db:
        db.row_factory = sqlite3.Row
        return db.execute("select * from calls order by id").fetchall()


def test_sixteen_processes_started_at_once_on_a_fresh_folder_all_record_their_call(tmp_path, openai_server):
    openai_server.api_key = None
    openai_server.default = Script(text="one two three four", prompt_tokens=9)
    home = tmp_path / "fresh"
    procs = [run_cli(home, openai_server.base_url, f"call {i}") for i in range(16)]
    outs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0] * 16, [err for _, err in outs if err]
    assert all(out == "one two three four\n" for out, _ in outs)
    recorded = rows(home)
    assert len(recorded) == 16
    assert {r["prompt"] for r in recorded} == {f"call {i}" for i in range(16)}
    assert all(r["status"] == "ok" for r in recorded)
    assert all(r["input_tokens"] == 9 and r["output_tokens"] == 4 for r in recorded)
    assert all(r["cost_usd"] is not None and Decimal(r["cost_usd"]) > 0 for r in recorded)
    assert not [p.name for p in home.iterdir() if ".damaged-" in p.name]


LOCK_HOLDER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("begin immediate")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("commit")
"""


def test_a_call_finishing_while_another_process_holds_the_write_lock_is_recorded_ok(tmp_path, openai_server):
    openai_server.api_key = None
    words = " ".join(f"w{i}" for i in range(30))
    openai_server.default = Script(text=words, prompt_tokens=7, token_delay=0.1)  # ~3 s of streaming
    home = tmp_path / "home"
    run = run_cli(home, openai_server.base_url, "while locked")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the call has started and is streaming
        try:
            if rows(home):
                break
        except sqlite3.OperationalError:
            pass
        time.sleep(0.05)
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(home / "history.db"), "4"], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "locked"
    locked_at = time.monotonic()
    out, err = run.communicate(timeout=60)
    finished_at = time.monotonic()
    holder.wait(timeout=10)
    assert run.returncode == 0, err
    assert out == words + "\n"
    assert "Traceback" not in err
    assert finished_at - locked_at > 3  # it really waited for the lock to be let go
    (row,) = rows(home)
    assert row["status"] == "ok" and row["output"] == words
    assert row["input_tokens"] == 7 and row["output_tokens"] == 30
    assert row["cost_usd"] is not None and Decimal(row["cost_usd"]) > 0
