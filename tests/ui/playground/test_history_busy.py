"""A run while another program holds the history's write lock: before anything is sent the answer pane
says it waits for the history (not for a first token), and the status line is never cut mid-word."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.playground.history.test_db_concurrency import LOCK_HOLDER
from tests.servers.base import Script
from tests.ui.conftest import core_on_local, off_gui, type_prompt
from ui.playground.output_pane import OutputPane

pytestmark = pytest.mark.gui


@pytest.fixture
def busy_core(isolated_home, memory_keyring, encodings, openai_server):
    """A core whose writes wait 3 s for a lock (the app's wait is 10 s), with the test server as 'local'
    and its tokenizer loaded (the run counts the prompt before it asks the history for its row)."""

    made = core_on_local(isolated_home, memory_keyring, encodings, openai_server, busy_timeout_s=3)
    off_gui(lambda: made.counter.encoding("gpt-4o-mini"))
    yield made
    made.close()


@pytest.fixture
def lock(isolated_home):
    """Hold the history's write lock from another process for ``seconds``."""
    holders: list[subprocess.Popen] = []

    def hold(seconds: float) -> None:
        holder = subprocess.Popen(
            [sys.executable, "-c", LOCK_HOLDER, str(isolated_home / "history.db"), str(seconds)],
            stdout=subprocess.PIPE,
            text=True,
        )
        holders.append(holder)
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"

    yield hold
    for holder in holders:
        holder.kill()
        holder.wait(10)


def ready(qtbot, make_window, core):
    window = make_window(attach=False)
    with qtbot.waitSignal(window.session.coreReady, timeout=10_000):
        window.session.attach(core)
    window.picker.select("local", "gpt-4o-mini")
    type_prompt(qtbot, window, "Hi")
    return window


def sent(server) -> list:
    """The requests for an answer (the model list is read apart, at start)."""
    return [r for r in server.received if r.method == "POST"]


def cut_at_a_word(shown: str, full: str) -> bool:
    """``shown`` is ``full``, or the start of it up to a whole word, then "…"."""
    if shown == full:
        return True
    kept = shown.removesuffix("…").rstrip()
    return shown.endswith("…") and full.startswith(kept) and full[len(kept) : len(kept) + 1] in (" ", "")


def test_a_run_waiting_for_the_history_says_so_then_streams_once_it_is_free(
    qtbot, make_window, busy_core, lock, openai_server
):
    window = ready(qtbot, make_window, busy_core)
    openai_server.push(Script(text="Hello there", prompt_tokens=7))
    lock(2)  # let go before the 3 s wait is over
    with qtbot.waitSignal(window.session.runFinished, timeout=20_000) as finished:
        window.run_action.trigger()
        qtbot.waitUntil(lambda: "waiting for the history" in window.output.status.toolTip(), timeout=5000)
        assert "first token" not in window.output.status.toolTip()
        assert window.output.error.isVisible() and "Waiting for the history" in window.output.error.text()
        assert "Another program" in window.output.error.text()
        assert window.counters.ttft.text() == "waiting for the history…"
        assert not sent(openai_server)  # nothing is sent while the call cannot be recorded
        qtbot.waitUntil(lambda: "waiting for the history" not in window.output.status.toolTip(), timeout=5000)
    assert finished.args[0].status == "ok" and window.output.text() == "Hello there"
    assert not window.output.error.isVisible()
    assert window.output.status.toolTip().startswith("done")


def test_a_run_the_history_cannot_take_is_not_sent_and_the_status_is_not_cut_mid_word(
    qtbot, make_window, busy_core, lock, openai_server
):
    window = ready(qtbot, make_window, busy_core)
    lock(8)  # longer than the 3 s wait: the call is refused unsent
    with qtbot.waitSignal(window.session.runFinished, timeout=20_000):
        window.run_action.trigger()
        qtbot.waitUntil(lambda: "Waiting for the history" in window.output.error.text(), timeout=5000)
    assert not sent(openai_server)
    box = window.output.error.text()
    assert "Not sent" in box and "locked" in box  # the reason, in full, where it wraps
    status = window.output.status
    full = status.toolTip()
    assert full.startswith("not sent") and "not recorded" in full
    for width in (900, 640, 420):  # the window narrower and narrower: the line ends at a word
        window.resize(width, 700)
        qtbot.wait(50)
        assert cut_at_a_word(status.text(), full.splitlines()[0]), (width, status.text())
        assert status.fontMetrics().horizontalAdvance(status.text()) <= status.width()


def test_a_status_too_long_for_the_pane_ends_at_a_whole_word_and_its_tooltip_has_it_all(qtbot):
    pane = OutputPane()
    qtbot.addWidget(pane)
    pane.resize(600, 300)
    pane.show()
    full = "failed · not recorded in history"
    why = "The history in /tmp/x cannot be used: database is locked."
    pane.set_status(full, why)
    shown = []
    for width in (400, 220, 160, 120, 90):  # the room it gets, narrower and narrower
        pane.status.setFixedWidth(width)
        qtbot.wait(20)
        text = pane.status.text()
        assert cut_at_a_word(text, full), (width, text)
        assert pane.status.fontMetrics().horizontalAdvance(text) <= pane.status.width()
        shown.append(text)
    assert shown[0] == full and shown[-1] != full  # it fitted, then was shortened
    assert pane.status.toolTip() == f"{full}\n{why}"


@pytest.mark.parametrize(
    ("later", "reason", "said"),
    [
        (False, "disk I/O error", "not recorded in history"),
        (
            True,
            "the history database is busy; the answer is kept and recorded when the history is free",
            "not recorded in history yet",
        ),
    ],
)
def test_an_answer_the_history_could_not_take_says_whether_it_is_kept_for_later(
    qtbot, window, later, reason, said
):
    from playground.llm.result import CallResult

    result = CallResult(1, "ok", text="Hi", not_recorded=reason, recorded_later=later)
    window.runs._run_finished(result)
    assert window.output.status.text() == f"done · {said}"
    assert window.output.status.toolTip() == f"done · {said}\n{reason}"
    box = window.output.error
    assert (
        box.isVisible()
        and box.text().startswith(f"<b>{said.capitalize()}:</b>")
        and reason.split(";")[0] in box.text()
    )
