"""The Output section: a schema checked as you type, samples and saved schemas, the answer shown as
formatted JSON with its check, and Compare's valid / invalid line per column."""

import json

import pytest

from playground.compare.columns import Column
from playground.llm.schema import STARTERS
from tests.servers.base import Script
from tests.ui.conftest import off_gui, type_prompt

pytestmark = pytest.mark.gui


def run_and_wait(qtbot, window):
    with qtbot.waitSignal(window.session.runFinished, timeout=10_000) as blocker:
        window.run_action.trigger()
    return blocker.args[0]


def last_post(server):
    """The last request body (model listings in the background may come after it)."""
    return [r for r in server.received if r.method == "POST"][-1].body


def test_a_pasted_schema_is_checked_off_the_gui_thread(qtbot, window, monkeypatch):
    """A schema of 200,000 properties took minutes to check: the window must stay responsive."""
    import threading

    import playground.llm.schema as schema

    checked_on = []
    real = schema.schema_problem
    monkeypatch.setattr(
        schema, "schema_problem", lambda s: (checked_on.append(threading.current_thread()), real(s))[1]
    )
    editor = window.params.output
    editor.mode.setCurrentIndex(editor.mode.findData("json_schema"))
    editor.editor.setPlainText(json.dumps(STARTERS["Person"]))
    qtbot.waitUntil(lambda: editor.problem.text() == "✓ valid JSON Schema", timeout=5000)
    assert checked_on and threading.main_thread() not in checked_on


def test_the_schema_is_checked_as_you_type(qtbot, window):
    editor = window.params.output
    editor.mode.setCurrentIndex(editor.mode.findData("json_schema"))
    assert editor.editor.isVisible()
    editor.editor.setPlainText('{"type": "object",\n "properties": {')
    qtbot.waitUntil(lambda: "not JSON" in editor.problem.text(), timeout=3000)
    assert "line 2" in editor.problem.text()
    editor.editor.setPlainText('{"type": "object", "properties": {"age": {"type": "integr"}}}')
    qtbot.waitUntil(lambda: editor.problem.text().startswith("✗ at $.properties.age.type"), timeout=5000)
    editor.editor.setPlainText(json.dumps(STARTERS["Person"]))
    qtbot.waitUntil(lambda: editor.problem.text() == "✓ valid JSON Schema", timeout=3000)
    assert window.params.values()["output"]["schema"] == STARTERS["Person"]
    editor.mode.setCurrentIndex(editor.mode.findData("text"))
    assert "output" not in window.params.values() and not editor.editor.isVisible()


def test_a_structured_answer_shows_as_formatted_json_with_its_check(qtbot, window, local_openai):
    window.params.output.set_schema(STARTERS["Person"], "person")
    type_prompt(qtbot, window, "Ada Lovelace as JSON")
    result = run_and_wait(qtbot, window)
    assert json.loads(window.output.plain.toPlainText()) == json.loads(result.text)
    assert window.output.plain.toPlainText() == json.dumps(json.loads(result.text), indent=2)
    line = window.output.schema_line
    assert line.isVisible() and line.text() == "✓ valid  ·  sent as response_format json_schema strict"
    local_openai.push(Script(text='{"name": "Ada", "age": "old", "email": "a@b.c"}'))
    run_and_wait(qtbot, window)
    assert line.text().startswith("✗ invalid at $.age: 'old' is not of type 'integer'")
    window.params.output.set_value(None)
    run_and_wait(qtbot, window)
    assert not line.isVisible()


def test_an_invalid_schema_is_refused_with_its_path(qtbot, window, local_openai):
    editor = window.params.output
    editor.set_schema({"type": "object", "required": "name"}, "bad")
    editor.strict.setChecked(False)
    type_prompt(qtbot, window, "Hi json")
    result = run_and_wait(qtbot, window)
    assert result.status == "error" and "$.required" in result.error.message
    assert window.output.error.isVisible()
    assert not [r for r in local_openai.received if r.method == "POST"]  # nothing sent


def test_schemas_are_saved_by_name_and_opened_again(qtbot, window, core):
    editor = window.params.output
    editor.set_schema(STARTERS["Sentiment"], "sentiment")
    editor.save("Review mood")
    qtbot.waitUntil(lambda: "saved as 'Review mood'" in editor.problem.text(), timeout=5000)
    saved = off_gui(lambda: json.loads((core.home / "schemas" / "Review mood.json").read_text()))
    assert saved == STARTERS["Sentiment"]
    editor.set_schema(STARTERS["Person"])
    editor._list_saved()
    qtbot.waitUntil(lambda: "Review mood" in [a.text() for a in editor.saved_menu.actions()], timeout=5000)
    editor.open_saved("Review mood")
    qtbot.waitUntil(lambda: json.loads(editor.editor.toPlainText()) == STARTERS["Sentiment"], timeout=5000)


