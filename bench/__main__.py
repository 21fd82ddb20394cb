"""Every benchmark in one command, then one table: figure, ours, baseline, ratio, goal, pass/fail.

python -m bench [--full] [--only NAME ...]
  default: quick sizes (a 50,000-call history instead of a million, 3 repeats instead of 7), so the
  whole run stays under 10 minutes on a loaded 2-core machine; --full uses each benchmark's own sizes.

A benchmark that returns figures (``figures(quick) -> list[Figure]``) is in the table; the others run in
their own process (GUI ones offscreen) and their own printed figures follow the table, until their
owners add a ``figures()``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.table import Figure, print_table

ROOT = Path(__file__).resolve().parent.parent
QUICK_CALLS = 50_000


@dataclass(frozen=True)
class Bench:
    name: str
    module: str
    args: Callable[[bool, Path], list[str]] = lambda quick, db: []
    gui: bool = False
    needs_db: bool = False


BENCHES = (
    Bench("cli", "bench.bench_cli"),
    Bench("startup", "bench.bench_startup", gui=True),
    Bench("core", "bench.bench_core"),
    Bench("compare", "bench.bench_compare", gui=True),
    Bench("gui", "bench.bench_gui", gui=True),
    Bench("history", "bench.bench_history", lambda quick, db: [str(db)] if quick else [], needs_db=True),
    Bench(
        "history_gui",
        "bench.bench_history_gui",
        lambda quick, db: ["--db", str(db)] if quick else [],
        gui=True,
        needs_db=True,
    ),
    Bench(
        "spend_gui",
        "bench.bench_spend_gui",
        lambda quick, db: ["--db", str(db), "--repeat", "2"] if quick else [],
        gui=True,
        needs_db=True,
    ),
)


def _env(gui: bool) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if gui:
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def _quick_db(folder: Path) -> Path:
    db = folder / "history.db"
    subprocess.run(
        [sys.executable, "-m", "bench.gen_history", str(db), "--calls", str(QUICK_CALLS)],
        check=True,
        cwd=ROOT,
        env=_env(False),
        stdout=subprocess.DEVNULL,
    )
    return db


def run(names: Sequence[str], quick: bool) -> tuple[list[Figure], list[str]]:
    figures: list[Figure] = []
    printed: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        db: Path | None = None
        for bench in BENCHES:
            if names and bench.name not in names:
                continue
            started = time.perf_counter()
            module = importlib.import_module(bench.module)
            own = getattr(module, "figures", None)
            if own is not None:
                figures += own(quick)
            else:
                if bench.needs_db and quick and db is None:
                    db = _quick_db(Path(tmp))
                cmd = [sys.executable, "-m", bench.module, *bench.args(quick, db or Path(tmp))]
                done = subprocess.run(
                    cmd, cwd=ROOT, env=_env(bench.gui), capture_output=True, text=True, timeout=900
                )
                tail = done.stdout.strip() or done.stderr.strip()[-2000:]
                printed.append(f"== {bench.name} (exit {done.returncode})\n{tail}")
            print(f"[{bench.name}: {time.perf_counter() - started:.0f} s]", file=sys.stderr, flush=True)
    return figures, printed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--full", action="store_true", help="each benchmark's own (large) sizes")
    parser.add_argument("--only", nargs="*", default=[], choices=[b.name for b in BENCHES])
    args = parser.parse_args(argv)
    started = time.perf_counter()
    load = os.getloadavg()
    figures, printed = run(args.only, quick=not args.full)
    print(f"load average at start {load[0]:.1f}; ratios are against baselines run in the same command")
    print_table(figures)
    for block in printed:
        print()
        print(block)
    missed = sum(not f.passed for f in figures)  # info rows pass
    print(f"\n{len(figures)} figures, {missed} missed; {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
