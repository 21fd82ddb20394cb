"""History on a big history, through the History view's own code (model, queries, background service).

python -m bench.bench_history_gui [--calls N] [--db PATH]
  --db reuses a history made by `python -m bench.gen_history PATH` (else N calls are generated in a
  temp folder, N = 1,000,000 by default; a history with no calls is refused: nothing to measure).

Per figure: the goal, the figure now, and a baseline measured in the same run: the same query as
the view ran it before (the plain SQL, on the GUI thread). GUI-thread stalls are the longest gap of
a 1 ms timer while the work runs. A scrolled page is measured with the view at 1280x800 and at
1920x1080. Offscreen unless told; as on a desktop:
  xvfb-run -a -s "-screen 0 1920x1080x24" env QT_QPA_PLATFORM=xcb python -m bench.bench_history_gui
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZES = ((1280, 800), (1920, 1080))  # the History view's size: its table shows ~20 and ~33 rows
PAGES_SCROLLED = 10  # at each size
KEYSTROKES = ["w", "wa", "wal", "walr", "walru", "walrus", "walrus ", "walrus o", "walrus otter"]


class Scrolled(NamedTuple):
    """Scrolled pages at one window size, ms each."""

    name: str
    rows: int  # rows on screen
    gui: list[float]  # GUI-thread CPU: adding the page and painting the screen scrolled into view
    add: list[float]  # of which adding the page
    before: list[float]  # the baseline: the page's query on the GUI thread, and the same paint
    wait: list[float]  # from reaching the bottom to the page added
    stall: list[float]  # the longest GUI-thread stall meanwhile (wall)
    stall_cpu: list[float]  # the GUI thread's CPU in it


def spin(app, until, timeout_s: float = 120.0) -> None:
    deadline = time.perf_counter() + timeout_s
    while not until() and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.0005)


def plain_page(store, filters, after=None, limit=200):
    """The page query as the view ran it before: every match joined, then sorted (the baseline)."""
    from playground.history.records import from_row

    where, args = filters.where()
    if after is not None:
        where = f"{where} {'and' if where else 'where'} (started_at, id) < (?, ?)"
        args = [*args, *after]
    sql = f"select * from calls {where} order by started_at desc, id desc limit ?"
    return [from_row(r) for r in store._readers.get().query(sql, [*args, limit])]


def plain_totals(store, filters) -> int:
    """The totals as one scan of the calls (what the rollups save): the baseline for totals."""
    where, args = filters.where()
    sql = (
        "select count(*), sum(input_tokens), sum(output_tokens), sum(cost_pusd), sum(cost_pusd is null)"
        f" from calls {where}"
    )
    return store._readers.get().execute(sql, args).fetchone()[0]


def old_cache_groups(store, filters) -> int:
    """The prompt-cache line's query before m018 (every call read, grouped by exact token counts): the
    baseline, without the pricing of each group, which took minutes more on a million calls."""
    from dataclasses import replace

    where, args = replace(filters, uses_cache=True).where()
    sql = (
        "select count(*) from (select 1 from calls not indexed"
        f" {where} group by endpoint, model, input_tokens, output_tokens, cache_read_tokens,"
        " cache_write_tokens, cache_write_1h_tokens)"
    )
    return store._readers.get().execute(sql, args).fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="a history made by bench.gen_history (reused)")
    args = parser.parse_args()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from bench.app_like import load_prices
    from bench.gen_history import generate
    from bench.heartbeat import Heartbeat
    from playground.core import build_core
    from playground.history.filters import DatePreset
    from ui.app import configure_threads
    from ui.common.background import Background
    from ui.history.model import PAGE
    from ui.history.view import HistoryView

    if args.db is not None:
        home = args.db.parent
        if not args.db.exists():
            generate(args.db, args.calls)
    else:
        home = Path(tempfile.mkdtemp(prefix="bench-gui-history-"))
        generate(home / "history.db", args.calls)
    core = build_core(home, keyring_backend=None, environ={})
    calls = core.history.count()
    if calls == 0:
        core.close()
        sys.exit(f"{home} holds no calls: nothing to measure (make one with python -m bench.gen_history)")
    configure_threads()  # the GIL switch interval the app runs with
    load_prices(core)  # as the app has by then
    app = QApplication.instance() or QApplication([])
    meter = Heartbeat()  # the longest gap of a 1 ms timer (wall), and the GUI thread's CPU in it
    meter.start()
    store = core.history
    stalls: list[float] = []
    stalls_cpu: list[float] = []  # the GUI thread's own CPU in its worst gap (the load is not ours)

    def on_gui(work) -> float:
        """Run ``work`` from the event loop (as a slot would): the GUI-thread stall, ms."""
        done: list[int] = []
        meter.start()
        QTimer.singleShot(0, lambda: (work(), done.append(1)))
        spin(app, lambda: bool(done))
        spin(app, lambda: False, 0.03)
        return meter.longest_ms

    background = Background()
    view = HistoryView(background)
    view.resize(1280, 800)
    view.show()
    view.set_core(core)
    spin(app, lambda: view.model_.rowCount() > 0 and view.totals.totals is not None)
    zone = view.filters().zone

    # 1. a search keystroke to results, through the view (debounce skipped: the query starts now)
    def keystroke(text: str) -> tuple[float, float]:
        view.search.setText(text)
        view._debounce.stop()
        meter.start()
        start = time.perf_counter()
        view.model_.set_source(store, view.filters())
        spin(app, lambda: not view.model_.loading)
        elapsed = (time.perf_counter() - start) * 1000
        spin(app, lambda: False, 0.03)
        stalls_cpu.append(meter.longest_cpu_ms)
        return elapsed, meter.longest_ms

    key_now = [keystroke(q) for q in KEYSTROKES]
    key_cpu = list(stalls_cpu)
    stalls += [s for _, s in key_now]
    key_before = [
        on_gui(lambda q=q: plain_page(store, view.filters().__class__(search=q, zone=zone)))
        for q in KEYSTROKES
    ]
    view.search.setText("")
    view._debounce.stop()
    view.refresh()
    spin(app, lambda: not view.model_.loading and view.model_.rowCount() > 0)
    spin(app, lambda: False, 0.05)  # the refreshed first page's own paint: not part of a scrolled page

    # 2. scrolling, at each window size: the user reaches the bottom, the view asks for more (its own
    # fetchMore), the page is read and built in the background, added on the GUI thread, and the next
    # screen scrolled into view is painted. GUI-thread time is that thread's CPU time (the machine's
    # other load does not count), for adding the page and painting it.
    from ui.history import model as history_model

    appended: list[float] = []
    append = history_model.HistoryModel._append

    def timed_append(self: history_model.HistoryModel, page: history_model.Page) -> None:
        start = time.thread_time()
        append(self, page)
        appended.append((time.thread_time() - start) * 1000)

    history_model.HistoryModel._append = timed_append  # type: ignore[method-assign]
    table = view.table
    bar = table.verticalScrollBar()
    viewport = table.viewport()  # its first Python wrapper costs ~10 ms: the bench's, not the app's

    def rows_on_screen() -> int:
        return viewport.height() // table.verticalHeader().defaultSectionSize()

    def paint_next_screen() -> float:
        start = time.thread_time()
        bar.setValue(bar.value() + rows_on_screen())  # Page Down
        viewport.repaint()
        return (time.thread_time() - start) * 1000

    scrolled: list[Scrolled] = []
    for width, height in SIZES:
        view.resize(width, height)
        view.refresh()
        spin(app, lambda: not view.model_.loading and view.model_.rowCount() > 0)
        spin(app, lambda: False, 0.05)  # the first page's own paint: not part of a scrolled page
        page_gui, page_add, page_wait, page_stall, page_cpu = [], [], [], [], []
        for _ in range(PAGES_SCROLLED):
            rows = view.model_.rowCount()
            meter.start()
            start = time.perf_counter()
            bar.setValue(bar.maximum())  # the bottom: the view fetches more (canFetchMore, fetchMore)
            spin(app, lambda rows=rows: view.model_.rowCount() > rows)
            page_wait.append((time.perf_counter() - start) * 1000)
            page_add.append(appended[-1])
            page_gui.append(appended[-1] + paint_next_screen())
            spin(app, lambda: False, 0.03)
            page_stall.append(meter.longest_ms)
            page_cpu.append(meter.longest_cpu_ms)
            stalls_cpu.append(meter.longest_cpu_ms)
        stalls.extend(page_stall)
        cursor = view.model_.row(view.model_.rowCount() - 1).cursor

        def before_page(cursor=cursor) -> float:
            start = time.thread_time()
            plain_page(store, view.filters(), cursor, PAGE)  # the query on the GUI thread, as before
            return (time.thread_time() - start) * 1000 + paint_next_screen()

        page_before = [before_page() for _ in range(3)]
        scrolled.append(
            Scrolled(
                f"{width}x{height}",
                rows_on_screen(),
                page_gui,
                page_add,
                page_before,
                page_wait,
                page_stall,
                page_cpu,
            )
        )
    history_model.HistoryModel._append = append  # type: ignore[method-assign]
    view.resize(*SIZES[0])

    # the machine's own noise: the longest gap of the same timer with nothing to do
    meter.start()
    spin(app, lambda: False, 1.0)
    idle_stall, idle_cpu = meter.longest_ms, meter.longest_cpu_ms

    # 3. totals for a filter: what the line under the table waits for (a background query)
    totals_lines = []
    totals_cpu: list[float] = []  # the GUI thread's CPU in the worst gap of each
    cache_lines = []
    for name, setup in (
        ("all calls", lambda: None),
        ("last 7 days", lambda: view.dates.set_preset(DatePreset.LAST_7)),
        ("one model", lambda: view.model.setCurrentText("gpt-4o")),
    ):
        setup()
        view._debounce.stop()
        filters = view.filters()
        for line, show, baseline, lines in (
            (view.totals, lambda f=filters: view.totals.show_for(store, f), plain_totals, totals_lines),
            # the prompt-cache line under it, which every filter change also starts
            (
                view.cache_totals,
                lambda f=filters: view.cache_totals.show_for(core, f),
                old_cache_groups,
                cache_lines,
            ),
        ):
            line.totals = None
            meter.start()
            start = time.perf_counter()
            show()
            spin(app, lambda line=line: line.totals is not None)
            now = (time.perf_counter() - start) * 1000
            stalls.append(meter.longest_ms)
            stalls_cpu.append(meter.longest_cpu_ms)
            totals_cpu.append(meter.longest_cpu_ms)
            start = time.perf_counter()
            baseline(store, filters)
            lines.append((name, now, (time.perf_counter() - start) * 1000))
    if background.shutdown():  # as the app quits: never close the history under a running thread
        core.close()

    def figure(name: str, now: float, goal: float, before: float, unit: str = "ms") -> str:
        mark = "ok" if now <= goal else "OVER"
        return (
            f"{name:<44} {now:8.1f} {unit} (goal <= {goal:g} {unit}, {mark})   baseline {before:8.1f} {unit}"
            f"   {before / max(now, 0.01):7.1f}x"
        )

    print(f"history of {calls:,} calls; the History view's own code path ({home})")
    keys = [e for e, _ in key_now]
    print(
        figure("search keystroke to results, worst", max(keys), 100, max(key_before))
        + f"  (median {statistics.median(keys):.1f})"
    )
    per_key = ", ".join(
        f"{q!r} {e:.0f}/{b:.0f}" for q, (e, _), b in zip(KEYSTROKES, key_now, key_before, strict=True)
    )
    print(f"  per keystroke, ms now/baseline: {per_key}")
    print(
        figure("search keystroke, GUI-thread stall, worst", max(s for _, s in key_now), 16, max(key_before))
        + f"  its GUI-thread CPU: worst {max(key_cpu):.1f} ms"
    )
    for size in scrolled:
        print(
            figure(
                f"scrolled page at {size.name}, GUI-thread CPU, worst", max(size.gui), 16, max(size.before)
            )
            + f"  (median {statistics.median(size.gui):.1f}; {size.rows} rows painted; adding the page:"
            f" worst {max(size.add):.1f})"
        )
        print(
            f"{'  read and built in the background, worst':<44} {max(size.wait):8.1f} ms"
            f" (GUI stall meanwhile {max(size.stall):.1f} ms, its CPU {max(size.stall_cpu):.1f} ms)"
        )
    for name, now, before in totals_lines:
        print(figure(f"totals for {name}", now, 150, before))
    for name, now, before in cache_lines:
        print(figure(f"prompt-cache totals for {name}", now, 150, before))
    print("  (its baseline: the old query alone; pricing each of its groups took minutes more)")
    print(f"  GUI-thread CPU in the worst gap while the totals were read: {max(totals_cpu):.1f} ms")
    print(
        f"{'longest GUI-thread stall while all this ran':<44} {max(stalls):8.1f} ms (goal <= 16 ms; "
        f"median {statistics.median(stalls):.1f}; the same timer idle, no work: {idle_stall:.1f} ms, "
        f"load average {os.getloadavg()[0]:.1f})"
    )
    print(
        f"{'  the GUI thread CPU in its worst gap':<44} {max(stalls_cpu):8.1f} ms (goal <= 16 ms;"
        f" median {statistics.median(stalls_cpu):.1f}; idle: {idle_cpu:.1f} ms)"
    )


if __name__ == "__main__":
    main()
