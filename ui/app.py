"""Starting the app: the window frame paints first, then its parts, then the core loads behind it."""

from __future__ import annotations

import os
import sys
import threading
import time

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


def run_app(smoke: bool = False) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from playground.paths import data_dir
    from ui.main_window import MainWindow

    configure_threads()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("LLM Playground")
    app.setOrganizationName("llm-playground")
    from PySide6.QtGui import QIcon

    from playground.paths import resources_dir

    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "app.png")))
    home = data_dir()
    window = MainWindow()
    started: dict = {}

    def first_paint() -> None:
        if smoke:
            print(f"SMOKE OK {ms_since_process_start():.0f}", flush=True)
        QTimer.singleShot(0, build_parts)

    def build_parts() -> None:
        from ui.session import Session
        from ui.window_state import WindowState

        session = Session()
        started["session"] = session
        window.state = WindowState(home / "window.ini")
        window.attach(session)
        if smoke:
            # The parts are built: that is enough to prove the app starts; the core is not awaited.
            print(f"SMOKE READY {ms_since_process_start():.0f}", flush=True)
            QTimer.singleShot(0, app.quit)
            return
        started["workers"] = _load_core_behind(session, home)

    window.painted.connect(first_paint)
    window.show()
    code = app.exec()
    session = started.get("session")
    if session is not None:
        core = session.core
        session.shutdown()
        if core is not None:
            core.close()
    if "workers" in started:
        started["workers"].close()
    return code


def _load_core_behind(session, home):
    """Build the core on a thread (imports and database), then attach it on the GUI thread.
    Streams are read in a worker process (playground/providers/remote.py), started here too."""
    from PySide6.QtCore import QObject, Signal

    class Loaded(QObject):
        done = Signal(object)

    relay = Loaded(session)
    relay.done.connect(session.attach)

    from playground.providers.remote import StreamWorkers

    workers = StreamWorkers()

    def work() -> None:
        from playground.core import build_core
        from playground.logs import setup_logging

        setup_logging(home)
        relay.done.emit(build_core(home, provider_factory=workers.factory))
        workers.start()

    threading.Thread(target=work, name="core-loader", daemon=True).start()
    return workers
