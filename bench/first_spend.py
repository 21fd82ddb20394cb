"""Inside the app: the first click on Spend after launch, as a user sees it (started by
bench/bench_spend_gui.py with PLAYGROUND_HOME at its history).

Once the core is attached and the window has been idle ``--think-ms``, it shows the Spend mode as the
rail does and measures, from the click: the page built (its modules loaded and its parts made), its
charts drawn, and the longest GUI-thread gap meanwhile (with that thread's CPU in its worst gap).
``--as-before`` does what the click did before ui/page_loader.py: the modules imported and the page
built in one go, on the GUI thread. Prints one line: "FIRSTSPEND built_ms drawn_ms stall_ms cpu_ms".
"""

from __future__ import annotations

import argparse
import sys
import time

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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--think-ms", type=int, default=1500)
    parser.add_argument("--as-before", action="store_true")
    args = parser.parse_args()
    from ui.app import run_app

    drivers: list[Driver] = []
    return run_app(on_ready=lambda window: drivers.append(Driver(window, args.think_ms, args.as_before)))


if __name__ == "__main__":
    sys.exit(main())
