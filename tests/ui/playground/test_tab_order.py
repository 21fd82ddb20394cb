"""Tab walks the Playground as it reads: the system prompt, each message in its place (its role, then
its text), "Add message", then the answer and the parameters; rows made later (an opened conversation)
included. Before, those rows came after every parameter: the message box was ~35 Tabs away."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from playground.llm.request import Message

pytestmark = pytest.mark.gui


def tab_walk(qtbot, start, presses: int) -> list:
    start.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start, timeout=2000)
    seen = []
    for _ in range(presses):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    return seen


def test_tab_reaches_each_message_in_order_after_the_system_prompt(qtbot, window):
    window.activateWindow()
    messages = window.editor.messages
    messages.replace([Message("user", "hi"), Message("assistant", "hello"), Message("user", "again")])
    qtbot.wait(50)  # rows are chained once the change is done
    rows = messages._rows
    seen = tab_walk(qtbot, window.editor.system, 25)
    assert seen[0] is rows[0].role and seen[1] is rows[0].text  # the first message box: two Tabs
    texts = [seen.index(row.text) for row in rows]
    roles = [seen.index(row.role) for row in rows]
    assert texts == sorted(texts) and roles == sorted(roles) and roles[1] > texts[0]
    assert messages.add_button in seen and seen.index(messages.add_button) > texts[-1]


def test_a_moved_message_moves_in_the_tab_order(qtbot, window):
    window.activateWindow()
    messages = window.editor.messages
    messages.replace([Message("user", "one"), Message("assistant", "two")])
    qtbot.wait(50)
    first, second = messages._rows
    messages._move(second, -1)
    seen = tab_walk(qtbot, window.editor.system, 20)
    assert seen.index(second.text) < seen.index(first.text)
