"""Tools in Compare: every column gets the same tools, shows the calls it made with their check, and the
same mocked results go back to every column that called a tool, so the whole round trip compares."""

import json

import pytest

from playground.compare.columns import Column
from tests.servers.base import Script
from tests.ui.conftest import off_gui, type_prompt
from ui.compare.mock_dialog import MockResultsDialog

pytestmark = pytest.mark.gui

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "The weather in a city now.",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}


@pytest.fixture
def compare(local_openai, local_anthropic, window, qtbot, tmp_path):
    path = tmp_path / "tools.json"
    off_gui(lambda: path.write_text(json.dumps([WEATHER])))
    window.params.tools.import_path(path)
    qtbot.waitUntil(lambda: window.params.tools.list.count() == 1, timeout=5000)
    window.tabs.setCurrentWidget(window.compare)
    type_prompt(qtbot, window, "Weather in Paris?")
    window.compare.add_column(Column("local", "gpt-4o"))
    window.compare.add_column(Column("localant", "claude-haiku-4-5"))
    return window.compare


def answer_with(monkeypatch, mocks: dict[str, str], seen: list) -> None:
    """The dialog, filled in and sent as a user would (its own check runs)."""

    def exec_(self) -> int:
        seen.append(sorted(self.boxes))
        for name, text in mocks.items():
            self.boxes[name].setPlainText(text)
        self._check()
        return self.result()

    monkeypatch.setattr(MockResultsDialog, "exec", exec_)


def posts(server):
    return [r.body for r in server.received if r.method == "POST"]


def test_mocked_results_go_to_every_column_that_called_a_tool(
    qtbot, window, compare, local_openai, local_anthropic, core, monkeypatch
):
    local_openai.push(Script(tool_calls=[("get_weather", '{"city": "Paris"}')]))
    local_anthropic.push(Script(tool_calls=[("get_weather", '{"town": "Paris"}')]))
    with qtbot.waitSignal(window.compare_session.finished, timeout=60_000):
        window.run_action.trigger()
    gpt, claude = compare.columns
    assert gpt.calls.text() == 'Called get_weather({"city": "Paris"}) ✓'
    assert claude.calls.text().startswith('Called get_weather({"town": "Paris"}) ✗ invalid at $')
    assert posts(local_openai)[-1]["tools"][0]["function"]["name"] == "get_weather"
    assert posts(local_anthropic)[-1]["tools"][0]["name"] == "get_weather"  # the same tools in each column
    assert compare.toolbar.results_button.isVisible()

    seen: list = []
    answer_with(monkeypatch, {"get_weather": "sunny, 21 °C"}, seen)
    with qtbot.waitSignal(window.compare_session.finished, timeout=30_000):
        compare.toolbar.results_button.click()
    assert seen == [["get_weather"]]  # one box per tool, not per call
    for column in (gpt, claude):
        assert column.answer().endswith("── tool results sent · round 2 ──\nThe tools said: sunny, 21 °C")
        assert "done" in column.status.text() and not column.calls.isVisible()
    assert [m["role"] for m in posts(local_openai)[-1]["messages"]] == ["user", "assistant", "tool"]
    last = posts(local_anthropic)[-1]["messages"]
    assert [b["type"] for b in last[-1]["content"]] == ["tool_result"]
    assert last[-1]["content"][0]["content"] == "sunny, 21 °C"
    assert not compare.toolbar.results_button.isVisible()
    rows = off_gui(lambda: (core.history.flush(), core.history.group(window.compare_session.group_id))[1])
    assert len(rows) == 4 and all(r.status == "ok" for r in rows)  # both rounds, one comparison


def test_only_the_columns_that_called_a_tool_go_on(
    qtbot, window, compare, local_openai, local_anthropic, monkeypatch
):
    local_openai.push(Script(tool_calls=[("get_weather", '{"city": "Paris"}')]))
    local_anthropic.push(Script(text="I cannot check the weather."))
    with qtbot.waitSignal(window.compare_session.finished, timeout=60_000):
        window.run_action.trigger()
    claude_posts = len(posts(local_anthropic))
    answer_with(monkeypatch, {"get_weather": "rain"}, [])
    with qtbot.waitSignal(window.compare_session.finished, timeout=30_000):
        compare.toolbar.results_button.click()
    assert compare.columns[0].answer().endswith("The tools said: rain")
    assert compare.columns[1].answer() == "I cannot check the weather."
    assert len(posts(local_anthropic)) == claude_posts


def test_an_empty_result_is_asked_for_and_nothing_is_sent(qtbot):
    from playground.compare.tool_round import CalledTool

    dialog = MockResultsDialog(
        [CalledTool("get_weather", 2, 1), CalledTool("lookup", 1, 1)], {"lookup": "42"}
    )
    qtbot.addWidget(dialog)
    dialog._check()
    assert (
        not dialog.result()
        and "get_weather" in dialog.problem.text()
        and "lookup" not in dialog.problem.text()
    )
    assert dialog.boxes["lookup"].toPlainText() == "42"  # the last result typed for it
