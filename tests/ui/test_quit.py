"""Quitting never crashes or hangs, and what arrived before the quit is in the history."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ui.common.background import Background

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]
CYCLES = 10


def run_scenario(mode: str, home: Path) -> list[dict]:
    """Each cycle opens the window, starts streaming, quits mid-stream. A crash is a failed test."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PLAYGROUND_HOME": str(home)}
    out = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-m", "tests.ui.quit_scenario", mode, str(home), str(CYCLES)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, f"exit {out.returncode}\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}"
    assert "Traceback" not in out.stderr, out.stderr[-4000:]
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def assert_kept(cycles: list[dict]) -> None:
    assert len(cycles) == CYCLES
    for cycle in cycles:
        assert cycle["quit_s"] < 5  # bounded, and in practice a fraction of a second
        outputs = [output for status, output in cycle["rows"]]
        assert [status for status, _ in cycle["rows"]] == ["cancelled"] * len(cycle["seen"])
        for seen in cycle["seen"]:  # every word the window showed is in a row
            assert any(output.startswith(seen) for output in outputs), (seen, outputs)


@pytest.mark.slow
def test_quitting_mid_stream_repeatedly_keeps_the_text_and_never_crashes(tmp_path):
    assert_kept(run_scenario("single", tmp_path / "home"))


@pytest.mark.slow
def test_quitting_mid_comparison_repeatedly_keeps_the_text_and_never_crashes(tmp_path):
    assert_kept(run_scenario("compare", tmp_path / "home"))


def test_shutdown_waits_for_running_work_and_drops_queued_work(qtbot):
    background = Background(workers=1)
    release = threading.Event()
    finished, ran_late = threading.Event(), threading.Event()

    def slow() -> None:
        release.wait(5)
        time.sleep(0.1)
        finished.set()

    background.submit(slow)
    background.submit(ran_late.set)  # queued behind it
    threading.Timer(0.1, release.set).start()
    assert background.shutdown(wait_s=5)
    assert finished.is_set() and not ran_late.is_set()
    assert background.submit(ran_late.set) is None  # nothing runs after shutdown
    time.sleep(0.05)
    assert not ran_late.is_set()


def test_shutdown_gives_up_on_stuck_work_after_its_bound(qtbot):
    background = Background(workers=1)
    stuck = threading.Event()
    background.submit(lambda: stuck.wait(10))
    time.sleep(0.05)
    started = time.monotonic()
    assert background.shutdown(wait_s=0.3) is False  # reported: the core must then stay open
    assert time.monotonic() - started < 2
    stuck.set()


def test_a_core_that_loads_after_the_window_closed_is_closed_not_used(qtbot, make_window, monkeypatch):
    import playground.core
    from ui.app import CoreLoader

    gate = threading.Event()
    built = []
    real_build = playground.core.build_core

    def slow_build(home, **kwargs):
        gate.wait(10)
        core = real_build(home, **kwargs)
        built.append(core)
        return core

    monkeypatch.setattr(playground.core, "build_core", slow_build)
    window = make_window(attach=False)
    session = window.session
    loader = CoreLoader(session, Path(os.environ["PLAYGROUND_HOME"]), start_workers=False)
    loader.start()
    window.close()
    gate.set()
    core = loader.join(10)
    qtbot.wait(50)  # the late "loaded" signal is delivered, and ignored
    assert built and core is built[0] and session.core is None
    core.close()
    loader.workers.close()
