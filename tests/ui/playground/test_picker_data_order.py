"""The picker's first read of favourites and recents can finish after the user has already run a
model (the pool is busy at start): the older read must not wipe the newer recents."""

from types import SimpleNamespace

import pytest

from tests.ui.conftest import off_gui
from ui.playground.picker_data import PickerData

pytestmark = pytest.mark.gui


class HeldPool:
    """Runs submitted work only when the test says, in the order it says (a busy pool at start)."""

    def __init__(self):
        self.jobs = []

    def submit(self, work, done, failed=None):
        self.jobs.append((work, done))
        return object()

    def work(self, index):
        """Do job ``index``'s work now (on another thread, as the pool does); its answer comes later."""
        work, done = self.jobs[index]
        result = off_gui(work)
        return lambda: done(result)


def test_a_slow_first_read_does_not_wipe_a_model_just_used(qtbot, core):
    pool = HeldPool()
    session = SimpleNamespace(core=core, background=pool, coreReady=SimpleNamespace(connect=lambda _: None))
    data = PickerData(session)  # submits the first read, held
    read_answer = pool.work(0)  # the first read is done on the pool, its answer not yet delivered
    data.used(("local", "gpt-4o-mini"))  # a run meanwhile: shown at once, written next
    pool.work(1)()  # the write lands and is answered
    assert data.prefs.recents[0] == ("local", "gpt-4o-mini")
    read_answer()  # then the older read's answer arrives
    assert data.prefs.recents[:1] == (("local", "gpt-4o-mini"),)
