"""History search and scrolling as the GUI thread feels them, on a big history (issue 12).

python -m bench.bench_history_gui [--calls N]   (a history of N calls is generated in a temp folder)
For each keystroke of a search, and for each page scrolled, the longest stall of the event loop
(a 1 ms timer measures the gaps): "before" runs the query on the GUI thread as the history view
used to; "after" is the view as it is now (queries through the background service).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class StallMeter:
    """The longest gap between ticks of a 1 ms timer: how long the GUI thread could not respond."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(1)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def reset(self) -> None:
        self.longest = 0.0
        self._last = time.perf_counter()


def spin(app, until, timeout_s: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout_s
    while not until() and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.0005)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=100_000)
    args = parser.parse_args()
    from PySide6.QtCore import QModelIndex, QTimer
    from PySide6.QtWidgets import QApplication

    from bench.gen_history import generate
    from playground.core import build_core
    from playground.history.filters import Filters
    from ui.common.background import Background
    from ui.history.model import PAGE
    from ui.history.view import HistoryView

    home = Path(tempfile.mkdtemp(prefix="bench-gui-history-"))
    generate(home / "history.db", args.calls)
    core = build_core(home, environ={})
    app = QApplication.instance() or QApplication([])
    meter = StallMeter()
    keystrokes = ["w", "wa", "wal", "walr", "walru", "walrus"]

    def stalled(work) -> float:
        """Run ``work`` from the event loop (as a slot would) and return the longest stall, ms."""
        done = []
        meter.reset()
        QTimer.singleShot(0, lambda: (work(), done.append(1)))
        spin(app, lambda: bool(done))
        spin(app, lambda: False, 0.05)  # let the meter tick after
        return meter.longest * 1000

    # before: the query on the GUI thread, as HistoryModel.set_source / fetchMore did
    store = core.history
    before_keys = [stalled(lambda q=q: store.page(Filters(search=q), limit=PAGE)) for q in keystrokes]
    first = store.page(Filters(), limit=PAGE)
    cursors = [first[-1].cursor]
    for _ in range(4):
        cursors.append(store.page(Filters(), after=cursors[-1], limit=PAGE)[-1].cursor)
    before_pages = [stalled(lambda c=c: store.page(Filters(), after=c, limit=PAGE)) for c in cursors]

    # after: the view as it is
    background = Background()
    view = HistoryView(background)
    view.resize(1200, 800)
    view.show()
    view.set_core(core)
    spin(app, lambda: view.model_.rowCount() > 0)
    after_keys = []
    for q in keystrokes:
        meter.reset()
        view.search.setText(q)
        view.refresh()  # skip the debounce: the query starts now
        spin(app, lambda: not view.model_.loading)
        spin(app, lambda: False, 0.05)
        after_keys.append(meter.longest * 1000)
    view.search.setText("")
    view.refresh()
    spin(app, lambda: not view.model_.loading)
    after_pages = []
    for _ in range(5):
        rows = view.model_.rowCount()
        meter.reset()
        view.model_.fetchMore(QModelIndex())
        spin(app, lambda rows=rows: view.model_.rowCount() > rows)
        spin(app, lambda: False, 0.05)
        after_pages.append(meter.longest * 1000)
    background.shutdown()
    core.close()

    def line(name: str, before: list[float], after: list[float]) -> str:
        b, a = max(before), max(after)
        return (
            f"{name:<22} before: longest {b:8.1f} ms (median {statistics.median(before):7.1f})   "
            f"after: longest {a:6.1f} ms (median {statistics.median(after):5.1f})   ratio {b / a:6.1f}x"
        )

    print(f"history of {args.calls:,} calls; GUI-thread stall per action")
    print(line("search per keystroke", before_keys, after_keys))
    print(line("scroll one page", before_pages, after_pages))


if __name__ == "__main__":
    main()
