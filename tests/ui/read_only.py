"""A history that cannot be written, opened as the app opens it: ``refused_history`` (the history
refused as a read-only one; its folder stays writable) and ``read_only_folder`` (a data folder on a
file system mounted read-only). Each yields the window; a test file's fixture yields from one."""

from __future__ import annotations

import subprocess
from pathlib import Path

from playground.core import build_core
from playground.history.storage import HistoryUnavailable
from playground.llm.endpoints import Endpoint
from playground.plan.saved import SavedWorkloads
from playground.plan.workload import load
from tests.playground.history.test_db_open import tmpfs
from tests.ui.conftest import off_gui
from tests.ui.spend.known_history import noon, record
from ui.app import CoreLoader

SUPPORT_BOT = Path(__file__).resolve().parents[1] / "data" / "plan" / "support_bot.toml"


def open_read_only(qtbot, make_window, home: Path):
    """The window as the app opens it on ``home`` when its history cannot be written."""
    window = make_window(attach=False)
    loader = CoreLoader(window.session, home, start_workers=False)
    with qtbot.waitSignal(window.session.coreReady, timeout=10_000):
        loader.start()
    return window, loader


def close(window, loader) -> None:
    window.close()
    core = loader.join(5)
    if core is not None:
        core.close()
    loader.workers.close()


def refused_history(qtbot, make_window, core, monkeypatch):
    """A history with a call, a custom endpoint and a saved workload; then build_core refuses it as it
    does a read-only history (the folder itself stays writable)."""
    record(core, noon(0), "gpt-4o", "0.10")
    core.config.add_endpoint(Endpoint("mine", "openai", "http://127.0.0.1:9/v1", None))
    off_gui(lambda: SavedWorkloads(core.home).save(load(SUPPORT_BOT), "support bot"))
    core.history.flush()
    core.close()
    reason = HistoryUnavailable(core.home, "the folder cannot be written (read-only or not yours): readonly")

    def refused(*args, **kwargs):
        raise reason

    monkeypatch.setattr("playground.core.build_core", refused)
    window, loader = open_read_only(qtbot, make_window, core.home)
    yield window
    close(window, loader)


def read_only_folder(qtbot, make_window, tmp_path, memory_keyring, encodings):
    """A data folder on a file system mounted read-only, with a history and a saved workload in it."""
    with tmpfs(tmp_path / "ro", "size=4m") as mount:
        home = mount / "home"
        made = build_core(home, keyring_backend=memory_keyring, environ={}, encodings=encodings)
        record(made, noon(0), "gpt-4o", "0.10")
        off_gui(lambda: SavedWorkloads(home).save(load(SUPPORT_BOT), "support bot"))
        made.close()
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        window, loader = open_read_only(qtbot, make_window, home)
        yield window
        close(window, loader)
