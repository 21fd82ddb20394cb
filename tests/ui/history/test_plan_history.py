"""Plan from these calls…: the filtered calls measured off the GUI thread, emitted as a PlanSeed."""

from datetime import UTC, datetime, timedelta

import pytest

from playground.plan.workload import Tokens
from tests.playground.plan.test_measure import _call
from tests.ui.conftest import off_gui

pytestmark = pytest.mark.gui


def test_plan_from_the_filtered_calls(qtbot, window, core):
    day = datetime.now(UTC) - timedelta(days=1)

    def record() -> None:
        for tin in (100, 200, 300):
            _call(core, "gpt-4o", day, "ok", tin, 20)
        _call(core, "o4-mini", day, "ok", 5000, 20)  # filtered out below
        core.storage.writer.flush()

    off_gui(record)
    view = window.history
    window.tabs.setCurrentWidget(view)
    view.reload_choices()
    qtbot.waitUntil(lambda: view.model.findText("gpt-4o") >= 0, timeout=3000)  # the menus read late
    view.model.setCurrentIndex(view.model.findText("gpt-4o"))
    with qtbot.waitSignal(view.planRequested, timeout=5000) as signal:
        view.plan_button.click()
    seed = signal.args[0]
    assert seed.models == ("openai/gpt-4o",)
    assert seed.workload.input == Tokens(200, 300)  # nearest rank of 100, 200, 300
    assert seed.source.startswith("History: 3 finished calls")
