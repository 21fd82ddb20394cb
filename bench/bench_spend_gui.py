"""Spend on a big history, through the Spend view's own code: the ``work()`` its refresh submits to the
background pool, its draw on the GUI thread, and the per-model table's query.

python -m bench.bench_spend_gui [--calls N] [--db PATH] [--repeat 5]
  --db reuses a history made by `python -m bench.gen_history PATH` (else N calls are generated in a
  temp folder, N = 1,000,000 by default; a history with no calls is refused: nothing to measure).

Per figure: the goal, the figure now (worst of the repeats), and a baseline measured in the same run:
the queries as they were before m013 (every day histogram of the range read; then a second pass over
the calls for the table's cached and reasoning tokens), run on the same database. GUI-thread stalls
are the longest gap of a 1 ms heartbeat timer (bench/heartbeat.py) while the work runs.
Last, the first click on Spend in the app itself, a fresh process per launch (bench/first_spend.py):
modules load once per process, so the opens above (page already built) never see that cost.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def spin(app: Any, until: Any, timeout_s: float = 120.0) -> None:
    deadline = time.perf_counter() + timeout_s
    while not until() and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.0005)


def cpu_timed(work: Any) -> tuple[float, float]:
    """(wall ms, this thread's CPU ms) of ``work()``."""
    start, cpu = time.perf_counter(), time.thread_time()
    work()
    return (time.perf_counter() - start) * 1000, (time.thread_time() - cpu) * 1000


class PaintCounter:
    """Counts the paints of the chart plots (a layout change that moves them repaints all six)."""

    def __init__(self, widgets: list[Any]):
        from PySide6.QtCore import QEvent, QObject

        paint = QEvent.Type.Paint

        class Filter(QObject):
            count = 0

            def eventFilter(self, obj: Any, event: Any) -> bool:
                if event.type() == paint:
                    Filter.count += 1
                return False

        self._filter = Filter()
        self._type = Filter
        for widget in widgets:
            widget.viewport().installEventFilter(self._filter)

    def take(self) -> int:
        n, self._type.count = self._type.count, 0
        return n


def timed(work: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    value = work()
    return (time.perf_counter() - start) * 1000, value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="a history made by bench.gen_history (reused)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from bench.app_like import load_prices
    from bench.gen_history import generate
    from bench.heartbeat import Heartbeat
    from bench.spend_baselines import old_table, old_work, previous_work
    from playground.core import build_core
    from playground.history.migrations import migrations
    from playground.history.storage import connect
    from playground.spend.charts import range_start
    from playground.spend.overview import Overview
    from ui.app import configure_threads
    from ui.common.background import Background
    from ui.spend.view import SpendView

    path = args.db if args.db is not None else Path(tempfile.mkdtemp(prefix="bench-spend-")) / "history.db"
    if not path.exists():
        generate(path, args.calls)
    db = connect(path)
    pending = [m.name for m in migrations.pending(db)]
    db.conn.close()
    open_ms, core = timed(lambda: build_core(path.parent, keyring_backend=None, environ={}))
    calls = core.history.count()
    if calls == 0:
        core.close()
        sys.exit(f"{path} holds no calls: nothing to measure (make one with python -m bench.gen_history)")
    configure_threads()  # the GIL switch interval the app runs with
    load_prices(core)  # as the app has by then
    app = QApplication.instance() or QApplication([])
    beat = Heartbeat()
    background = Background()
    view = SpendView(background)
    view.resize(1280, 800)
    view.show()
    spin(app, lambda: False, 0.1)  # as in the app: the page is painted before its first read (mode_pages)
    for combo, text in ((view.range, "Year"), (view.period, "day")):
        combo.blockSignals(True)
        combo.setCurrentText(text)
        combo.blockSignals(False)

    work_ms: list[float] = []
    work_cpu: list[float] = []
    draw_ms: list[float] = []
    paints = PaintCounter([panel.plot for panel in view.panels])
    submit = view._latest.submit

    def timed_submit(work: Any, done: Any, failed: Any = None) -> None:
        def measured() -> Any:
            cpu = time.thread_time()
            ms, value = timed(work)
            work_ms.append(ms)
            work_cpu.append((time.thread_time() - cpu) * 1000)
            return value

        submit(measured, done, failed)

    view._latest.submit = timed_submit  # type: ignore[method-assign]
    from ui.spend.frames import Frames

    step = Frames._next

    def timed_step(self: Frames) -> None:  # one chart drawn per frame: the GUI-thread CPU of each
        start = time.thread_time()
        step(self)
        draw_ms.append((time.thread_time() - start) * 1000)

    Frames._next = timed_step  # type: ignore[method-assign]

    # 1. Spend opened with "Year" by day: refresh → work() on the pool → drawn on the GUI thread
    opened: list[float] = []
    stalls: list[float] = []
    stalls_cpu: list[float] = []
    repaints: list[int] = []
    paints.take()
    for i in range(args.repeat):
        view.data = None
        beat.start()
        start = time.perf_counter()
        if i == 0:
            view.set_core(core)  # the first show: the model list and the first refresh
        else:
            view.refresh()
        spin(app, lambda: view.data is not None)
        opened.append((time.perf_counter() - start) * 1000)
        spin(app, lambda: False, 0.03)
        beat.stop()
        stalls.append(beat.longest_ms)
        stalls_cpu.append(beat.longest_cpu_ms)
        repaints.append(paints.take())
    Frames._next = step  # type: ignore[method-assign]
    until = view.data.until if view.data else date.today()
    year = range_start("Year", until)
    open_base = [timed(lambda: old_work(core, year, until))[0] for _ in range(3)]
    # work() itself against the one before it, each called directly on this thread, best of 3
    from playground.spend.snapshot import take

    take_now = [cpu_timed(lambda: take(core.reports, core.budgets.get, "Year", "day")) for _ in range(3)]
    take_before = [cpu_timed(lambda: previous_work(core, "Year", "day")) for _ in range(3)]

    # the stall baseline, same run: every chart drawn in one frame and the heap not frozen, as before
    import gc

    gc.unfreeze()
    run = Frames.run

    def all_at_once(self: Frames, steps: Any) -> None:
        """Every step in this one turn; a plot a step held for its own frame is let go at once."""
        for step in steps:
            step()
            self._release()

    Frames.run = all_at_once  # type: ignore[method-assign]
    stalls_before: list[float] = []
    stalls_before_cpu: list[float] = []
    for _ in range(args.repeat):
        view.data = None
        beat.start()
        view.refresh()
        spin(app, lambda: view.data is not None)
        spin(app, lambda: False, 0.03)
        beat.stop()
        stalls_before.append(beat.longest_ms)
        stalls_before_cpu.append(beat.longest_cpu_ms)
    Frames.run = run  # type: ignore[method-assign]
    gc.freeze()

    # 2. the per-model table for a year (and all history), on a pool thread as the view runs it
    def on_pool(work: Any) -> tuple[float, float]:
        """(ms from submit to answer on the GUI thread, longest GUI stall meanwhile)."""
        got: list[Any] = []
        beat.start()
        start = time.perf_counter()
        background.submit(work, got.append)
        spin(app, lambda: bool(got))
        elapsed = (time.perf_counter() - start) * 1000
        spin(app, lambda: False, 0.03)
        beat.stop()
        return elapsed, beat.longest_ms

    overview = Overview(core.reports)
    tables: dict[str, tuple[list[float], list[float]]] = {}
    for name, since in (("a year", year), ("all history", None)):
        runs = [on_pool(lambda s=since: overview.models(s, until)) for _ in range(args.repeat)]
        stalls += [s for _, s in runs]
        before = [on_pool(lambda s=since: old_table(core, s, until))[0] for _ in range(3)]
        tables[name] = ([t for t, _ in runs], before)

    # the machine's own noise: the same heartbeat with nothing to do
    beat.start()
    spin(app, lambda: False, 1.0)
    beat.stop()
    idle, idle_cpu = beat.longest_ms, beat.longest_cpu_ms
    if background.shutdown():  # as the app quits: never close the history under a running thread
        core.close()

    # 3. the first click on Spend in the app itself (a fresh process each: modules load only once)
    from bench.first_spend import first_clicks

    clicks = first_clicks(path.parent, max(2, args.repeat // 2))

    def figure(name: str, now: float, goal: float | None, before: float) -> str:
        target = "" if goal is None else f"(goal <= {goal:g} ms, {'ok' if now <= goal else 'OVER'})"
        return (
            f"{name:<44} {now:8.1f} ms {target:<24} baseline {before:8.1f} ms"
            f"   {before / max(now, 0.01):6.1f}x"
        )

    print(f"history of {calls:,} calls; the Spend view's own code path ({path})")
    print(
        f"opening the history took {open_ms / 1000:.1f} s"
        + (f" (it applied {', '.join(pending)})" if pending else "")
    )
    print(
        figure("Spend opened, Year by day (worst)", max(opened), 150, min(open_base))
        + f"  median {statistics.median(opened):.1f}; baseline: work()'s queries before m013, without"
        " drawing (best of 3)"
    )
    print(
        f"  of which work() on the pool, worst {max(work_ms):.1f} ms; drawing on the GUI thread (CPU), one"
        f" chart per frame: worst frame {max(draw_ms):.1f} ms, all {len(draw_ms) // args.repeat} frames"
        f" {sum(draw_ms) / args.repeat:.1f} ms per open; plot repaints: first open {repaints[0]},"
        f" then {statistics.median(repaints[1:] or repaints):g} (six plots: 6 is one paint each)"
    )
    print(
        figure(
            "work() alone, Year by day (best, wall)",
            min(w for w, _ in take_now),
            None,
            min(w for w, _ in take_before),
        )
        + "  baseline: the work() before snapshot.py (report rows per day), best of 3"
    )
    print(
        figure(
            "work() alone, Year by day (best, CPU)",
            min(c for _, c in take_now),
            None,
            min(c for _, c in take_before),
        )
        + f"  on the pool during the opens: CPU median {statistics.median(work_cpu):.1f} ms"
    )
    for name, (now, before) in tables.items():
        print(
            figure(
                f"per-model table, {name} (worst)", max(now), 150 if name == "a year" else None, min(before)
            )
            + f"  median {statistics.median(now):.1f}; baseline: the two-pass table before m013 (best of 3)"
        )
    print(
        figure("longest GUI-thread stall, Spend opened", max(stalls[: args.repeat]), 16, max(stalls_before))
        + f"  median {statistics.median(stalls[: args.repeat]):.1f}; baseline: the charts in one frame,"
        f" heap not frozen (median {statistics.median(stalls_before):.1f})"
    )
    print(
        figure("  its GUI-thread CPU (worst gap, CPU)", max(stalls_cpu), 16, max(stalls_before_cpu))
        + f"  first open {stalls_cpu[0]:.1f}, median {statistics.median(stalls_cpu):.1f}; the idle"
        f" heartbeat: {idle_cpu:.1f} ms CPU"
    )
    now_clicks, before_clicks = clicks[False], clicks[True]

    def median_of(rows: list[list[float]], column: int) -> float:
        return statistics.median(r[column] for r in rows)

    print(
        figure(
            "first click on Spend in the app: charts drawn",
            median_of(now_clicks, 1),
            None,
            median_of(before_clicks, 1),
        )
        + f"  page built at {median_of(now_clicks, 0):.0f} ms (before: {median_of(before_clicks, 0):.0f});"
        f" median of {len(now_clicks)} launches each; baseline: imports and page in one go on the GUI thread"
    )
    print(
        figure(
            "first click on Spend: longest GUI stall",
            max(r[2] for r in now_clicks),
            16,
            max(r[2] for r in before_clicks),
        )
        + f"  median {median_of(now_clicks, 2):.1f}; its CPU {max(r[3] for r in now_clicks):.1f} ms"
        f" (before {max(r[3] for r in before_clicks):.1f}); modules imported one a turn"
        " (ui/import_steps.py): what is left is the page's first show and first chart paints"
    )
    print(
        f"{'longest GUI-thread stall while these ran':<44} {max(stalls):8.1f} ms (goal <= 16 ms,"
        f" {'ok' if max(stalls) <= 16 else 'OVER'}; median {statistics.median(stalls):.1f};"
        f" the same heartbeat idle: {idle:.1f} ms; load average {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
