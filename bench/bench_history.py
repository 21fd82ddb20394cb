"""History at scale: a database of 1,000,000 calls over two years against an empty one.

python -m bench.bench_history [PATH]            (PATH is made with bench.gen_history when missing)
python -m bench.bench_history --search [PATH]   the search per keystroke only (bench_search.py)
Figures: opening the core (database, migrations check) and `playground --smoke` with the big
database against an empty one; the first page of the history; a one-year daily spend query per
model; a full-text search; the History search per keystroke (words, prefixes, Chinese, mixed)
against the search before prefixes; median of several runs each.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path


def median_ms(fn, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def smoke_ms(home: Path) -> float:
    env = {**os.environ, "PLAYGROUND_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "ui.launcher", "--smoke"], env=env, capture_output=True, timeout=120
    )
    return (time.perf_counter() - start) * 1000


def spend_ms(core) -> float:
    """The Spend page's work for one year by day (``snapshot.take``, what its pool job runs); the
    drawing and the GUI-thread stalls are measured by ``bench.bench_spend_gui`` on the real page."""
    from playground.spend.snapshot import take

    return median_ms(lambda: take(core.reports, core.budgets.get, "Year", "day"), runs=3)


# The rollups as they were counted before local days (per UTC day, substr of started_at): the baseline
# (the cached and reasoning columns m013 added are left at 0: the recount's speed is what is compared).
_UTC_DAYS_SQL = (
    "insert into daily_stats select substr(started_at, 1, 10), endpoint, model, count(*),"
    " sum(status = 'ok'), sum(status in ('error', 'interrupted')), sum(coalesce(input_tokens, 0)),"
    " sum(coalesce(output_tokens, 0)), sum(coalesce(cost_pusd, 0)), sum(cost_pusd is null),"
    " sum(coalesce(duration_ms, 0)), sum(status = 'ok' and duration_ms is not null), 0, 0"
    " from calls where status != 'running' group by 1, 2, 3"
)


def local_days(core) -> str:
    """Rollups per local day against per UTC day: the one-year chart query, and recounting every call."""
    from playground.history.rollups import bucket, rebuild

    today = date.today()
    year_ago = today - timedelta(days=364)
    writer = core.storage.writer

    def query():
        return core.reports.spend(year_ago, today, period="day", by="model")

    def utc_days(db):
        db.conn.create_function("latency_bucket", 1, bucket, deterministic=True)
        db.execute("delete from daily_stats")
        db.execute("delete from daily_latency")
        db.execute(_UTC_DAYS_SQL)
        for metric in ("duration_ms", "ttft_ms"):
            db.execute(
                f"insert into daily_latency select substr(started_at, 1, 10), model, '{metric}',"
                f" latency_bucket({metric}) as b, count(*) from calls"
                f" where status = 'ok' and {metric} > 0 group by 1, 2, 4"
            )

    def timed(fn) -> float:
        start = time.perf_counter()
        writer.call(fn)
        return (time.perf_counter() - start) * 1000

    recount_utc = timed(utc_days)
    query_utc = median_ms(query)
    recount_local = timed(
        lambda db: rebuild(db, "America/Los_Angeles")
    )  # with daylight saving: the costlier case
    query_local = median_ms(query)
    writer.call(lambda db: rebuild(db, core.reports.clock.zone_name()))
    return (
        f"one-year daily spend per model, local days: {query_local:.1f} ms vs UTC days {query_utc:.1f} ms "
        f"({query_local / query_utc:.2f}x)\n"
        f"recount the rollups in a local zone (m009, a zone change): {recount_local:.0f} ms vs "
        f"per UTC day as before {recount_utc:.0f} ms ({recount_local / recount_utc:.2f}x)"
    )


def main() -> None:
    from playground.core import build_core

    only_search = "--search" in sys.argv
    paths = [a for a in sys.argv[1:] if a != "--search"]
    big = Path(paths[0]) if paths else Path(tempfile.gettempdir()) / "playground-bench" / "history.db"
    if only_search:
        from bench.bench_search import search_lines

        core = build_core(big.parent, keyring_backend=None, environ={})
        print(search_lines(core))
        core.close()
        return
    if not big.exists():
        from bench.gen_history import generate

        big.parent.mkdir(parents=True, exist_ok=True)
        generate(big, 1_000_000)
    with tempfile.TemporaryDirectory() as empty_home:
        empty = Path(empty_home)
        build_core(empty, keyring_backend=None, environ={}).close()
        open_empty = median_ms(lambda: build_core(empty, keyring_backend=None, environ={}).close())
        open_big = median_ms(lambda: build_core(big.parent, keyring_backend=None, environ={}).close())
        smoke_empty = statistics.median(smoke_ms(empty) for _ in range(5))
        smoke_big = statistics.median(smoke_ms(big.parent) for _ in range(5))
    core = build_core(big.parent, keyring_backend=None, environ={})
    calls = core.history.count()
    year_ago = date.today() - timedelta(days=365)
    page = median_ms(lambda: core.history.recent(limit=100))
    spend = median_ms(lambda: core.reports.spend(since=year_ago, period="day", by="model"))
    latency = median_ms(lambda: core.reports.latency(since=year_ago))
    search = median_ms(lambda: core.history.recent(limit=50, search="walrus"))
    spend_page = spend_ms(core)
    from bench.bench_search import search_lines

    keystrokes = search_lines(core)
    days_lines = local_days(core)
    core.close()
    print(f"{calls:,} calls ({big.stat().st_size / 1e6:.0f} MB)")
    print(
        f"open the core: {open_big:.1f} ms vs empty database {open_empty:.1f} ms "
        f"({open_big / open_empty:.2f}x)"
    )
    print(
        f"playground --smoke: {smoke_big:.0f} ms vs empty {smoke_empty:.0f} ms "
        f"({smoke_big / smoke_empty:.2f}x; goal <= 1.1x)"
    )
    print(f"history first page (100 rows): {page:.1f} ms (goal < 50 ms)")
    print(f"one-year daily spend per model: {spend:.1f} ms query")
    print(f"one-year daily latency p50/p95 per model: {latency:.1f} ms")
    print(f"Spend page, one year by day, its pool work (snapshot.take): {spend_page:.0f} ms")
    print(f"full-text search, newest 50 matches: {search:.1f} ms (goal < 100 ms)")
    print(keystrokes)
    print(days_lines)


if __name__ == "__main__":
    main()
