"""A history that cannot record calls: Run and Compare's Run all are off before they are pressed,
saying why, and Ctrl+Enter sends nothing; so are File ▸ Import history and Save to library."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui import read_only as opened
from tests.ui.conftest import type_prompt

pytestmark = pytest.mark.gui


@pytest.fixture
def read_only(qtbot, make_window, core, monkeypatch):
    yield from opened.refused_history(qtbot, make_window, core, monkeypatch)


def test_run_is_off_says_why_and_ctrl_enter_sends_nothing(qtbot, read_only):
    window = read_only
    qtbot.waitUntil(lambda: window.picker.current() is not None, timeout=5000)
    type_prompt(qtbot, window, "hello")
    assert not window.run_action.isEnabled()
    assert "The history is read-only" in window.run_action.toolTip()
    assert "Runs are off" in window.statusBar().currentMessage()
    assert window.output.error.isVisible() and "The history is read-only" in window.output.error.text()
    started: list = []
    window.session.runStarted.connect(started.append)
    editor = window.editor.messages.first_editor()
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(100)
    assert not started and not window.session.running


def test_compare_run_all_is_off_and_says_why(qtbot, read_only):
    window = read_only
    qtbot.waitUntil(lambda: window.picker.current() is not None, timeout=5000)
    type_prompt(qtbot, window, "hello")
    window.show_mode("Compare")
    compare = window.compare
    compare.add_current()
    compare.add_current()
    qtbot.waitUntil(lambda: compare.prompt_line.has_prompt, timeout=5000)
    run_all = compare.toolbar.run_button
    assert not run_all.isEnabled() and "The history is read-only" in run_all.toolTip()
    assert not window.run_action.isEnabled()


def test_import_history_and_save_to_library_are_off_and_say_why(qtbot, read_only):
    window = read_only
    for action in (window.import_action, window.menu.save_to_library_action):
        assert not action.isEnabled(), action.text()
        assert "The history is read-only" in action.toolTip()
    assert window.menu.library_action.isEnabled()  # reading the library still works
    assert window.menu.save_conversation_action.isEnabled()  # a file the user picks, not the history


def test_the_library_reads_but_its_import_and_delete_are_off_and_say_why(qtbot, read_only):
    """They were on, and refused with the storage error only once clicked."""
    window = read_only
    window.menu.library_action.trigger()
    dialog = window.menu.library().dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible(), timeout=5000)
    assert not dialog.import_button.isEnabled()
    assert "The history is read-only" in dialog.import_button.toolTip()
    assert not dialog.delete_button.isEnabled()
    assert "The library can be read and exported, not changed." in dialog.status.text()
    dialog.close()
