"""What `python -m bench` prints: one row per figure, ours beside a baseline measured in the same run.

Machines here are shared and noisy, so figures are medians of runs that alternate ours and the
baseline, and a process's cost is its CPU time (user + system) unless a row says wall time."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

INFO = float("inf")  # a Figure's limit when the row only informs


@dataclass(frozen=True)
class Figure:
    """One row. ``limit`` is the goal: a ratio (``ratio=True``) or an absolute bound on ``ours``."""

    name: str
    ours: float
    baseline: float | None
    unit: str
    limit: float
    ratio_goal: bool = True
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.ours / self.baseline if self.baseline else None

    @property
    def info(self) -> bool:
        """Shown beside a goal, with no goal of its own."""
        return self.limit == INFO

    @property
    def goal(self) -> str:
        if self.info:
            return "—"
        return f"≤ {self.limit:g}x" if self.ratio_goal else f"≤ {self.limit:g} {self.unit}"

    @property
    def passed(self) -> bool:
        value = self.ratio if self.ratio_goal else self.ours
        return self.info or (value is not None and value <= self.limit)


@dataclass(frozen=True)
class ProcessCost:
    cpu_s: float
    wall_s: float
    peak_rss_mb: float
    stdout: bytes


def run_process(cmd: Sequence[str], env: Mapping[str, str] | None = None, stdin: bytes = b"") -> ProcessCost:
    """Start ``cmd`` and wait for it: its own CPU time and peak RSS (wait4), and the wall time."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd), env=dict(env) if env is not None else None, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(stdin)
    proc.stdin.close()
    out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)  # reaped here, so its own rusage is ours to read
    wall = time.perf_counter() - start
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    proc.stdout.close()
    if code:
        raise RuntimeError(f"{' '.join(cmd)} exited {code}: {out[-500:]!r}")
    return ProcessCost(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024, out)


def alternate(
    ours: Callable[[], ProcessCost], base: Callable[[], ProcessCost], repeat: int
) -> tuple[list[ProcessCost], list[ProcessCost]]:
    """Run both ``repeat`` times, alternating, after one warm-up each (caches, first database)."""
    ours(), base()
    a: list[ProcessCost] = []
    b: list[ProcessCost] = []
    for _ in range(repeat):
        a.append(ours())
        b.append(base())
    return a, b


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def print_table(figures: Sequence[Figure]) -> None:
    head = f"{'figure':<44} {'ours':>10} {'baseline':>10} {'ratio':>7} {'goal':>12}  result"
    print(head)
    print("-" * len(head))
    for f in figures:
        base = "—" if f.baseline is None else f"{f.baseline:.3g}"
        ratio = "—" if f.ratio is None else f"{f.ratio:.2f}x"
        line = f"{f.name + ' (' + f.unit + ')':<44} {f.ours:>10.3g} {base:>10} {ratio:>7} {f.goal:>12}  "
        verdict = "info" if f.info else "pass" if f.passed else "FAIL"
        print(line + verdict + (f"  {f.note}" if f.note else ""))
