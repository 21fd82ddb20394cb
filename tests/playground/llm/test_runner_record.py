"""A billed call whose record cannot be written (another process holds the lock past the busy timeout)
keeps its answer, says in one line that it was not recorded yet, and is recorded when the lock goes."""

from __future__ import annotations

import functools
import json
import subprocess
import sys
import threading
import time
from decimal import Decimal

import pytest

import playground.core
from playground.cli.entry import main
from playground.core import build_core
from playground.llm.endpoints import Endpoint
from playground.llm.request import Request
from tests.conftest import FAST_RETRY
from tests.playground.history.test_db_concurrency import LOCK_HOLDER
from tests.servers.base import Script

WORDS = " ".join(f"w{i}" for i in range(20))
BUSY_S = 0.3  # the short busy timeout under test
HOLD_S = 6.0  # the other process keeps the write lock this long: far past the busy timeout


@pytest.fixture
def lock_holder(isolated_home):
    """Start ``hold()`` once the call is streaming: another process takes the write lock for HOLD_S."""
    procs: list[subprocess.Popen] = []

    def hold() -> subprocess.Popen:
        proc = subprocess.Popen(
            [sys.executable, "-c", LOCK_HOLDER, str(isolated_home / "history.db"), str(HOLD_S)],
            stdout=subprocess.PIPE,
            text=True,
        )
        procs.append(proc)
        assert proc.stdout.readline().strip() == "locked"
        return proc

    hold.procs = procs  # type: ignore[attr-defined]
    yield hold
    for proc in procs:
        proc.kill()
        proc.wait(10)


def short_busy_core(home, keyring, encodings):
    """A core whose writes give up after BUSY_S, so a held lock is felt at once."""
    return build_core(
        home,
        keyring_backend=keyring,
        environ={},
        retry=FAST_RETRY,
        encodings=encodings,
        busy_timeout_s=BUSY_S,
    )


def _lock_when_streaming(server, hold):
    """Call as the stream's first chunk goes out (from the server's thread): the row exists by then."""
    deadline = time.monotonic() + 30
    while not server.text_chunks_sent and time.monotonic() < deadline:
        time.sleep(0.01)
    hold()


def test_the_runner_keeps_a_billed_result_it_could_not_record(
    isolated_home, memory_keyring, encodings, openai_server, lock_holder
):
    openai_server.api_key = None
    openai_server.push(Script(text=WORDS, prompt_tokens=7, token_delay=0.1))
    core = short_busy_core(isolated_home, memory_keyring, encodings)
    try:
        endpoint = Endpoint("adhoc", "openai", openai_server.base_url, None, "openai")
        locker = threading.Thread(target=_lock_when_streaming, args=(openai_server, lock_holder))
        locker.start()
        result = core.runner.run(Request.single("adhoc", "gpt-4o-mini", "Hi"), endpoint=endpoint)
        locker.join()
    finally:
        core.close()
    assert result.status == "ok" and result.text == WORDS
    assert (result.usage.input_tokens, result.usage.output_tokens) == (7, 20)
    assert result.cost.total is not None and result.cost.total > Decimal(0)
    assert result.not_recorded and "locked" in result.not_recorded and "kept" in result.not_recorded
    assert "\n" not in result.not_recorded
    assert [p.name for p in (isolated_home / "pending").iterdir()] != []  # kept beside the history
    release(lock_holder)
    row, day = recorded(isolated_home, memory_keyring, encodings)  # the next start merges it
    assert (row["status"], row["output"], row["input_tokens"], row["output_tokens"]) == ("ok", WORDS, 7, 20)
    assert Decimal(row["cost_usd"]) == result.cost.total
    assert (day["calls"], day["cost_pusd"]) == (1, row["cost_pusd"])  # counted once in Spend's days
    assert list((isolated_home / "pending").iterdir()) == []


def release(lock_holder) -> None:
    for proc in lock_holder.procs:
        proc.kill()
        proc.wait(10)


def recorded(home, keyring, encodings) -> tuple[dict, dict]:
    """The one call's row and its day's rollup, as the next start finds them."""
    core = short_busy_core(home, keyring, encodings)
    try:
        db = core.history._readers.get()
        (row,) = db.query("select * from calls")
        (day,) = db.query("select sum(calls) calls, sum(cost_pusd) cost_pusd from daily_stats")
    finally:
        core.close()
    return row, day


def test_cli_prints_the_answer_then_says_it_was_not_recorded(
    isolated_home, openai_server, lock_holder, monkeypatch, capsys
):
    openai_server.api_key = None
    openai_server.push(Script(text=WORDS, prompt_tokens=7, token_delay=0.1))
    monkeypatch.setattr(
        playground.core, "build_core", functools.partial(playground.core.build_core, busy_timeout_s=BUSY_S)
    )
    locker = threading.Thread(target=_lock_when_streaming, args=(openai_server, lock_holder))
    locker.start()
    args = ["run", "-m", "gpt-4o-mini", "--base-url", openai_server.base_url, "--price-as", "openai", "Hi"]
    code = main(args)
    locker.join()
    out, err = capsys.readouterr()
    assert code == 0  # answered, and recorded by the next command: not a failure
    assert out == WORDS + "\n"
    (line,) = err.strip().splitlines()
    assert line.startswith("playground: not recorded yet: ") and "locked" in line
    assert line.endswith("the answer is kept and recorded when the history is free")
    assert "Traceback" not in err
    release(lock_holder)
    assert main(["history", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(c["status"], c["output"]) for c in listed] == [("ok", WORDS)]


def test_a_call_the_history_cannot_start_is_refused_not_sent_and_a_comparison_still_ends(
    isolated_home, memory_keyring, encodings, openai_server, lock_holder
):
    """A locked history at the start: the call is never sent (nothing billed unrecorded), the runner
    returns a one-line reason instead of raising, and a comparison lane still reports its end."""
    from playground.compare.runner import CompareRun, Job

    openai_server.api_key = None
    core = short_busy_core(isolated_home, memory_keyring, encodings)
    try:
        endpoint = Endpoint("adhoc", "openai", openai_server.base_url, None, "openai")
        core.config.add_endpoint(endpoint)
        lock_holder()
        result = core.runner.run(Request.single("adhoc", "gpt-4o-mini", "Hi"), endpoint=endpoint)
        done: list = []
        run = CompareRun(core.runner)
        threads = run.start(
            [Job(0, 0, 0, Request.single("adhoc", "gpt-4o-mini", "Hi"))],
            on_event=lambda job, event: None,
            on_done=lambda job, res: done.append(res),
        )
        for thread in threads:
            thread.join(20)
    finally:
        core.close()
    assert result.status == "error" and result.call_id is None
    assert result.error is not None and result.error.message.startswith("Not sent")
    assert result.not_recorded and "\n" not in result.not_recorded
    assert [r for r in openai_server.received if "chat" in r.path] == []  # never sent
    assert len(done) == 1 and done[0].status == "error"
