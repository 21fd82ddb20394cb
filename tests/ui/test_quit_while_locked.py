"""Quitting the app mid-stream while another program holds the history's write lock loses nothing: the
window closes within its bounded wait, and the next start records the stopped answer with its cost.
Real processes: the app (offscreen), the program holding the lock, and the next start."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from playground.core import build_core
from playground.llm.endpoints import Endpoint
from tests.playground.history.test_db_concurrency import LOCK_HOLDER
from tests.servers.base import Script
from tests.ui.conftest import off_gui

pytestmark = pytest.mark.gui
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORDS = " ".join(f"w{i}" for i in range(40))
APP = """
import subprocess, sys, time
from PySide6.QtCore import QTimer
from ui.app import run_app
holder_code, db = sys.argv[1], sys.argv[2]
state = {}

def drive(window):
    def progress(drained):
        if drained.text and "holder" not in state:  # streaming: another program takes the lock
            holder = subprocess.Popen([sys.executable, "-c", holder_code, db, "60"],
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            state["holder"] = holder
            holder.stdout.readline()
            print("HOLDER", holder.pid, flush=True)
            QTimer.singleShot(200, close)  # and the user quits mid-stream

    def close():
        state["closed"] = time.monotonic()
        window.close()

    window.session.runProgress.connect(progress)
    window.picker.select("local", "gpt-4o-mini")
    window.editor.messages.last_editor().setPlainText("Count for me")
    QTimer.singleShot(500, window.run_action.trigger)

code = run_app(on_ready=drive)
print("QUIT", code, round(time.monotonic() - state["closed"], 1), flush=True)
"""


def test_quitting_mid_stream_while_the_history_is_locked_keeps_the_answer(
    isolated_home, memory_keyring, encodings, openai_server
):
    openai_server.api_key = None
    openai_server.default = Script(text=WORDS, prompt_tokens=9, token_delay=0.15)

    def add_endpoint() -> None:
        core = build_core(isolated_home, keyring_backend=memory_keyring, environ={}, encodings=encodings)
        core.config.add_endpoint(Endpoint("local", "openai", openai_server.base_url, None, "openai"))
        core.close()

    off_gui(add_endpoint)
    env = {**os.environ, "PLAYGROUND_HOME": str(isolated_home), "QT_QPA_PLATFORM": "offscreen"}
    env["PYTHONPATH"] = ROOT
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    db = str(isolated_home / "history.db")
    app = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-c", APP, LOCK_HOLDER, db],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=90,
    )
    holders = [int(line.split()[1]) for line in app.stdout.splitlines() if line.startswith("HOLDER")]
    try:
        assert app.returncode == 0 and "QUIT 0 " in app.stdout, app.stderr[-3000:]
        quit_s = float(app.stdout.split("QUIT 0 ")[1].split()[0])
        assert len(holders) == 1, app.stdout
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0) as ro:
            ((status, output),) = ro.execute("select status, output from calls").fetchall()
        assert status == "running" and output != WORDS  # the history alone would lose the answer
    finally:
        for pid in holders:
            os.kill(pid, 9)
    # the window closed at once and the app left within its 5 s bound: it did not wait out the lock
    # (60 s), nor the busy timeout (10 s), nor its bound twice (the window's close, then the quit)
    assert quit_s < 9, app.stdout

    def next_start() -> dict:
        core = build_core(isolated_home, keyring_backend=memory_keyring, environ={}, encodings=encodings)
        try:
            (found,) = core.history._readers.get().query("select * from calls")
        finally:
            core.close()
        return found

    row = off_gui(next_start)
    assert row["status"] == "cancelled"  # stopped by the quit, not "interrupted" and guessed
    assert row["output"] and WORDS.startswith(row["output"]) and row["output"] != WORDS
    assert row["output_tokens"] > 0 and row["output_estimated"] == 1  # counted here: the stream was cut
    assert row["cost_usd"] is not None and float(row["cost_usd"]) > 0
