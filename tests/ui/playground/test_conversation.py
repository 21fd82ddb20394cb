"""A real conversation against the local OpenAI test server: answers become turns, follow-ups continue
them, a re-run from an edited turn keeps the old later turns as a branch to switch back to, and
history records each turn's conversation."""

import pytest
from PySide6.QtCore import Qt

from tests.servers.base import Script
from tests.ui.conftest import off_gui, type_prompt

pytestmark = pytest.mark.gui


def run_and_wait(qtbot, window, trigger=None):
    with qtbot.waitSignal(window.session.runFinished, timeout=10_000) as blocker:
        (trigger or window.run_action.trigger)()
    return blocker.args[0]


def sent(server) -> list[tuple[str, str]]:
    body = next(r.body for r in reversed(server.received) if r.method == "POST")
    return [(m["role"], m["content"]) for m in body["messages"]]


def turns(window) -> list[tuple[str, str]]:
    return [(m.role, m.content) for m in window.editor.messages.messages()]


def test_the_conversation_loop(qtbot, window, core, local_openai):
    local_openai.push(Script(text="Paris."), Script(text="About 2.1 million."), Script(text="Lyon."))
    type_prompt(qtbot, window, "Capital of France?")
    first = run_and_wait(qtbot, window)
    assert turns(window) == [("user", "Capital of France?"), ("assistant", "Paris."), ("user", "")]

    follow = window.editor.messages.last_editor()
    assert follow.hasFocus()
    qtbot.keyClicks(follow, "How many people live there?")
    second = run_and_wait(qtbot, window)
    assert sent(local_openai) == [
        ("user", "Capital of France?"),
        ("assistant", "Paris."),
        ("user", "How many people live there?"),
    ]
    assert turns(window)[-2:] == [("assistant", "About 2.1 million."), ("user", "")]

    # The counters cover the whole conversation, not just the last message.
    whole = core.counter.count_prompt("gpt-4o-mini", "", window.draft().request.messages).tokens
    qtbot.waitUntil(lambda: window.counters.input.text() == f"Prompt: {whole} tok", timeout=5000)
    alone = core.counter.count_prompt("gpt-4o-mini", "", window.draft().request.messages[-1:]).tokens
    assert whole > alone

    rows = off_gui(lambda: [core.history.get(r.call_id) for r in (first, second)])
    assert rows[0].conversation_id and rows[0].conversation_id == rows[1].conversation_id

    # Edit the first turn and re-run from it: the later turns make way for the new branch...
    window.editor.messages._rows[0].text.setPlainText("Second city of France?")
    third = run_and_wait(qtbot, window, lambda: window.editor.messages._rows[0].rerun.click())
    assert sent(local_openai) == [("user", "Second city of France?")]
    assert turns(window) == [("user", "Second city of France?"), ("assistant", "Lyon."), ("user", "")]
    assert off_gui(lambda: core.history.get(third.call_id)).conversation_id == rows[0].conversation_id
    first_row = window.editor.messages._rows[0]
    assert first_row.version.isVisible() and first_row.version.text() == "2/2"
    assert not first_row.next.isEnabled()

    # ...and the old branch comes back, whole, with ‹ on the edited turn; the counters follow it.
    qtbot.mouseClick(first_row.previous, Qt.MouseButton.LeftButton)
    old = [
        ("user", "Capital of France?"),
        ("assistant", "Paris."),
        ("user", "How many people live there?"),
        ("assistant", "About 2.1 million."),
        ("user", ""),
    ]
    assert turns(window) == old
    assert window.editor.messages._rows[0].version.text() == "1/2"
    assert window.output.text() == "About 2.1 million."
    qtbot.waitUntil(lambda: window.counters.input.text() == f"Prompt: {whole} tok", timeout=5000)

    # A follow-up on the old branch sends that branch, still under the same conversation id.
    local_openai.push(Script(text="Yes."))
    qtbot.keyClicks(window.editor.messages.last_editor(), "Is that the city proper?")
    fourth = run_and_wait(qtbot, window)
    assert sent(local_openai) == [t for t in old if t[1]] + [("user", "Is that the city proper?")]
    assert off_gui(lambda: core.history.get(fourth.call_id)).conversation_id == rows[0].conversation_id
    window.editor.messages._rows[0].next.click()
    assert turns(window) == [("user", "Second city of France?"), ("assistant", "Lyon."), ("user", "")]


def test_running_without_a_new_message_asks_again_and_replaces_the_answer(qtbot, window, local_openai):
    local_openai.push(Script(text="Hello!"), Script(text="Hi there!"))
    type_prompt(qtbot, window, "Hi")
    run_and_wait(qtbot, window)
    run_and_wait(qtbot, window)
    assert sent(local_openai) == [("user", "Hi")]
    assert turns(window) == [("user", "Hi"), ("assistant", "Hi there!"), ("user", "")]
    answer = window.editor.messages._rows[1]
    assert answer.version.text() == "2/2"  # the first answer is kept as a version
    answer.previous.click()
    assert turns(window) == [("user", "Hi"), ("assistant", "Hello!"), ("user", "")]
    window.undo_messages_action.trigger()  # the switch
    window.undo_messages_action.trigger()  # the answer appended
    window.undo_messages_action.trigger()  # the cut before asking again
    assert turns(window)[:2] == [("user", "Hi"), ("assistant", "Hello!")]


def test_new_conversation_starts_fresh_with_a_new_id(qtbot, window, core, local_openai):
    local_openai.push(Script(text="One."), Script(text="Two."))
    type_prompt(qtbot, window, "First")
    first = run_and_wait(qtbot, window)
    window.new_conversation_action.trigger()
    assert turns(window) == [("user", "")] and window.output.text() == ""
    type_prompt(qtbot, window, "Second")
    second = run_and_wait(qtbot, window)
    assert sent(local_openai) == [("user", "Second")]
    ids = off_gui(lambda: {core.history.get(r.call_id).conversation_id for r in (first, second)})
    assert len(ids) == 2 and None not in ids


def test_a_branched_conversation_keeps_every_turn_control_on_screen(qtbot, window, local_openai):
    """The ‹ 2/2 › of a branched turn widens its row: the message column grows to fit, nothing is cut."""
    from tests.ui.test_layout_fits import clipped

    window.resize(1280, 800)
    local_openai.push(Script(text="Paris."), Script(text="Lyon."))
    type_prompt(qtbot, window, "Capital of France?")
    run_and_wait(qtbot, window)
    window.editor.messages._rows[0].text.setPlainText("Second city of France?")
    run_and_wait(qtbot, window, lambda: window.editor.messages._rows[0].rerun.click())
    assert window.editor.messages._rows[0].version.isVisible()
    qtbot.wait(100)
    assert clipped(window) == []
