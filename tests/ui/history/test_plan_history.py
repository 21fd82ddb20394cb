"""Plan from these calls…: the filtered calls measured off the GUI thread, emitted as a PlanSeed."""

from datetime import UTC, datetime, timedelta

import pytest

from playground.plan.workload import Tokens
from tests.playground.plan.test_measure import _call
from tests.ui.conftest import off_gui
from ui.plan.plan_table import COLUMNS

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
    assert seed.workload.input == Tokens(200, 300, 200)  # nearest rank of 100, 200, 300; their average
    assert seed.source.startswith("History: 3 finished calls")


def test_plan_from_calls_shows_what_history_measured_per_model_on_the_plan_page(qtbot, window, core):
    day = datetime.now(UTC) - timedelta(days=1)

    def record() -> None:
        for ttft, duration, status in (
            (300, 900, "ok"),
            (500, 1500, "ok"),
            (700, 2500, "ok"),
            (None, 80, "error"),
        ):
            _call(core, "gpt-4o", day, status, 100, 20, ttft=ttft, duration=duration)
        core.storage.writer.flush()

    off_gui(record)
    view = window.history
    window.tabs.setCurrentWidget(view)
    qtbot.waitUntil(view.plan_button.isEnabled, timeout=5000)
    view.plan_button.click()
    qtbot.waitUntil(lambda: window.plan is not None and window.plan.data is not None, timeout=15_000)
    table = window.plan.table
    # nearest-rank medians of the answered calls (300/500/700 ms, 0.9/1.5/2.5 s); one call of four failed
    assert table.column_texts("First token") == {"openai/gpt-4o": "500 ms"}
    assert table.column_texts("Duration") == {"openai/gpt-4o": "1.5 s"}
    assert table.column_texts("Errors") == {"openai/gpt-4o": "25.0%"}
    assert not table.isColumnHidden([c for c, _ in COLUMNS].index("Errors"))
