"""A long (2,000-turn) conversation shows at once (its last turns as rows, the earlier ones on demand) and
reads, re-runs, branches, cuts and moves exactly as if every turn had its row."""

import pytest

from playground.llm.conversation import Choice
from playground.llm.request import Message
from ui.playground.message_list import SHOWN, MessageList

pytestmark = pytest.mark.gui

N = 3 * SHOWN + 50  # 2,000 took ~13 s to show before; the tests build every row, so fewer
TURNS = [Message("user" if i % 2 == 0 else "assistant", f"turn {i}") for i in range(N)]


@pytest.fixture
def messages(qtbot):
    widget = MessageList()
    qtbot.addWidget(widget)
    widget.resize(420, 700)
    widget.show()
    widget.set_messages(TURNS)
    return widget


def test_only_the_last_turns_get_rows_and_every_turn_is_still_sent(messages):
    assert messages.messages() == TURNS
    assert len(messages._rows) == SHOWN and messages._rows[0].message() == TURNS[-SHOWN]
    assert messages.earlier_button.isVisible()
    assert messages.earlier_button.text() == f"Show {SHOWN} earlier messages (of {N - SHOWN:,})"


def test_show_earlier_builds_the_turns_above_in_order(qtbot, messages):
    messages.earlier_button.click()
    assert len(messages._rows) == 2 * SHOWN and messages._rows[0].message() == TURNS[-2 * SHOWN]
    assert messages.messages() == TURNS
    while messages.earlier_button.isVisible():
        messages.earlier_button.click()
    assert [r.message() for r in messages._rows] == TURNS


def test_rerun_and_branch_name_the_turn_in_the_whole_conversation(qtbot, messages):
    first = messages._rows[0]
    with qtbot.waitSignal(messages.rerunRequested) as rerun:
        first.rerun.click()
    assert rerun.args == [N - SHOWN]
    choices = [None] * N
    choices[5] = Choice(1, 3)  # an unbuilt turn keeps its "‹ 2/3 ›" for when its row is built
    choices[-1] = Choice(0, 2)
    messages.show_choices(choices)
    assert messages._rows[-1].version.text() == "1/2"
    while messages.earlier_button.isVisible():
        messages.earlier_button.click()
    assert messages._rows[5].version.text() == "2/3" and not messages._rows[4].version.isVisibleTo(messages)


def test_cut_and_move_across_the_unbuilt_turns_keep_the_conversation(messages):
    messages.cut_after(10)
    assert messages.messages() == TURNS[:11]
    messages.undo()
    assert messages.messages() == TURNS
    first = messages._rows[0]
    first.moveRequested.emit(first, -1)
    want = [
        *TURNS[: N - SHOWN - 1],
        TURNS[N - SHOWN],
        TURNS[N - SHOWN - 1],
        *TURNS[N - SHOWN + 1 :],
    ]
    assert messages.messages() == want
