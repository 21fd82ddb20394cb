"""A billed call the history cannot record (another process holds the lock) still shows, with a notice."""

import subprocess
import sys
import threading
import time

import pytest

from tests.playground.history.test_db_concurrency import LOCK_HOLDER
from tests.servers.base import Script
from tests.ui.conftest import core_on_local, type_prompt

pytestmark = pytest.mark.gui
WORDS = " ".join(f"w{i}" for i in range(20))


def test_the_answer_shows_and_the_status_says_it_was_not_recorded(
    qtbot, make_window, isolated_home, memory_keyring, encodings, openai_server
):
    core = core_on_local(isolated_home, memory_keyring, encodings, openai_server, busy_timeout_s=0.3)
    holders: list[subprocess.Popen] = []

    def lock_when_streaming() -> None:
        deadline = time.monotonic() + 30
        while not openai_server.text_chunks_sent and time.monotonic() < deadline:
            time.sleep(0.01)
        holder = subprocess.Popen(
            [sys.executable, "-c", LOCK_HOLDER, str(isolated_home / "history.db"), "6"],
            stdout=subprocess.PIPE,
            text=True,
        )
        holders.append(holder)
        holder.stdout.readline()

    try:
        window = make_window(attach=False)
        with qtbot.waitSignal(window.session.coreReady, timeout=10_000):  # endpoints read behind
            window.session.attach(core)
        window.picker.select("local", "gpt-4o-mini")
        openai_server.push(Script(text=WORDS, prompt_tokens=7, token_delay=0.1))
        type_prompt(qtbot, window, "Hi")
        locker = threading.Thread(target=lock_when_streaming)
        locker.start()
        with qtbot.waitSignal(window.session.runFinished, timeout=30_000) as blocker:
            window.run_action.trigger()
        locker.join()
        result = blocker.args[0]
        assert result.status == "ok" and result.not_recorded
        assert window.output.text() == WORDS
        assert "$" in window.counters.cost.text()
        assert "not recorded in history" in window.output.status.text()
        window.close()
    finally:
        for holder in holders:
            holder.kill()
            holder.wait(10)
        core.close()
