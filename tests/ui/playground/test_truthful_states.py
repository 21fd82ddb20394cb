"""States that tell the truth: fresh runs clear old errors, a stop is neutral, empty states say why."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from playground.history.calls import CallEnd, CallStart
from playground.llm.request import Request
from playground.spend.budgets import Budgets
from tests.servers.base import Script
from tests.ui.conftest import off_gui, type_prompt

pytestmark = pytest.mark.gui


def run_and_wait(qtbot, window):
    with qtbot.waitSignal(window.session.runFinished, timeout=10_000) as blocker:
        window.run_action.trigger()
    return blocker.args[0]


def test_a_new_run_clears_the_old_error(qtbot, window, core, local_openai):
    key = core.keys.get("local")
    core.keys.set("local", "sk-wrong-key-123456789")
    type_prompt(qtbot, window, "Hi")
    assert run_and_wait(qtbot, window).status == "error"
    assert window.output.error.isVisible() and window.output.is_error
    core.keys.set("local", key)
    local_openai.push(Script(text="fine now", token_delay=0.2))
    with qtbot.waitSignal(window.session.runFinished, timeout=10_000):
        window.run_action.trigger()
        assert not window.output.error.isVisible()  # gone as soon as the new run starts
    assert window.output.text() == "fine now" and not window.output.error.isVisible()


def test_stopped_is_neutral_and_keeps_what_arrived(qtbot, window, local_openai):
    local_openai.push(Script(text="one two three four five six seven eight", token_delay=0.3))
    type_prompt(qtbot, window, "Count")
    with qtbot.waitSignal(window.session.runFinished, timeout=10_000):
        window.run_action.trigger()
        qtbot.waitUntil(lambda: window.output.text().startswith("one two"), timeout=5000)
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.output.plain.toPlainText().startswith("one two")
    box = window.output.error
    assert box.isVisible() and not window.output.is_error
    assert "#d9534f" not in box.styleSheet() and "failed" not in box.text().lower()
    assert "What arrived is kept" in box.text() and "stopped" in window.output.status.text()


def test_probabilities_empty_state_says_how_to_turn_them_on(qtbot, local_anthropic, window):
    window.output.modes.button(2).click()
    text = window.output.probs.toPlainText()
    assert "Turn on Log probabilities" in text and "gpt-4o-mini supports them" in text
    window.params.row("logprobs").set_value(True)
    window.output.modes.button(0).click()
    window.output.modes.button(2).click()
    assert "Run the prompt" in window.output.probs.toPlainText()
    window.picker.select("localant", "claude-haiku-4-5")
    window.output.modes.button(0).click()
    window.output.modes.button(2).click()
    text = window.output.probs.toPlainText()
    assert "claude-haiku-4-5 does not return token probabilities" in text and "Turn on" not in text


def _spend(core, dollars: str) -> None:
    call = core.history.start_call(
        CallStart(
            Request.single("local", "gpt-4o-mini", "p"), "openai", None, {}, started_at=datetime.now(UTC)
        )
    )
    core.history.finish_call(
        call, CallEnd("ok", input_tokens=10, output_tokens=10, cost_usd=Decimal(dollars))
    )


def _asked(qtbot, window, core, monkeypatch, budget: str) -> str:
    off_gui(lambda: core.budgets.set(Budgets(daily=Decimal(budget))))
    type_prompt(qtbot, window, "Hi")
    qtbot.waitUntil(lambda: window.counters.worst.text() != "", timeout=5000)
    window.session.refresh_budget()
    qtbot.waitUntil(lambda: window.runs.budget is not None, timeout=5000)
    asked: list[str] = []
    monkeypatch.setattr(window.runs, "confirm_over_budget", lambda text: asked.append(text) or False)
    window.run()
    assert len(asked) == 1 and not window.session.running
    return asked[0]


def test_a_budget_already_crossed_is_over_not_could_cross(qtbot, window, core, monkeypatch):
    off_gui(lambda: _spend(core, "0.50"))
    text = _asked(qtbot, window, core, monkeypatch, "0.10")
    assert "daily budget of $0.10 is over already" in text and "could" not in text


def test_a_budget_not_yet_crossed_could_cross(qtbot, window, core, monkeypatch):
    off_gui(lambda: _spend(core, "0.05"))
    text = _asked(qtbot, window, core, monkeypatch, "0.0500001")
    assert "could cross the daily budget" in text and "is over" not in text


def test_run_right_after_stop_runs_once_the_stop_is_done(qtbot, window, local_openai):
    """Run pressed while a stopped answer was still ending did nothing, silently."""
    local_openai.push(Script(text="one two three four five six seven eight", token_delay=0.3))
    local_openai.push(Script(text="second answer"))
    type_prompt(qtbot, window, "Count")
    finished = []
    window.session.runFinished.connect(finished.append)
    window.run_action.trigger()
    qtbot.waitUntil(lambda: window.output.text().startswith("one two"), timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.session.stopping  # the stop is under way
    window.run_action.trigger()
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=10_000)
    assert [r.status for r in finished] == ["cancelled", "ok"]
    assert window.output.text() == "second answer"


def test_run_on_a_removed_endpoint_says_why(qtbot, window, core):
    """The endpoint in use removed in Settings: Run did nothing, with no word."""
    off_gui(lambda: core.config.remove_endpoint("local"))
    type_prompt(qtbot, window, "Hi")
    window.session.refresh_models()  # what closing Settings does
    qtbot.waitUntil(lambda: window.session.endpoint("local") is None, timeout=5000)
    window.run_action.trigger()
    assert window.output.error.isVisible()
    text = window.output.error.text()
    assert "Cannot run" in text and "no endpoint named" in text and "local" in text
