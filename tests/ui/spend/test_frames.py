"""Charts drawn one per frame: each step on its own turn of the event loop, and a newer answer drops
the steps an older one had left (a slow frame never paints stale charts over fresh ones)."""

import pytest
from PySide6.QtCore import QTimer

from ui.spend.frames import Frames

pytestmark = pytest.mark.gui


def test_each_step_runs_on_a_later_turn_and_a_new_run_drops_the_old_steps(qtbot):
    frames = Frames()
    done: list[str] = []
    turns: list[int] = []  # how many event-loop turns (a 0 ms timer) had passed at each step
    ticks = [0]
    ticker = QTimer()
    ticker.setInterval(0)
    ticker.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    ticker.start()

    def step(name: str):
        return lambda: (done.append(name), turns.append(ticks[0]))

    frames.run([step("old 1"), step("old 2"), step("old 3")])
    assert done == ["old 1"] and frames.busy  # the first step at once, the rest later
    frames.run([step("new 1"), step("new 2")])
    qtbot.waitUntil(lambda: not frames.busy, timeout=2000)
    ticker.stop()
    assert done == ["old 1", "new 1", "new 2"]
    assert turns[-1] > turns[-2]  # not in the same turn: the paint of one chart comes between
