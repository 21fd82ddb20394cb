"""The Tools section and the tool-call loop in the Playground window: tools imported from a file, the
calls shown with their check, results typed and sent, the answer after them, both rounds in History."""

import json

import pytest
from PySide6.QtCore import Qt

from tests.servers.base import Script
from tests.ui.conftest import off_gui, type_prompt

pytestmark = pytest.mark.gui

WEATHER = {
    "name": "get_weather",
    "description": "The weather in a city now.",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
}


def run_and_wait(qtbot, window, trigger):
    with qtbot.waitSignal(window.session.runFinished, timeout=10_000) as blocker:
        trigger()
    return blocker.args[0]


def import_tools(qtbot, window, tmp_path, text):
    path = tmp_path / "tools.json"
    off_gui(lambda: path.write_text(text))
    editor = window.params.tools
    editor.import_path(path)
    qtbot.waitUntil(lambda: bool(editor.note.isVisible() and editor.note.text()), timeout=5000)
    return editor


def test_import_then_a_two_round_loop(qtbot, window, local_openai, core, tmp_path):
    editor = import_tools(qtbot, window, tmp_path, json.dumps([WEATHER]))
    assert editor.note.text() == "✓ 1 tool from tools.json" and editor.list.item(0).text() == "get_weather"
    editor.choice.setCurrentIndex(editor.choice.findText("Call get_weather"))
    assert window.params.values()["tools"]["choice"] == "named"
    local_openai.push(
        Script(tool_calls=[("get_weather", '{"city": "Paris"}'), ("get_weather", '{"town": "Rome"}')])
    )
    type_prompt(qtbot, window, "Weather in Paris and Rome?")
    first = run_and_wait(qtbot, window, window.run_action.trigger)
    body = [r for r in local_openai.received if r.method == "POST"][-1].body
    assert body["tool_choice"] == {"type": "function", "function": {"name": "get_weather"}}
    view = window.output.tool_calls
    assert view.isVisible() and len(view.results) == 2 and len(first.tool_calls) == 2
    checks = [
        w.text()
        for w in view.findChildren(type(view.title))
        if w.accessibleName().startswith("Arguments check")
    ]
    assert checks[0] == "✓ arguments match the tool's schema"
    assert checks[1].startswith("✗ at $: 'city' is a required property")
    view.results[0].setPlainText("sunny, 21 °C")
    view.results[1].setPlainText("error: no city given")
    second = run_and_wait(qtbot, window, view.send_button.click)
    assert second.status == "ok" and second.text == "The tools said: sunny, 21 °C; error: no city given"
    assert window.output.text() == second.text and not view.isVisible()
    sent = [r for r in local_openai.received if r.method == "POST"][-1].body["messages"]
    assert [m["role"] for m in sent] == ["user", "assistant", "tool", "tool"]
    rows = off_gui(lambda: (core.history.flush(), core.history.conversation(first_conversation(core)))[1])
    assert len(rows) == 2 and all(r.cost_usd for r in rows)
    local_openai.push(Script(tool_calls=[("get_weather", '{"city": "Oslo"}')]))
    window.editor.messages.last_editor().setPlainText("And in Oslo?")
    run_and_wait(qtbot, window, window.run_action.trigger)
    assert [box.toPlainText() for box in view.results] == [
        "error: no city given"
    ]  # the last result, as a mock


def first_conversation(core):
    return core.history.recent(1)[0].conversation_id


def test_a_bad_tools_file_is_refused_with_its_reason(qtbot, window, tmp_path):
    editor = import_tools(qtbot, window, tmp_path, '[{"description": "no name"}]')
    assert (
        editor.note.text() == "✗ Tool 1 in the file has no name (OpenAI and Anthropic tools both need one)."
    )
    assert editor.list.count() == 0 and "tools" not in window.params.values()


def test_the_tools_section_is_keyboard_reachable_and_named(window):
    editor = window.params.tools
    for widget in (editor.list, editor.add_button, editor.import_button, editor.choice, editor.parallel):
        assert widget.accessibleName() and widget.focusPolicy() != Qt.FocusPolicy.NoFocus
