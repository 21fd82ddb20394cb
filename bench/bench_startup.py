"""Start-up against a bare PySide6 window, measured the same way in the same run (alternating):

1. first paint: process start to the first painted frame, seen from the parent (the line each process
   prints from its first paintEvent), median of 7 (3 when quick); goal ≤ 1.15x the bare window
2. window usable (model list and counters: `--smoke`'s READY, the core attached): goal ≤ 1.5x
3. idle memory: the whole app (GUI process and its stream worker) RSS, a few seconds after start
   with the default model selected, against the bare window; goal ≤ 150 MB
4. first run after launch (bench/first_run.py, against the OpenAI test server in its own process):
   click to first text of the first run against the second in the same window, the first's extra
   ≤ 150 ms; the longest GUI-thread gap from the click to the end of the first run ≤ 16 ms (the
   second's beside it; the GUI thread's own CPU time over that gap in the note)

Run: QT_QPA_PLATFORM=offscreen python -m bench.bench_startup [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.table import INFO, Figure, print_table

PY = sys.executable
ROOT = Path(__file__).resolve().parent.parent
BARE_WINDOW = r"""
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
from PySide6.QtCore import QTimer
app = QApplication(sys.argv)
class W(QMainWindow):
    done = False
    def paintEvent(self, e):
        super().paintEvent(e)
        if not self.done:
            self.done = True
            print("SMOKE OK", flush=True)
            if "--stay" not in sys.argv:
                QTimer.singleShot(0, app.quit)
w = W(); w.resize(1280, 800); w.show(); app.exec()
"""


def _marks(cmd: list[str], env: dict[str, str], until: str) -> dict[str, float]:
    """Seconds from starting ``cmd`` to each "SMOKE <WORD>" line it prints, up to ``until``."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    assert proc.stdout is not None
    marks: dict[str, float] = {}
    for line in proc.stdout:
        if line.startswith("SMOKE"):
            word = line.split()[1].rstrip(":")
            marks[word] = time.perf_counter() - start
            if word in (until, "FAILED"):
                break
    proc.stdout.close()
    proc.wait(timeout=120)
    if "FAILED" in marks or until not in marks:
        raise RuntimeError(f"{cmd} did not reach {until}: {marks}")
    return marks


def _tree_rss_mb(pid: int) -> float:
    """RSS of ``pid`` and its descendants (the GUI process and the stream worker)."""
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return total


def _idle_rss(cmd: list[str], env: dict[str, str], settle_s: float) -> float:
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    try:
        time.sleep(settle_s)
        return _tree_rss_mb(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


ADD_ENDPOINT = """
import sys
from pathlib import Path
from playground.core import build_core
from playground.llm.endpoints import Endpoint
core = build_core(Path(sys.argv[1]))
core.config.add_endpoint(Endpoint("bench", "openai", sys.argv[2], None, "openai"))
core.close()
"""
THINK_MS = 1000  # from the window being usable (counters shown) to the click: a user reading it


def _first_runs(env: dict[str, str], home: str, launches: int) -> list[list[float]]:
    """Per launch: first and second click to text, then the longest gap and its CPU ms for each run."""
    server = subprocess.Popen(
        [PY, "-m", "tests.servers.serve", "openai", "--tokens", "50"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert server.stdin is not None and server.stdout is not None
    try:
        url = server.stdout.readline().strip()
        subprocess.run([PY, "-c", ADD_ENDPOINT, home, url], env=env, cwd=ROOT, check=True)
        rows = []
        for _ in range(launches):
            cmd = [PY, "-m", "bench.first_run", "--think-ms", str(THINK_MS)]
            done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=180)
            line = next((ln for ln in done.stdout.splitlines() if ln.startswith("FIRSTRUN")), "FIRSTRUN")
            if "FAILED" in line or len(line.split()) != 7:
                raise RuntimeError(f"first run: {line} {done.stderr[-1000:]}")
            rows.append([float(v) for v in line.split()[1:]])
        return rows
    finally:
        server.stdin.close()
        server.wait(10)


def first_run_figures(rows: list[list[float]]) -> list[Figure]:
    first, second, stall1, cpu1, stall2, cpu2 = (statistics.median(col) for col in zip(*rows, strict=True))
    extra = statistics.median(r[0] - r[1] for r in rows)
    return [
        Figure("first run: click to first text (2nd run beside)", first, second, "ms", INFO),
        Figure("first run's extra over the 2nd run", extra, None, "ms", 150, ratio_goal=False),
        Figure(
            "first run: longest GUI stall (2nd run beside)",
            stall1,
            stall2,
            "ms",
            16,
            ratio_goal=False,
            note=f"GUI CPU in it {cpu1:.0f} ms (2nd: {cpu2:.0f})",
        ),
    ]


def bench(repeat: int, settle_s: float = 12.0) -> list[Figure]:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "PLAYGROUND_HOME": home, "PYTHONPATH": str(ROOT)}
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        bare_cmd = [PY, "-c", BARE_WINDOW]
        app_cmd = [PY, "-m", "ui.launcher", "--smoke"]
        _marks(app_cmd, env, "READY")  # the first start creates the database and caches bytecode
        _marks(bare_cmd, env, "OK")
        bare: list[float] = []
        paint: list[float] = []
        ready: list[float] = []
        for _ in range(repeat):
            bare.append(_marks(bare_cmd, env, "OK")["OK"])
            marks = _marks(app_cmd, env, "READY")
            paint.append(marks["OK"])
            ready.append(marks["READY"])
        b = statistics.median(bare) * 1000
        app_rss = _idle_rss([PY, "-m", "ui.launcher"], env, settle_s)
        bare_rss = _idle_rss([*bare_cmd, "--stay"], env, settle_s / 3)
        runs = _first_runs(env, home, max(1, repeat // 2))
    return [
        Figure("first paint vs bare PySide6 window, wall", statistics.median(paint) * 1000, b, "ms", 1.15),
        Figure("window usable (core attached) vs bare paint", statistics.median(ready) * 1000, b, "ms", 1.5),
        Figure("idle RSS, GUI + worker (bare window beside)", app_rss, bare_rss, "MB", 150, ratio_goal=False),
        *first_run_figures(runs),
    ]


def figures(quick: bool) -> list[Figure]:
    return bench(3 if quick else 7)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    print_table(bench(args.repeat))


if __name__ == "__main__":
    main()
