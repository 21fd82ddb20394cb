"""`playground --smoke` with PLAYGROUND_SMOKE=modes: once the core is ready, open each mode in turn
and wait for Spend to draw its charts of the recorded calls, printing one line per mode, then quit.
The installer runs it from the bundle (offscreen), so Spend's pyqtgraph and numpy really load there."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from PySide6.QtCore import QTimer

from ui.actions import MODES

MODES_ENV = "PLAYGROUND_SMOKE"  # "modes": walk the modes after the core is ready
SHOTS_ENV = "PLAYGROUND_SMOKE_SHOTS"  # a folder: save each mode's window there as <mode>.png
SPEND_TIMEOUT_S = 60.0
POLL_MS = 50


def wanted() -> bool:
    return os.environ.get(MODES_ENV) == "modes"


def walk_modes(window, done: Callable[[int], object]) -> None:
    """Show each mode (Spend: until its charts are drawn); ``done(0)`` after the last, ``done(1)``
    with a SMOKE FAILED line as soon as one does not open."""
    names = [name for name, _ in MODES]
    deadline = time.monotonic() + SPEND_TIMEOUT_S

    def step(i: int) -> None:
        try:
            open_mode(i)
        except Exception as exc:  # a bug in a page: fail now, with its cause, not at the core's deadline
            print(f"SMOKE FAILED: the {names[i]} mode raised {type(exc).__name__}: {exc}", flush=True)
            done(1)

    def open_mode(i: int) -> None:
        if i == len(names):
            done(0)
            return
        window.show_mode(names[i])
        built(i)

    def built(i: int) -> None:
        """The mode's page is built (Spend, Plan and Evaluate load their modules in the background)."""
        name = names[i]
        problem = window.tabs.load_problem()
        if window.tabs.currentIndex() != i:
            print(f"SMOKE FAILED: the {name} mode did not open", flush=True)
            done(1)
        elif problem:
            print(f"SMOKE FAILED: {problem}", flush=True)
            done(1)
        elif window.tabs.is_placeholder(window.tabs.currentWidget()):
            if time.monotonic() > deadline:
                print(
                    f"SMOKE FAILED: the {name} mode was not built within {SPEND_TIMEOUT_S:.0f} s", flush=True
                )
                done(1)
            else:
                QTimer.singleShot(POLL_MS, lambda: built(i))
        elif name == "Spend":
            QTimer.singleShot(POLL_MS, lambda: spend_drawn(i))
        else:
            shown(i, name)

    def spend_drawn(i: int) -> None:
        spend = window.spend
        if spend.data is None or spend.drawing:
            if time.monotonic() > deadline:
                print(f"SMOKE FAILED: Spend drew no charts within {SPEND_TIMEOUT_S:.0f} s", flush=True)
                done(1)
            else:
                QTimer.singleShot(POLL_MS, lambda: spend_drawn(i))
            return
        cards = spend.data.cards
        print(
            f"SMOKE SPEND calls={cards.calls} priced={cards.spend.priced} unpriced={cards.spend.unpriced} "
            f"bars={len(spend.bar_items)} steps={window.tabs.spend_steps}",
            flush=True,
        )
        shown(i, "Spend")

    def shown(i: int, name: str) -> None:
        if os.environ.get(SHOTS_ENV):
            window.grab().save(os.path.join(os.environ[SHOTS_ENV], f"{name}.png"))
        print(f"SMOKE MODE {name}", flush=True)
        QTimer.singleShot(0, lambda: step(i + 1))

    step(0)
