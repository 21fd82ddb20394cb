import subprocess
import sys
import threading

from playground.db import Storage
from playground.history import CallEnd, CallStart, HistoryStore
from playground.request import Request
from tests.servers.base import Script


def test_eight_streams_record_at_once_without_locking_errors(core, local_openai):
    local_openai.default = Script(text="word " * 40, token_delay=0.001)
    results = []

    def worker(i: int) -> None:
        for j in range(3):
            results.append(core.runner.run(Request.single("local", "gpt-4o-mini", f"stream {i} call {j}")))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status for r in results] == ["ok"] * 24
    rows = core.history.recent(limit=100)
    assert len(rows) == 24
    assert all(r["status"] == "ok" and r["output"].count("word") == 40 for r in rows)
    assert len({r["id"] for r in rows}) == 24


def test_a_call_cut_off_by_a_crash_is_marked_interrupted(tmp_path):
    path = tmp_path / "h.db"
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from playground.db import Storage\n"
        "from playground.history import HistoryStore, CallStart\n"
        "from playground.request import Request\n"
        f"s = Storage(Path({str(path)!r}))\n"
        "h = HistoryStore(s)\n"
        "h.start_call(CallStart(Request.single('openai', 'gpt-4o', 'hello'), 'openai', None, {}))\n"
        "os._exit(9)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=False)
    storage = Storage(path)
    rows = HistoryStore(storage).recent()
    storage.close()
    assert [r["status"] for r in rows] == ["interrupted"]
    assert "stopped before" in rows[0]["error_message"]


def test_search_finds_prompts_and_outputs_and_survives_odd_syntax(tmp_path):
    storage = Storage(tmp_path / "h.db")
    history = HistoryStore(storage)
    call = history.start_call(
        CallStart(Request.single("openai", "gpt-4o", "Tell me about otters"), "openai", None, {})
    )
    history.finish_call(call, CallEnd(status="ok", output="Otters hold hands while sleeping."))
    assert len(history.recent(search="otters")) == 1
    assert len(history.recent(search="sleeping")) == 1
    assert history.recent(search='"unbalanced AND (') == []
    storage.close()
