"""A conversation opened whole from History, and saved to / opened from a JSON file, against the local
OpenAI test server: turns in order, the branches, the model and the parameters come back."""

import json

import pytest
from PySide6.QtWidgets import QFileDialog

from tests.servers.base import Script
from tests.ui.conftest import off_gui, type_prompt
from tests.ui.playground.test_conversation import run_and_wait, turns

pytestmark = pytest.mark.gui

OLD = [
    ("user", "Capital of France?"),
    ("assistant", "Paris."),
    ("user", "Population?"),
    ("assistant", "2.1 M."),
]
NEW = [("user", "Second city?"), ("assistant", "Lyon.")]


def branched_conversation(qtbot, window, local_openai):
    """Two turns, then the first edited and run again: a branch; returns the calls' results."""
    local_openai.push(Script(text="Paris."), Script(text="2.1 M."), Script(text="Lyon."))
    window.editor.system.setPlainText("Be brief.")
    window.params.row("temperature").set_value(0.3)
    type_prompt(qtbot, window, "Capital of France?")
    first = run_and_wait(qtbot, window)
    qtbot.keyClicks(window.editor.messages.last_editor(), "Population?")
    second = run_and_wait(qtbot, window)
    window.editor.messages._rows[0].text.setPlainText("Second city?")
    third = run_and_wait(qtbot, window, lambda: window.editor.messages._rows[0].rerun.click())
    assert turns(window) == [*NEW, ("user", "")]
    return first, second, third


def forget(window):
    """Start afresh with other settings, so what comes back can only come from what was opened."""
    window.new_conversation_action.trigger()
    window.editor.system.setPlainText("")
    window.params.reset()
    assert turns(window) == [("user", "")]


def test_history_reopens_the_conversation_on_the_branch_of_the_chosen_call(qtbot, window, local_openai):
    _, second, _ = branched_conversation(qtbot, window, local_openai)
    forget(window)
    view = window.history
    window.show_mode("History")
    qtbot.waitUntil(lambda: view.model_.rowCount() == 3, timeout=5000)  # read in the background
    view.table.selectRow([view.model_.row(i).id for i in range(3)].index(second.call_id))
    assert view.conversation_button.isEnabled()
    with qtbot.waitSignal(window.runs.files.opened, timeout=5000):  # the SQL runs off the GUI thread
        view.conversation_button.click()
    assert window.tabs.currentIndex() == 0
    assert turns(window) == [*OLD, ("user", "")]
    assert window.editor.system.toPlainText() == "Be brief."
    assert window.picker.current() == ("local", "gpt-4o-mini")
    assert window.params.values()["temperature"] == 0.3
    first_row = window.editor.messages._rows[0]
    assert first_row.version.text() == "1/2"
    first_row.next.click()
    assert turns(window) == [*NEW, ("user", "")]

    # Continuing sends the reopened branch and records the turn under the same conversation.
    local_openai.push(Script(text="On the Rhône."))
    qtbot.keyClicks(window.editor.messages.last_editor(), "Where?")
    run_and_wait(qtbot, window)
    body = next(r.body for r in reversed(local_openai.received) if r.method == "POST")
    assert [(m["role"], m["content"]) for m in body["messages"]] == [
        ("system", "Be brief."),
        *NEW,
        ("user", "Where?"),
    ]
    assert body["temperature"] == 0.3


def test_save_and_open_a_conversation_file(qtbot, window, local_openai, tmp_path, monkeypatch):
    branched_conversation(qtbot, window, local_openai)
    window.editor.messages._rows[0].previous.click()  # the old branch is the one shown when saved
    qtbot.keyClicks(window.editor.messages.last_editor(), "And Lyon?")  # a draft is kept too
    path = tmp_path / "trip.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    assert window.menu.save_conversation_action.shortcut().toString() == "Ctrl+S"
    with qtbot.waitSignal(window.runs.files.saved, timeout=5000):  # written off the GUI thread
        window.menu.save_conversation_action.trigger()
    text = path.read_text()
    assert local_openai.api_key not in text
    data = json.loads(text)
    assert data["model"] == "gpt-4o-mini" and data["endpoint"]["name"] == "local"
    assert data["params"] == window.params.values() and data["params"]["temperature"] == 0.3

    forget(window)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    assert window.menu.open_conversation_action.shortcut().toString() == "Ctrl+O"
    with qtbot.waitSignal(window.runs.files.opened, timeout=5000):
        window.menu.open_conversation_action.trigger()
    assert turns(window) == [*OLD, ("user", "And Lyon?"), ("user", "")]
    assert window.editor.system.toPlainText() == "Be brief."
    assert window.params.values()["temperature"] == 0.3
    window.editor.messages._rows[0].next.click()
    assert turns(window) == [*NEW, ("user", "")]
    assert "trip.json" in window.statusBar().currentMessage()


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("[1, 2", "is not JSON"),
        ('{"calls": [], "version": 1}', "not an LLM Playground conversation"),
    ],
)
def test_a_bad_file_says_why_and_changes_nothing(qtbot, window, local_openai, tmp_path, content, says):
    local_openai.push(Script(text="Hello!"))
    type_prompt(qtbot, window, "Hi")
    run_and_wait(qtbot, window)
    before = turns(window)
    path = tmp_path / "other.json"
    path.write_text(content)
    with qtbot.waitSignal(window.runs.files.failed, timeout=5000) as failed:
        window.runs.files.open(path)
    assert failed.args[0].startswith("Could not open other.json:") and says in failed.args[0]
    assert says in window.statusBar().currentMessage()
    assert turns(window) == before
    assert window.picker.current() == ("local", "gpt-4o-mini")


def test_a_call_without_a_conversation_opens_as_its_own_turns(qtbot, window, core, local_openai):
    """Calls from before conversations (or imported ones) carry no id: their own turns and answer open."""
    from playground.history.calls import CallEnd, CallStart
    from playground.llm.request import Message, Request

    request = Request(
        "local",
        "gpt-4o-mini",
        (Message("user", "Hi"), Message("assistant", "Hello!"), Message("user", "Bye")),
    )

    def record() -> None:
        call = core.history.start_call(CallStart(request, "openai", None, {"temperature": 0.5}))
        core.history.finish_call(call, CallEnd("ok", output="Goodbye!"))

    off_gui(record)
    view = window.history
    window.history.refresh()
    qtbot.waitUntil(lambda: view.model_.rowCount() == 1, timeout=5000)
    view.table.selectRow(0)
    with qtbot.waitSignal(window.runs.files.opened, timeout=5000):
        view.conversation_button.click()
    assert turns(window) == [
        ("user", "Hi"),
        ("assistant", "Hello!"),
        ("user", "Bye"),
        ("assistant", "Goodbye!"),
        ("user", ""),
    ]
    assert window.params.values()["temperature"] == 0.5
    assert window.conversation.id is None  # continuing starts a conversation of its own
