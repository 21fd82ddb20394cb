"""Inside the app: the first click on Spend after launch, as a user sees it (started by
bench/bench_spend_gui.py with PLAYGROUND_HOME at its history).

Once the core is attached and the window has been idle ``--think-ms``, it shows the Spend mode as the
rail does and measures, from the click: the page built (its modules loaded and its parts made), its
charts drawn, and the longest GUI-thread gap meanwhile (with that thread's CPU in its worst gap).
``--as-before`` does what the click did before ui/page_loader.py: the modules imported and the page
built in one go, on the GUI thread. Prints one line: "FIRSTSPEND built_ms drawn_ms stall_ms cpu_ms";
with FIRSTSPEND_TRACE=1, also each step's GUI-thread CPU on stderr (bench/step_trace.py).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

TIMEOUT_S = 60.0


class Driver:
    def __init__(self, window, think_ms: int, as_before: bool):
        from PySide6.QtCore import QTimer

        from bench.heartbeat import Heartbeat

        self.window = window
        self.as_before = as_before
        self.beat = Heartbeat(window)
        self.clicked = 0.0
        self.built_ms = 0.0
        QTimer.singleShot(think_ms, self._click)

    def _click(self) -> None:
        self.beat.start()
        self.clicked = time.perf_counter()
        if self.as_before:
            self._build_in_one_go()
        else:
            self.window.show_mode("Spend")
        self._poll()

    def _build_in_one_go(self) -> None:
        """The click as it was: imports and the whole page on the GUI thread, then shown."""
        from ui.spend.bills_panel import BillsPanel
        from ui.spend.view import SpendView

        tabs = self.window.tabs
        background, core = tabs._session.background, tabs._session.core
        spend = SpendView(background)
        bills = BillsPanel(background)
        spend.add_section("Provider bill", bills)
        spend.rangeShown.connect(bills.set_range)
        spend.report_sections.append(bills.report_section)
        bills.set_core(core)
        tabs._spend_built(spend)
        tabs.setCurrentWidget(spend)

    def _poll(self) -> None:
        from PySide6.QtCore import QTimer

        spend = self.window.spend
        elapsed = (time.perf_counter() - self.clicked) * 1000
        if spend is not None and not self.built_ms:
            self.built_ms = elapsed
        if spend is not None and spend.data is not None and not spend.drawing:
            self.beat.stop()
            print(
                f"FIRSTSPEND {self.built_ms:.1f} {elapsed:.1f} {self.beat.longest_ms:.1f}"
                f" {self.beat.longest_cpu_ms:.1f}",
                flush=True,
            )
            QTimer.singleShot(0, self._quit)
        elif elapsed > TIMEOUT_S * 1000:
            print("FIRSTSPEND FAILED: no charts", flush=True)
            QTimer.singleShot(0, self._quit)
        else:
            QTimer.singleShot(5, self._poll)

    def _quit(self) -> None:
        from PySide6.QtWidgets import QApplication

        QApplication.quit()


def first_clicks(home: Path, launches: int) -> dict[bool, list[list[float]]]:
    """The first click on Spend in the app (bench/first_spend.py), ``launches`` times each way,
    alternating: now, and as before ui/page_loader.py (imports and the page in one go on the GUI
    thread). Per launch: [page built ms, charts drawn ms, longest GUI stall ms, its CPU ms]."""
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PLAYGROUND_HOME": str(home), "PYTHONPATH": str(root)}
    # As on a user's machine: compiled bytecode is cached (the first, unmeasured, launch writes it).
    # Without it every module of ours is compiled at import, on whichever thread imports it, holding
    # the GIL: 20-40 ms stalls that no installed app has.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    rows: dict[bool, list[list[float]]] = {False: [], True: []}
    for launch in range(launches + 1):
        for as_before in (False, True):
            cmd = [sys.executable, "-m", "bench.first_spend", *(["--as-before"] if as_before else [])]
            done = subprocess.run(cmd, env=env, cwd=root, capture_output=True, text=True, timeout=180)
            line = next((ln for ln in done.stdout.splitlines() if ln.startswith("FIRSTSPEND")), "")
            if done.returncode != 0 or len(line.split()) != 5:
                raise RuntimeError(
                    f"first Spend click (exit {done.returncode}): {line} {done.stderr[-2000:]}"
                )
            if launch > 0:
                rows[as_before].append([float(v) for v in line.split()[1:]])
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--think-ms", type=int, default=1500)
    parser.add_argument("--as-before", action="store_true")
    args = parser.parse_args()
    from ui.app import run_app

    tracing = bool(os.environ.get("FIRSTSPEND_TRACE"))
    if tracing:
        from bench import step_trace

        step_trace.install()
    drivers: list[Driver] = []
    code = run_app(on_ready=lambda window: drivers.append(Driver(window, args.think_ms, args.as_before)))
    if tracing:
        step_trace.report()
    return code


if __name__ == "__main__":
    sys.exit(main())
