"""GUI tests run offscreen against the local test servers, with the in-memory keyring."""

from __future__ import annotations

import pytest

from ui.main_window import MainWindow
from ui.playground.session import Session
from ui.window_state import WindowState


@pytest.fixture
def make_window(qtbot, core, tmp_path):
    """A main window attached to the test core; ``local`` fakes what local-server detection finds."""
    made = []

    def make(local: list | None = None, attach: bool = True) -> MainWindow:
        session = Session(local_probe=lambda: list(local or []))
        window = MainWindow(session, WindowState(tmp_path / "window.ini"))
        qtbot.addWidget(window)
        window.show()
        if attach:
            session.attach(core)
        made.append(window)
        return window

    yield make
    for window in made:
        window.close()  # before the core closes: stops timers and background answers


@pytest.fixture
def window(make_window, local_openai, qtbot):
    w = make_window()
    w.picker.select("local", "gpt-4o-mini")
    return w


def type_prompt(qtbot, window, text: str) -> None:
    editor = window.editor.messages.first_editor()
    editor.setFocus()
    qtbot.keyClicks(editor, text)
