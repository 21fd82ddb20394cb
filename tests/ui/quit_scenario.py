"""Quit the app mid-stream (or mid-comparison), the way the app quits, several times in one process.

Run as a subprocess by test_quit.py, so a crash (the segfault of closing SQLite under a running
thread) fails that test instead of killing pytest. Prints one JSON line per cycle."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from pathlib import Path

os.environ["PYTHON_KEYRING_BACKEND"] = "tests.memory_keyring.MemoryKeyring"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from playground.compare.columns import Column
from playground.llm.endpoints import Endpoint
from tests.servers.base import Script
from tests.servers.openai_server import OpenAITestServer
from ui.app import CoreLoader, configure_threads, shut_down
from ui.main_window import MainWindow
from ui.playground.session import Session

WORDS = 400  # at 20 ms a word: 8 s, so every quit lands mid-stream


def wait_until(app: QApplication, condition, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met")
        app.processEvents()
        time.sleep(0.005)


def cycle(app: QApplication, server: OpenAITestServer, home: Path, mode: str) -> dict:
    session = Session(local_probe=list)
    window = MainWindow(session)
    window.show()
    loader = CoreLoader(session, home)
    loader.start()
    wait_until(app, lambda: session.core is not None or session.failure is not None, 60)
    if session.failure:
        raise RuntimeError(session.failure)
    core = session.core
    if "local" not in {e.name for e in core.config.endpoints()}:
        core.config.add_endpoint(Endpoint("local", "openai", server.base_url, "local", price_as="openai"))
    core.keys.set("local", server.api_key)
    session.refresh_models()  # as the settings dialog does after a change: the session re-reads endpoints
    wait_until(app, lambda: session.endpoint("local") is not None, 30)
    window.picker.select("local", "gpt-4o-mini")
    window.editor.messages.first_editor().setPlainText("Count slowly")
    if mode == "compare":
        window.tabs.setCurrentWidget(window.compare)
        window.compare.add_column(Column("local", "gpt-4o"))
        window.compare.add_column(Column("local", "gpt-4o-mini"))
        window.run()
        wait_until(app, lambda: all(len(c.answer().split()) >= 5 for c in window.compare.columns), 90)
        seen = [c.answer() for c in window.compare.columns]
    else:
        window.run()
        wait_until(app, lambda: len(window.output.text().split()) >= 5, 90)
        seen = [window.output.text()]
    started = time.monotonic()
    window.close()  # what the user does; then the app's own order after the event loop
    shut_down(window, loader)
    quit_s = time.monotonic() - started
    app.processEvents()
    window.deleteLater()
    with sqlite3.connect(home / "history.db") as db:
        rows = db.execute("select status, output from calls order by id desc limit ?", [len(seen)]).fetchall()
    return {"quit_s": quit_s, "seen": seen, "rows": [list(r) for r in rows]}


def main() -> int:
    mode, home, cycles = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    home.mkdir(parents=True, exist_ok=True)
    configure_threads()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with OpenAITestServer() as server:
        server.default = Script(text=" ".join(f"w{i}" for i in range(WORDS)), token_delay=0.02)
        for _ in range(cycles):
            print(json.dumps(cycle(app, server, home, mode)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
