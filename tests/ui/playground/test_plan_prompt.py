"""Run ▸ Plan this prompt… emits a PlanSeed of the prompt on screen (counted off the GUI thread)."""

import pytest
from PySide6.QtGui import QKeySequence

from playground.llm.request import Message
from playground.plan.workload import Tokens

pytestmark = pytest.mark.gui

SYSTEM = "cat" + " cat" * 99  # 100 tokens in o200k_base (gpt-4o-mini's encoding)


def test_plan_this_prompt_emits_the_current_model_and_the_counted_prompt(qtbot, window):
    window.editor.set_state(SYSTEM, [Message("user", "hello world")], {})
    window.params.row("max_tokens").set_value(300)
    action = window.menu.plan_action
    assert action.shortcut() == QKeySequence("Ctrl+Shift+L")
    qtbot.waitUntil(action.isEnabled, timeout=3000)
    with qtbot.waitSignal(window.menu.planRequested, timeout=10_000) as signal:
        action.trigger()
    seed = signal.args[0]
    assert seed.models == ("local/gpt-4o-mini",)
    # system 3 + 1 + 100, user 3 + 1 + 2, reply priming 3
    assert seed.workload.input == Tokens.fixed(113)
    assert seed.workload.output == Tokens.fixed(300)
    assert seed.prompt.largest.role == "system" and seed.prompt.largest.tokens == 104


def test_plan_this_prompt_opens_the_plan_page_with_the_prompt_and_its_trim_move(qtbot, window):
    window.editor.set_state(SYSTEM, [Message("user", "hello world")], {})
    window.params.row("max_tokens").set_value(300)
    qtbot.waitUntil(window.menu.plan_action.isEnabled, timeout=3000)
    window.menu.plan_action.trigger()
    qtbot.waitUntil(lambda: window.plan is not None and window.plan.data is not None, timeout=15_000)
    assert window.tabs.currentWidget() is window.plan
    data = window.plan.data
    assert [m["model"] for m in data["models"]] == ["local/gpt-4o-mini"]
    assert any(mv["name"].startswith("trim the system prompt") for mv in data["moves"])
    assert window.plan.source.text().startswith("From: ")
