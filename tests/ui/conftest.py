"""GUI tests run offscreen against the local test servers, with the in-memory keyring."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pytest

from playground.history.storage import set_gui_thread
from ui.main_window import MainWindow
from ui.playground.session import Session
from ui.window_state import WindowState

T = TypeVar("T")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Every GUI test body runs in "no SQL on the GUI thread" mode: a read or a waited-for write on
    the main thread (the GUI thread under pytest-qt) raises. Fixtures set up and tear down freely."""
    set_gui_thread(threading.main_thread())
    try:
        return (yield)
    finally:
        set_gui_thread(None)


def off_gui(work: Callable[[], T]) -> T:
    """Check the core from a test: run ``work`` on a thread of its own (its reader connection is
    closed when that thread ends), as the app would, and return its answer."""
    with ThreadPoolExecutor(1, thread_name_prefix="test-check") as pool:
        return pool.submit(work).result()


def core_on_local(home, keyring, encodings, server, busy_timeout_s: float):
    """A core (built off the GUI thread) whose writes wait ``busy_timeout_s`` for another process's
    lock, with the OpenAI test ``server`` as endpoint 'local'."""
    from playground.core import build_core
    from playground.llm.endpoints import Endpoint
    from tests.conftest import FAST_RETRY

    def build():
        made = build_core(
            home,
            keyring_backend=keyring,
            environ={},
            retry=FAST_RETRY,
            encodings=encodings,
            busy_timeout_s=busy_timeout_s,
        )
        made.config.add_endpoint(Endpoint("local", "openai", server.base_url, "local", price_as="openai"))
        made.keys.set("local", server.api_key)
        return made

    return off_gui(build)


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
            with qtbot.waitSignal(session.coreReady, timeout=10_000):  # endpoints read in the background
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


def show_built(qtbot, window, mode: str) -> None:
    """Show ``mode`` and wait until its page is built (Spend, Plan and Evaluate are built in steps
    after their modules load; until then a "Loading…" slot stands in)."""
    window.show_mode(mode)
    qtbot.waitUntil(lambda: not window.tabs.is_placeholder(window.tabs.currentWidget()), timeout=10_000)
