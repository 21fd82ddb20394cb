"""Starting the app: the window frame paints first, then its parts, then the core loads behind it."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from playground.core import Core

_IMPORTED_AT = time.time()


def ms_since_process_start() -> float:
    """Wall time since the process started (Linux: from /proc; elsewhere: since this module loaded)."""
    try:
        with open("/proc/self/stat") as f:
            start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        return (uptime - start_ticks / os.sysconf("SC_CLK_TCK")) * 1000
    except (OSError, ValueError, IndexError, AttributeError):
        return (time.time() - _IMPORTED_AT) * 1000


GIL_SWITCH_S = 0.001


def configure_threads() -> None:
    """Hand the GIL over every 1 ms instead of 5: streams parse on worker threads, and the GUI
    thread must get it back within a frame. (Measured in bench/bench_gui.py.)"""
    sys.setswitchinterval(GIL_SWITCH_S)


SMOKE_CORE_TIMEOUT_S = 60.0  # --smoke fails if the core has not loaded by then
LOADER_JOIN_S = 10.0  # at quit: how long a core still loading may take before we leave it behind


def run_app(smoke: bool = False, on_ready: Callable[[Any], None] | None = None) -> int:
    """``on_ready(window)``, when given, runs once the core is attached (bench/first_run.py drives it)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from playground.paths import data_dir
    from ui.main_window import MainWindow

    configure_threads()
    # instance() is typed as the QCoreApplication base; the one app here is always a QApplication
    app = cast(QApplication, QApplication.instance() or QApplication(sys.argv))
    app.setApplicationName("LLM Playground")
    app.setOrganizationName("llm-playground")
    from PySide6.QtGui import QIcon

    from playground.paths import resources_dir

    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "app.png")))
    try:
        home = data_dir()
    except OSError as exc:  # unusable: the loader meets the same error and the window says so
        from pathlib import Path

        home = Path(exc.filename or ".")
    window = MainWindow()
    started: dict = {}
    outcome = {"code": 0}

    def first_paint() -> None:
        if smoke:
            print(f"SMOKE OK {ms_since_process_start():.0f}", flush=True)
        QTimer.singleShot(0, build_parts)

    def build_parts() -> None:
        from ui.playground.session import Session
        from ui.window_state import WindowState

        session = Session()
        started["session"] = session
        window.state = WindowState(home / "window.ini")
        window.attach(session)
        loader = CoreLoader(session, home, start_workers=not smoke)
        started["loader"] = loader
        session.coreReady.connect(
            lambda: QTimer.singleShot(SETTLE_MS, lambda: session.background.submit(settled))
        )
        if on_ready is not None:
            session.coreReady.connect(lambda: on_ready(window))
        if smoke:
            session.coreReady.connect(smoke_ready)
            session.unavailable.connect(smoke_failed)
            QTimer.singleShot(int(SMOKE_CORE_TIMEOUT_S * 1000), smoke_timeout)
        loader.start()

    def smoke_ready() -> None:
        print(f"SMOKE READY {ms_since_process_start():.0f}", flush=True)
        from ui import smoke as modes  # PLAYGROUND_SMOKE=modes: open every mode first (the installer)

        if modes.wanted():
            modes.walk_modes(window, lambda code: (outcome.update(code=code), app.quit()))
        else:
            app.quit()

    def smoke_failed(reason: str) -> None:
        print(f"SMOKE FAILED: {reason}", flush=True)
        outcome["code"] = 1
        app.quit()

    def smoke_timeout() -> None:
        print(f"SMOKE FAILED: the core did not load within {SMOKE_CORE_TIMEOUT_S:.0f} s", flush=True)
        outcome["code"] = 1
        app.quit()

    window.painted.connect(first_paint)
    window.show()
    code = app.exec()
    shut_down(window, started.get("loader"))
    return code or outcome["code"]