def test_compare_columns_say_valid_or_invalid(qtbot, window, local_openai):
    window.params.output.set_schema(STARTERS["Sentiment"], "sentiment")
    window.tabs.setCurrentWidget(window.compare)
    type_prompt(qtbot, window, "The film was lovely.")
    local_openai.answer_per_model(
        {
            "gpt-4o": '{"sentiment": "positive", "confidence": 0.9}',
            "gpt-4o-mini": '{"sentiment": "glad", "confidence": 0.9}',
        }
    )
    compare = window.compare
    compare.add_column(Column("local", "gpt-4o"))
    compare.add_column(Column("local", "gpt-4o-mini"))
    with qtbot.waitSignal(window.compare_session.finished, timeout=60_000):
        window.run_action.trigger()
    lines = {c.column().model: c.schema.text() for c in compare.columns}
    assert lines["gpt-4o"].startswith("✓ valid")
    assert lines["gpt-4o-mini"].startswith("✗ invalid at $.sentiment: 'glad' is not one of")


def test_a_call_reopened_from_history_asks_for_the_same_format(qtbot, window, core, local_openai):
    window.params.output.set_schema(STARTERS["Person"], "person")
    type_prompt(qtbot, window, "Ada as JSON")
    first = run_and_wait(qtbot, window)
    sent = last_post(local_openai)["response_format"]
    window.params.output.set_value(None)
    record = off_gui(lambda: core.history.get(first.call_id))
    window.reopen_call(record)
    assert window.params.output.current_mode() == "json_schema"
    run_and_wait(qtbot, window)
    assert last_post(local_openai)["response_format"] == sent


def test_a_schema_pasted_thousands_deep_is_refused_in_one_line(qtbot, window, local_openai):
    editor = window.params.output
    editor.mode.setCurrentIndex(editor.mode.findData("json_schema"))
    editor.editor.setPlainText('{"type": "object", "properties": {"a": ' * 3000 + "{}" + "}}" * 3000)
    qtbot.waitUntil(lambda: editor.problem.text().startswith("✗ nested too deeply"), timeout=5000)
    type_prompt(qtbot, window, "Hi json")
    result = run_and_wait(qtbot, window)
    assert result.status == "error" and "nested too deeply" in result.error.message
    assert window.output.error.isVisible()
    assert not [r for r in local_openai.received if r.method == "POST"]  # nothing sent


def test_blind_compare_with_a_schema_does_not_tell_how_each_model_was_asked(
    qtbot, window, local_openai, local_anthropic
):
    """OpenAI takes response_format, Claude a forced tool or output_config: naming the way names the
    provider, so a blind column's check line and its tooltip leave it out until the vote."""
    window.params.output.set_schema(STARTERS["Sentiment"], "sentiment")
    window.tabs.setCurrentWidget(window.compare)
    type_prompt(qtbot, window, "The film was lovely.")
    compare = window.compare
    compare.add_column(Column("local", "gpt-4o-mini"))
    compare.add_column(Column("localant", "claude-sonnet-4-5"))
    compare.blind.setChecked(True)
    with qtbot.waitSignal(window.compare_session.finished, timeout=60_000):
        window.run_action.trigger()
    lines = [(c.schema.text(), c.schema.toolTip()) for c in compare.columns]
    assert all(text.startswith(("✓", "✗")) for text, _ in lines)
    assert [tip for _, tip in lines] == ["", ""]
    ways = [r.output_way for c in compare.columns for r in c.results() if r is not None]
    assert len(set(ways)) == 2  # the two ways differ: showing either would reveal the model


def test_an_answer_that_could_not_be_checked_is_neither_green_nor_red(qtbot):
    from types import SimpleNamespace

    from playground.llm.schema import Validation
    from ui.playground.schema_result import COLOURS, SchemaResultLine

    line = SchemaResultLine()
    qtbot.addWidget(line)
    line.show_result(SimpleNamespace(validation=Validation.unknown("nested too deeply"), output_way=None))
    assert line.text().startswith("? not checked")
    assert not any(colour in line.styleSheet() for colour in COLOURS.values())
    line.show_result(SimpleNamespace(validation=Validation(False, "$", "bad"), output_way=None))
    assert any(colour in line.styleSheet() for colour in COLOURS.values())


def test_a_check_still_running_at_save_does_not_hide_saved_as(qtbot, window, core, monkeypatch):
    """CI saw the check started by the edit finish after the save (its first run imports jsonschema)
    and replace "saved as" with its older verdict."""
    import time

    import ui.playground.schema_editor as schema_editor

    check = schema_editor.verdict

    def slow(text):
        time.sleep(0.5)
        return check(text)

    monkeypatch.setattr(schema_editor, "verdict", slow)
    editor = window.params.output
    editor.set_schema(STARTERS["Sentiment"], "sentiment")  # starts a check
    editor.save("Review mood")
    qtbot.waitUntil(lambda: "saved as 'Review mood'" in editor.problem.text(), timeout=5000)
    qtbot.wait(800)  # the check has finished by now
    assert "saved as 'Review mood'" in editor.problem.text()
