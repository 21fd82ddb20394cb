import itertools
import subprocess
import sys
import threading

from playground.history.calls import CallEnd, CallStart, HistoryStore
from playground.history.storage import Storage
from playground.llm.request import Request
from playground.pricing.money import Money
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
    assert all(r.status == "ok" and r.output.count("word") == 40 for r in rows)
    assert len({r.id for r in rows}) == 24


def test_a_call_cut_off_by_a_crash_is_marked_interrupted(tmp_path):
    path = tmp_path / "h.db"
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from playground.history.storage import Storage\n"
        "from playground.history.calls import HistoryStore, CallStart\n"
        "from playground.llm.request import Request\n"
        f"s = Storage(Path({str(path)!r}))\n"
        "h = HistoryStore(s)\n"
        "h.start_call(CallStart(Request.single('openai', 'gpt-4o', 'hello'), 'openai', None, {}))\n"
        "os._exit(9)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=False)
    storage = Storage(path)
    rows = HistoryStore(storage).recent()
    storage.close()
    assert [r.status for r in rows] == ["interrupted"]
    assert "stopped before" in rows[0].error_message


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


def test_pages_filters_and_delete_keep_the_totals_right(tmp_path):
    from datetime import UTC, datetime
    from decimal import Decimal

    from playground.history.filters import Filters
    from playground.spend.reports import Reports

    storage = Storage(tmp_path / "h.db")
    history = HistoryStore(storage)
    ids = []
    for i in range(25):
        when = datetime(2026, 11, 1 + i % 5, 10, i, tzinfo=UTC)
        model = "gpt-4o" if i % 2 else "claude-haiku-4-5"
        call = history.start_call(
            CallStart(
                Request.single("e", model, f"prompt {i} walrus" if i < 3 else f"p{i}"),
                "openai",
                None,
                {},
                tag="t" if i % 5 == 0 else None,
                started_at=when,
            )
        )
        history.finish_call(call, CallEnd("ok" if i % 7 else "error", cost_usd=Decimal("0.01")))
        ids.append(call)
    first = history.page(Filters(), limit=10)
    second = history.page(Filters(), after=first[-1].cursor, limit=10)
    third = history.page(Filters(), after=second[-1].cursor, limit=10)
    assert len(first) == 10 and len(second) == 10 and len(third) == 5
    assert len({r.id for r in first + second + third}) == 25
    assert all(a.started_at >= b.started_at for a, b in itertools.pairwise(first))
    assert {r.model for r in history.page(Filters(model="gpt-4o"))} == {"gpt-4o"}
    assert len(history.page(Filters(since="2026-11-02", until="2026-11-03"))) == 10
    assert len(history.page(Filters(status="error"))) == 4
    assert len(history.page(Filters(tag="t"))) == 5
    assert len(history.page(Filters(search="walrus"))) == 3
    assert history.distinct("model") == ["claude-haiku-4-5", "gpt-4o"]
    reports = Reports(storage)
    assert Money.sum(r.cost for r in reports.spend(by=None)) == Money(Decimal("0.25"))
    assert history.delete(ids[:5]) == 5
    assert history.count() == 20
    assert Money.sum(r.cost for r in reports.spend(by=None)) == Money(Decimal("0.20"))
    storage.close()