def shut_down(window, loader: CoreLoader | None) -> None:
    """The order that never closes a connection under a running thread: stop runs, wait for their
    threads and the background work (bounded), wait for a core still loading, close the core,
    then the stream worker process."""
    clean = window.shutdown()
    if loader is None:
        return
    core = loader.join(LOADER_JOIN_S)
    if core is not None:
        if clean:
            core.close()
        else:  # a thread still holds a connection: closing it under the thread crashes the process
            import logging

            logging.getLogger(__name__).warning("work still running at quit; the history is left open")
    loader.workers.close()


class CoreLoader:
    """Builds the core on a thread (imports and database), then hands it to the session on the GUI
    thread, or the reason it failed. Streams are read in a worker process, started here too."""

    def __init__(self, session, home, start_workers: bool = True):
        from PySide6.QtCore import QObject, Signal

        from playground.llm.providers.remote import StreamWorkers

        class Relay(QObject):
            loaded = Signal(object)
            failed = Signal(str)

        self._relay = Relay(session)
        self.loaded = self._relay.loaded
        self.failed = self._relay.failed
        self.loaded.connect(session.attach)
        self.failed.connect(session.fail)
        self.workers = StreamWorkers()
        self._home = home
        self._start_workers = start_workers
        if start_workers:
            session.warm_streams = self.workers.warm
        self.core: Core | None = None
        self._thread = threading.Thread(target=self._work, name="core-loader", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def join(self, timeout_s: float):
        """Wait for the loader; the core it built (to be closed by the caller), or None."""
        if self._thread.is_alive():
            self._thread.join(timeout_s)
        return None if self._thread.is_alive() else self.core

    def _work(self) -> None:
        from playground.lean_imports import load_sqlite_utils

        load_sqlite_utils()  # before the history imports it: numpy stays out until a chart needs it
        from playground.core import build_core
        from playground.logs import setup_logging

        try:
            setup_logging(self._home)
        except OSError:
            pass  # an unwritable log is no reason to refuse the core (the history says why it cannot)
        try:
            self.core = build_core(self._home, provider_factory=self.workers.factory)
            self.core.keys.persistent  # noqa: B018 - the keyring loads here, not when the window asks
        except Exception as exc:  # an unusable data folder: the window says why, runs are refused
            import logging

            logging.getLogger(__name__).warning("the core could not load: %s", exc)
            from playground.history.storage import OfflineStorage

            self.core = core = self._read_only(exc)
            if core is not None and not isinstance(core.storage, OfflineStorage):  # its calls are read
                self.failed.emit(f"{core.not_recorded} Past calls can be read; runs are off.")
            else:
                self.failed.emit(describe_failure(self._home, exc))
            if core is None:
                return
        self.loaded.emit(self.core)
        if self._start_workers:
            self.workers.start()
        release_source_cache()

    def _read_only(self, exc: Exception):
        """After a failure: the history read as it is, or an empty one (the pages load and read what
        there is; every write is refused with the reason), or None if that fails too."""
        from playground.core import build_read_only_core
        from playground.history.storage import HistoryUnavailable

        if not isinstance(exc, HistoryUnavailable):
            cause = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            exc = HistoryUnavailable(self._home, cause)
        try:
            core = build_read_only_core(exc, provider_factory=self.workers.factory)
            core.keys.persistent  # noqa: B018
            core.storage.dismiss_warning()  # the failure's line says it already
        except Exception:
            import logging

            logging.getLogger(__name__).warning("the history could not be read either", exc_info=True)
            return None
        return core


SETTLE_MS = 5000  # after the core arrives: the model list, counters and estimate have loaded by then


def settled() -> None:
    """Once start-up is over (on the background pool): drop the sources read since the core loaded
    and hand the freed heap back to the system."""
    from playground.memory import give_back

    release_source_cache()
    give_back()


def release_source_cache() -> None:
    """PySide6 reads the source of every module imported after it (shiboken's __feature__ check,
    inspect.getsource) and linecache keeps it all: ~15 MB for the core's imports, never read again."""
    import linecache

    linecache.clearcache()


def describe_failure(home, exc: BaseException) -> str:
    """One line naming the folder and the cause."""
    cause = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return f"The data folder {home} cannot be used ({cause}). Calls cannot be recorded, so runs are off."
