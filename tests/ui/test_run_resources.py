"""Runs from the window reuse their threads: file descriptors stay flat over many runs."""

from __future__ import annotations

import os
import threading

import pytest

from tests.ui.conftest import type_prompt

pytestmark = pytest.mark.gui


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def run_once(qtbot, window) -> None:
    with qtbot.waitSignal(window.session.runFinished, timeout=15_000):
        window.run_action.trigger()


@pytest.mark.slow
@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts /proc/self/fd")
def test_two_hundred_runs_leak_no_descriptors_or_threads(qtbot, window):
    type_prompt(qtbot, window, "Say hello")
    for _ in range(3):  # warm up: the run thread, the background readers, the HTTP pool
        run_once(qtbot, window)
    fds, threads = open_fds(), threading.active_count()
    for _ in range(200):
        run_once(qtbot, window)
    assert window.output.text() == "Hello from the local test server."
    assert open_fds() <= fds + 10
    assert threading.active_count() <= threads + 2
