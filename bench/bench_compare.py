"""Compare view under load: 6 columns streaming at ~1,000 tokens/s each from the test server (run in
its own process), into the real CompareView, the way the app runs them (streams read in a worker
process). Figures: longest GUI-thread stall against an idle window over the same time, and whether
every column shows every token.

Run: QT_QPA_PLATFORM=offscreen python -m bench.bench_compare
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path


def main(columns: int = 6, tokens: int = 3000, rate: float = 1000) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.app import configure_threads

    configure_threads()
    from PySide6.QtWidgets import QApplication

    from bench.bench_gui import idle_stall, run_event_loop, start_server
    from bench.heartbeat import Heartbeat
    from playground.compare.columns import Column
    from playground.core import build_core
    from playground.llm.endpoints import Endpoint
    from playground.llm.providers.remote import StreamWorkers
    from tests.servers.serve import answer_text
    from ui.main_window import MainWindow
    from ui.playground.session import Session

    app = QApplication(sys.argv)
    server, base_url = start_server(tokens, rate)
    workers = StreamWorkers()
    workers.start()
    with tempfile.TemporaryDirectory() as home:
        core = build_core(Path(home), keyring_backend=None, environ={}, provider_factory=workers.factory)
        core.config.add_endpoint(Endpoint("local", "openai", base_url, None, "openai"))
        session = Session(local_probe=list)
        window = MainWindow(session)
        window.resize(1600, 900)
        window.show()
        session.attach(core)
        window.picker.select("local", "gpt-4o")
        window.editor.messages.first_editor().setPlainText("Write a long answer.")
        # the parameter rows appear once the model's API is known (after the core and the model list load)
        run_event_loop(app, lambda: "max_tokens" in window.params._rows)
        window.params.row("max_tokens").set_value(tokens + 100)
        window.tabs.setCurrentWidget(window.compare)
        for i in range(columns):
            window.compare.add_column(Column("local", f"model-{i}"))
        core.runner.run(window.compare.columns[0].column().request("", [], {}))  # warm-up: worker and SDK
        settle = time.perf_counter() + 3  # let start-up work (model lists, forecast) finish first
        run_event_loop(app, lambda: time.perf_counter() > settle)

        idle_ms = idle_stall(app, tokens / rate)

        beat = Heartbeat()
        beat.start()
        start = time.perf_counter()
        window.compare.run_all()
        assert window.compare_session.running, f"did not start: {window.prompt_snapshot()} {session.core}"
        run_event_loop(app, lambda: not window.compare_session.running or time.perf_counter() - start > 120)
        elapsed = time.perf_counter() - start
        beat.stop()
        text = answer_text(tokens)
        complete = sum(c.answer() == text for c in window.compare.columns)
        print(
            f"{columns} columns x {tokens:,} tokens (server paced at {rate:,.0f} tok/s each; achieved "
            f"{tokens / elapsed:,.0f} tok/s each): longest GUI stall {beat.longest_ms:.1f} ms, "
            f"{beat.over(16)} gaps over 16 ms; idle window {idle_ms:.1f} ms "
            f"(ratio {beat.longest_ms / max(idle_ms, 0.1):.1f}x); every token shown in "
            f"{complete}/{columns} columns"
        )
        window.close()
        core.close()
    workers.close()
    server.stdin.close()
    server.wait(10)


if __name__ == "__main__":
    main()
