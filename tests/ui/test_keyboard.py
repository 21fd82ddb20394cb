"""Keyboard: shortcuts that do not steal editor keys, both Enter keys run, F1 lists shortcuts, names."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from tests.servers.base import Script
from tests.ui.conftest import show_built, type_prompt
from ui.main_window import MODES

pytestmark = pytest.mark.gui
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def test_ctrl_shift_z_is_redo_inside_a_text_field_and_message_undo_outside(qtbot, window):
    type_prompt(qtbot, window, "abc")
    window.add_message_action.trigger()
    assert len(window.editor.messages.messages()) == 2
    editor = window.editor.messages.first_editor()
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)
    assert editor.toPlainText() == ""
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL | SHIFT)
    assert editor.toPlainText() == "abc"  # the text's redo ...
    assert len(window.editor.messages.messages()) == 2  # ... and the added message is still there
    window.editor.system.setFocus()
    qtbot.keyClicks(window.editor.system, "be kind")
    qtbot.keyClick(window.editor.system, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(window.editor.system, Qt.Key.Key_Z, CTRL | SHIFT)
    assert window.editor.system.toPlainText() == "be kind"
    assert len(window.editor.messages.messages()) == 2
    window.rail.setFocus()  # outside any text field the same keys undo the message change
    qtbot.keyClick(window.rail, Qt.Key.Key_Z, CTRL | SHIFT)
    assert len(window.editor.messages.messages()) == 1


def test_ctrl_alt_z_undoes_a_message_change_from_inside_a_message_box(qtbot, window):
    """The focus is mostly in a message box, where Ctrl+Shift+Z is the text's redo (new-user tour)."""
    type_prompt(qtbot, window, "abc")
    window.add_message_action.trigger()
    editor = window.editor.messages.first_editor()
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.AltModifier)
    assert len(window.editor.messages.messages()) == 1 and editor.toPlainText() == "abc"


@pytest.mark.parametrize(
    "key, modifiers",
    [(Qt.Key.Key_Return, CTRL), (Qt.Key.Key_Enter, CTRL | Qt.KeyboardModifier.KeypadModifier)],
    ids=["ctrl-return", "ctrl-keypad-enter"],
)
def test_ctrl_enter_and_keypad_enter_both_run(qtbot, window, local_openai, key, modifiers):
    local_openai.push(Script(text="ran"))
    type_prompt(qtbot, window, "Hi")
    editor = window.editor.messages.first_editor()
    with qtbot.waitSignal(window.session.runFinished, timeout=10_000):
        qtbot.keyClick(editor, key, modifiers)
    assert window.output.text() == "ran"
    assert editor.toPlainText() == "Hi"  # the key ran the prompt, it did not type a new line


def test_f1_lists_the_shortcuts(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.shortcuts_dialog
    assert dialog.isVisible()
    table = dialog.table
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows["Run"] == "Ctrl+Return or Ctrl+Enter (keypad)"
    assert rows["Undo message change"] == "Ctrl+Shift+Z or Ctrl+Alt+Z"
    assert rows["Go to Compare"] == "Ctrl+2"
    if dialog.screen().availableGeometry().height() >= 800:  # every shortcut in view, no scrolling
        qtbot.waitUntil(lambda: table.viewport().height() > 0, timeout=2000)
        assert table.verticalScrollBar().maximum() == 0
        assert table.viewport().height() >= table.verticalHeader().length()
    dialog.close()


def test_modes_are_reachable_from_the_keyboard(qtbot, window):
    for index, (name, _) in enumerate(MODES):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_1 + index), CTRL)
        assert window.tabs.currentIndex() == index, name


@pytest.mark.parametrize("mode", [name for name, _ in MODES])
def test_every_visible_control_has_a_name(qtbot, window, mode):
    show_built(qtbot, window, mode)
    qtbot.wait(50)
    kinds = (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit)
    unnamed = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, kinds) or not widget.isVisible() or widget.objectName().startswith("qt_"):
            continue
        if isinstance(widget.parentWidget(), (QComboBox, QAbstractSpinBox)):
            continue  # the editable part of a named box
        text = widget.text() if isinstance(widget, QAbstractButton) else ""
        if not (widget.accessibleName() or text.replace("&", "").strip()):
            unnamed.append(
                f"{type(widget).__name__} {widget.toolTip()!r} in {type(widget.parentWidget()).__name__}"
            )
    assert unnamed == []
    assert QApplication.instance() is not None


def test_the_toolbar_shows_only_what_works_on_the_page_shown(qtbot, window, local_openai):
    """Evaluate had two Run buttons, and Ctrl+Return in History ran the Playground prompt out of sight."""
    type_prompt(qtbot, window, "Hi")
    bar = window.toolbar

    def shown() -> list[str]:
        return [
            (w.text() if isinstance(w, QAbstractButton) else "picker").replace("&", "")
            for a in bar.actions()
            if a.isVisible() and not a.isSeparator() and (w := bar.widgetForAction(a)) is not None
        ]

    assert bar.isVisible() and shown() == ["picker", "Run", "Stop", "View code", "Tokens", "Settings"]
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)  # Compare: its page has Run all, Stop all and Code
    assert bar.isVisible() and shown() == ["picker", "Settings"]
    assert window.run_action.isEnabled() and not window.code_action.isEnabled()
    for key in (Qt.Key.Key_3, Qt.Key.Key_6):  # History, Evaluate
        qtbot.keyClick(window, key, CTRL)
        assert not bar.isVisible()
        assert not window.run_action.isEnabled() and not window.tokens_action.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_Return, CTRL)
    qtbot.wait(100)
    assert not window.session.running and window.output.text() == ""
    qtbot.keyClick(window, Qt.Key.Key_1, CTRL)
    assert bar.isVisible() and window.run_action.isEnabled() and window.code_action.isEnabled()


def test_esc_stops_a_playground_run_from_another_mode(qtbot, window, local_openai):
    """The toolbar is hidden in History, so Esc (or Run ▸ Stop) is how a run left streaming stops."""
    local_openai.push(Script(text="one two three four five six seven eight", token_delay=0.3))
    type_prompt(qtbot, window, "Count")
    with qtbot.waitSignal(window.session.runFinished, timeout=10_000) as blocker:
        window.run_action.trigger()
        qtbot.waitUntil(lambda: window.output.text().startswith("one"), timeout=5000)
        qtbot.keyClick(window, Qt.Key.Key_3, CTRL)  # History
        assert not window.toolbar.isVisible() and window.stop_action.isEnabled()
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert blocker.args[0].status == "cancelled"
    assert not window.toolbar.toggleViewAction().isVisible()  # no menu to hide it for good
