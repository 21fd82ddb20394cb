"""The "no SQL on the GUI thread" guard the GUI tests run under: it must catch what would freeze the
window (a read, a write waited for) and let everything else through."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from playground.history.calls import HistoryStore
from playground.history.storage import Storage, set_gui_thread


@pytest.fixture
def storage(tmp_path):
    s = Storage(tmp_path / "history.db")
    yield s
    set_gui_thread(None)
    s.close()


def test_reads_and_waited_writes_on_the_gui_thread_raise(storage):
    store = HistoryStore(storage)
    set_gui_thread(threading.current_thread())
    with pytest.raises(RuntimeError, match="SQL on the GUI thread"):
        store.count()
    with pytest.raises(RuntimeError, match="SQL on the GUI thread"):
        store.set_tag(1, "x")
    queued = storage.writer.submit(lambda db: db.execute("select 1").fetchone()[0])  # never waits: allowed
    assert queued.result(timeout=5) == 1


def test_other_threads_read_and_write_while_the_guard_is_on(storage):
    store = HistoryStore(storage)
    set_gui_thread(threading.current_thread())
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(store.count).result() == 0
        assert pool.submit(lambda: storage.writer.call(lambda db: 7)).result() == 7
    set_gui_thread(None)
    assert store.count() == 0  # off again: the CLI and the core's own tests read on their main thread
