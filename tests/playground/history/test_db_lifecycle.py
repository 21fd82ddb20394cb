"""One owner per connection: closing the store while threads use it never crashes or hangs, and
threads that come and go leave no connection behind."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from playground.history.calls import HistoryStore
from playground.history.storage import HistoryUnavailable, Storage, StorageClosed
from playground.llm.endpoints import Endpoint
from playground.llm.request import Request
from tests.servers.base import Script

ROOT = Path(__file__).resolve().parents[3]

# Run in its own process: a crash (SIGSEGV) fails this test instead of killing pytest.
CLOSE_WHILE_READING = """
import sqlite3, sys, threading, time
from pathlib import Path
from playground.history import storage as dbmod
from playground.history.storage import Storage
from playground.history.calls import CallStart, HistoryStore
from playground.llm.request import Request

closed = getattr(dbmod, "StorageClosed", sqlite3.ProgrammingError)
path = Path(sys.argv[1])
iterations = int(sys.argv[2])
storage = Storage(path)
history = HistoryStore(storage)
for i in range(300):
    history.start_call(CallStart(Request.single("openai", "gpt-4o", f"walrus {i}"), "openai", None, {}))
storage.close()
unexpected = []
for _ in range(iterations):
    storage = Storage(path)
    history = HistoryStore(storage)
    go = threading.Barrier(5)

    def read():
        go.wait()
        try:
            while True:
                history.recent(limit=300)
                list(storage.read().query("select * from calls where prompt like '%walrus%'"))
                history.recent(limit=20, search="walrus")
        except closed:
            pass
        except BaseException as exc:
            unexpected.append(repr(exc))

    def write():
        go.wait()
        try:
            while True:
                history.set_tag(1, "busy")
        except closed:
            pass
        except BaseException as exc:
            unexpected.append(repr(exc))

    threads = [threading.Thread(target=read) for _ in range(3)] + [threading.Thread(target=write)]
    for t in threads:
        t.start()
    go.wait()
    time.sleep(0.02)
    storage.close()
    for t in threads:
        t.join(10)
    if any(t.is_alive() for t in threads):
        print("a thread hung after close", flush=True)
        sys.exit(3)
print("unexpected:", unexpected[:3], flush=True)
sys.exit(1 if unexpected else 0)
"""


def test_closing_the_store_while_threads_read_and_write_never_crashes_or_hangs(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", CLOSE_WHILE_READING, str(tmp_path / "h.db"), "50"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, (done.returncode, done.stdout[-2000:], done.stderr[-2000:])


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc")
def test_descriptors_stay_flat_over_200_calls_each_from_a_new_thread(core, local_openai):
    local_openai.default = Script(text="short answer")

    def one_call(i: int) -> None:
        result = core.runner.run(Request.single("local", "gpt-4o-mini", f"call {i}"))
        assert result.status == "ok"
        assert core.history.get(result.call_id).status == "ok"

    def in_a_new_thread(i: int) -> None:
        thread = threading.Thread(target=one_call, args=(i,))
        thread.start()
        thread.join()

    for i in range(5):  # warm up: SDK clients, pools, the writer
        in_a_new_thread(i)
    before = open_fds()
    for i in range(200):
        in_a_new_thread(i)
    assert open_fds() - before <= 10
    assert core.storage.readers.open_count <= 1  # at most the test thread's own
    assert core.history.count() == 205


def test_a_thread_s_reader_connection_is_closed_when_the_thread_ends(tmp_path):
    storage = Storage(tmp_path / "h.db")
    history = HistoryStore(storage)
    threads = [threading.Thread(target=history.count) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert storage.readers.open_count == 1  # only the one HistoryStore opened on this thread
    storage.close()
    assert storage.readers.open_count == 0


def test_close_never_hangs_on_a_pending_write_and_nothing_runs_after_it(tmp_path):
    storage = Storage(tmp_path / "h.db", close_timeout_s=0.3)
    gate = threading.Event()
    ran_after_close = []
    slow = storage.writer.submit(lambda db: gate.wait(5))
    queued = storage.writer.submit(lambda db: ran_after_close.append(True))
    started = time.monotonic()
    storage.close()
    assert time.monotonic() - started < 2
    with pytest.raises(StorageClosed):
        queued.result(timeout=5)
    with pytest.raises(StorageClosed):
        storage.writer.submit(lambda db: None)
    with pytest.raises(StorageClosed):
        storage.read()
    gate.set()
    assert slow.result(timeout=5) is True  # the write under way finishes and its caller hears it
    time.sleep(0.1)
    assert ran_after_close == []


def test_a_write_blocked_by_another_process_at_close_fails_visibly(tmp_path):
    path = tmp_path / "h.db"
    storage = Storage(path, busy_timeout_s=1.0, close_timeout_s=0.2)
    history = HistoryStore(storage)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("begin immediate")
    pending = storage.writer.submit(lambda db: db["settings"].insert({"key": "k", "value": "v"}))
    started = time.monotonic()
    storage.close()
    assert time.monotonic() - started < 1
    with pytest.raises(HistoryUnavailable, match="locked"):  # after its busy timeout, not never
        pending.result(timeout=5)
    holder.execute("rollback")
    holder.close()
    assert history is not None


def test_adopting_a_local_server_is_one_transaction(tmp_path):
    path = tmp_path / "h.db"
    from playground.history.config_store import ConfigStore

    storage = Storage(path)
    config = ConfigStore(storage)
    seen_without_price = []
    stop = threading.Event()

    def watch() -> None:
        db = sqlite3.connect(path, isolation_level=None)
        while not stop.is_set():
            db.execute("begin")
            names = {r[0] for r in db.execute("select name from endpoints")}
            priced = {r[0] for r in db.execute("select endpoint from price_overrides")}
            db.execute("commit")
            seen_without_price.extend(names - priced)
        db.close()

    watcher = threading.Thread(target=watch)
    watcher.start()
    for i in range(150):
        config.adopt_local(Endpoint(f"local{i}", "openai", f"http://127.0.0.1:{9000 + i}/v1", None))
    stop.set()
    watcher.join()
    storage.close()
    assert seen_without_price == []
    reopened = Storage(path)
    assert len(ConfigStore(reopened).price_overrides()) == 150
    reopened.close()
