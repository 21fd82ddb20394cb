"""The Plan page's fixtures: a shown page on the test core whose dialogs answer from a list, and a guard
that every saved-workload file operation runs off the GUI thread."""

from __future__ import annotations

import threading

import pytest

from playground.plan.saved import SavedWorkloads
from ui.common.background import Background
from ui.plan.page import PlanPage

WAIT = 20_000


@pytest.fixture(autouse=True)
def files_off_gui(monkeypatch):
    """Every saved-workload file operation must run off the GUI (main) thread."""
    for name in ("names", "load", "save", "delete"):
        real = getattr(SavedWorkloads, name)

        def guarded(self, *args, _real=real, _name=name, **kwargs):
            assert threading.current_thread() is not threading.main_thread(), f"{_name} on the GUI thread"
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(SavedWorkloads, name, guarded)


@pytest.fixture
def answers():
    return {"names": [], "paths": []}


@pytest.fixture
def page(qtbot, core, answers):
    background = Background()
    made = PlanPage(
        background,
        ask_name=lambda parent, current: answers["names"].pop(0),
        ask_path=lambda parent, kind, suffix, pattern: answers["paths"].pop(0),
    )
    qtbot.addWidget(made)
    made.resize(1280, 760)
    made.show()
    with qtbot.waitSignal(made.planShown, timeout=WAIT):
        made.set_core(core)
    yield made
    background.shutdown()
