"""An unusable data folder: the window opens, says why in a banner that stays, and Run is off saying why."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.conftest import type_prompt
from ui.app import CoreLoader

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def blocked_home(tmp_path) -> Path:
    """A data folder path that runs through a file: nothing can be created there."""
    (tmp_path / "a-file").write_text("not a folder")
    return tmp_path / "a-file" / "home"


def test_an_unusable_folder_is_named_in_a_banner_that_stays_and_runs_are_refused(
    qtbot, make_window, blocked_home
):
    window = make_window(attach=False)
    loader = CoreLoader(window.session, blocked_home, start_workers=False)
    loader.start()
    qtbot.waitUntil(lambda: window.notices.isVisible(), timeout=10_000)
    (text,) = window.notices.texts()
    assert str(blocked_home) in text and "Not a directory" in text
    qtbot.waitUntil(lambda: window.session.core is not None and window.picker.current() is not None)
    type_prompt(qtbot, window, "hello")
    assert not window.run_action.isEnabled() and str(blocked_home) in window.run_action.toolTip()
    window.run_action.trigger()  # as Ctrl+Enter would: an action that is off does nothing
    assert window.output.error.isVisible() and "Runs are off" in window.output.error.text()
    assert str(blocked_home) in window.output.error.text()
    assert not window.session.running
    qtbot.wait(300)
    assert window.notices.isVisible()  # stays until dismissed
    window.notices.dismiss(text)
    assert not window.notices.isVisible()
    core = loader.join(5)  # an empty history to read, so every page loads; nothing is written
    assert core is not None and "cannot be used" in (core.not_recorded or "")
    core.close()
    loader.workers.close()


def test_a_notice_is_not_overwritten_by_ready(qtbot, make_window, core):
    window = make_window(attach=False)
    damaged = "The history database was damaged and kept as history.db.damaged-1; a new one was started."
    core.storage.warning = damaged
    window.session.attach(core)
    qtbot.waitUntil(lambda: "Ready" in window.statusBar().currentMessage())
    assert window.notices.texts() == [damaged] and window.notices.isVisible()


def smoke(home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PLAYGROUND_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "ui.launcher", "--smoke"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_smoke_fails_when_the_core_cannot_load_and_passes_when_it_can(tmp_path, blocked_home):
    bad = smoke(blocked_home)
    assert bad.returncode != 0 and "SMOKE FAILED" in bad.stdout and str(blocked_home) in bad.stdout
    assert "Traceback" not in bad.stderr
    good = smoke(tmp_path / "fine")
    assert good.returncode == 0 and "SMOKE READY" in good.stdout, good.stdout + good.stderr[-2000:]
