"""Inside the app: the first run after launch against the second, as a user sees them.

Started by bench/bench_startup.py with a data folder whose endpoint "bench" points at a local test
server. Once the core is attached it picks that endpoint's model and types a prompt; when the counters
show its estimate (the window is usable) it waits ``--think-ms`` (a user reading the window) and
presses Run; the same again for a second run. Click to first text is from Run to the GUI slot that
receives the first text (the frame that shows it); the heartbeat notes the longest GUI-thread gap from
the click to the end of each run. Prints one line: "FIRSTRUN first_ms second_ms stall1 cpu1 stall2 cpu2".
"""

from __future__ import annotations

import argparse
import sys
import time

ENDPOINT = "bench"
MODEL = "gpt-4o-mini"


class Driver:
    def __init__(self, window, think_ms: int):
        from PySide6.QtCore import QTimer

        from bench.heartbeat import Heartbeat

        self.window = window
        self.session = window.session
        self.think_ms = think_ms
        self.timer = QTimer
        self.beat = Heartbeat(window)
        self.firsts: list[float] = []
        self.stalls: list[tuple[float, float]] = []
        self.clicked = 0.0
        self.waiting = False  # for this prompt's estimate
        self.seen_text = False
        self.session.estimated.connect(self._estimated)
        self.session.runProgress.connect(self._progress)
        self.session.runFinished.connect(self._finished)
        self._prompt("Say hello.")
        window.picker.select(ENDPOINT, MODEL)

    def _prompt(self, text: str) -> None:
        self.waiting = True
        self.window.editor.messages.last_editor().setPlainText(text)

    def _estimated(self, result) -> None:
        request = result.draft.request
        if self.waiting and (request.endpoint, request.model) == (ENDPOINT, MODEL):
            self.waiting = False
            self.timer.singleShot(self.think_ms, self._click)

    def _click(self) -> None:
        self.seen_text = False
        self.beat.start()
        self.clicked = time.perf_counter()
        self.window.run_action.trigger()

    def _progress(self, drained) -> None:
        if drained.text and not self.seen_text:
            self.seen_text = True
            self.firsts.append((time.perf_counter() - self.clicked) * 1000)

    def _finished(self, result) -> None:
        self.beat.stop()
        self.stalls.append((self.beat.longest_ms, self.beat.longest_cpu_ms))
        if result.status != "ok" or not self.seen_text:
            print(f"FIRSTRUN FAILED {result.status} {result.error}", flush=True)
            self._quit()
        elif len(self.firsts) == 1:
            self._prompt("Say it again.")
        else:
            (s1, c1), (s2, c2) = self.stalls
            first, second = self.firsts
            print(f"FIRSTRUN {first:.1f} {second:.1f} {s1:.1f} {c1:.1f} {s2:.1f} {c2:.1f}", flush=True)
            self._quit()

    def _quit(self) -> None:
        from PySide6.QtWidgets import QApplication

        self.timer.singleShot(0, QApplication.quit)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--think-ms", type=int, default=1000)
    args = parser.parse_args()
    from ui.app import run_app

    drivers: list[Driver] = []
    return run_app(on_ready=lambda window: drivers.append(Driver(window, args.think_ms)))


if __name__ == "__main__":
    sys.exit(main())
