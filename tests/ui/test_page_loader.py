"""A mode page with heavy modules: they load off the GUI thread (the window keeps answering), the slot
says what is happening, and a module that cannot load is said there, never raised."""

import itertools
import sys
import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from ui.common.background import Background
from ui.page_loader import Build, PageLoader, PageModules

pytestmark = pytest.mark.gui


def ticking(every_ms: int) -> tuple[list[float], QTimer]:
    """When the event loop ran: a timer's ticks, from now (the loop's gaps are between them)."""
    ticks = [time.perf_counter()]
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(every_ms)
    return ticks, timer


@pytest.fixture
def slow_module(tmp_path, monkeypatch):
    """A module whose import takes 0.4 s (as pyqtgraph and numpy took 0.5-0.7 s)."""
    (tmp_path / "slow_page_module.py").write_text("import time\ntime.sleep(0.4)\nLOADED = True\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "slow_page_module"
    sys.modules.pop("slow_page_module", None)


def test_the_modules_load_off_the_gui_thread_then_the_page_is_built_in_steps(qtbot, slow_module):
    background = Background()
    slot = QWidget()
    qtbot.addWidget(slot)
    steps: list[str] = []
    pages: list[QWidget] = []

    def build() -> Build:
        assert sys.modules[slow_module].LOADED  # imported before the first step
        steps.append("one")
        yield
        steps.append("two")
        return QLabel("the page")

    loader = PageLoader(background, slot, "Slow", PageModules((slow_module,)), build, pages.append)
    ticks, timer = ticking(10)
    loader.start()
    loader.start()  # a second click: nothing more
    assert loader.label.text() == "Loading Slow…" and not steps  # at once, nothing built yet
    assert loader.busy.maximum() == 0 and not loader.busy.isHidden()  # a moving bar: not frozen
    qtbot.waitUntil(lambda: bool(pages), timeout=5000)
    timer.stop()
    assert steps == ["one", "two"] and pages[0].text() == "the page"
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) > 20 and max(gaps) < 0.2  # the event loop ran all through the 0.4 s import
    background.shutdown()


def test_the_gui_modules_load_one_a_turn_the_window_answering_between(qtbot, tmp_path, monkeypatch):
    """A package of six modules of 0.1 s each (pyqtgraph's ~170 took 60-140 ms in one go): imported
    on the GUI thread one module a turn of the event loop (ui/import_steps.py), before the build."""
    package = tmp_path / "heavy_gui_pkg"
    package.mkdir()
    names = [f"part{i}" for i in range(6)]
    for name in names:
        (package / f"{name}.py").write_text("import time\ntime.sleep(0.1)\n")
    (package / "__init__.py").write_text("".join(f"from . import {name}\n" for name in names))
    monkeypatch.syspath_prepend(str(tmp_path))
    background = Background()
    slot = QWidget()
    qtbot.addWidget(slot)
    pages: list[QWidget] = []

    def build() -> Build:
        assert all(f"heavy_gui_pkg.{name}" in sys.modules for name in names)  # imported before
        yield
        return QLabel("the page")

    loader = PageLoader(background, slot, "Heavy", PageModules((), ("heavy_gui_pkg",)), build, pages.append)
    ticks, timer = ticking(5)
    loader.start()
    qtbot.waitUntil(lambda: bool(pages), timeout=10_000)
    timer.stop()
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert ticks[-1] - ticks[0] >= 0.6  # all six ran, here
    assert max(gaps) < 0.19  # never two modules in one turn: the window answered between
    assert loader.steps > len(names)
    background.shutdown()
    for name in [m for m in sys.modules if m.startswith("heavy_gui_pkg")]:
        del sys.modules[name]


def test_a_module_that_cannot_load_is_said_in_the_slot(qtbot):
    background = Background()
    slot = QWidget()
    qtbot.addWidget(slot)
    pages: list[QWidget] = []

    def build() -> Build:
        yield
        import no_such_module_here  # noqa: F401  (the page's own import, on the GUI thread)

        return QWidget()

    loader = PageLoader(background, slot, "Spend", PageModules(("no_such_module_here",)), build, pages.append)
    loader.start()
    qtbot.waitUntil(lambda: "Could not load" in loader.label.text(), timeout=5000)
    assert loader.label.text() == "Could not load Spend: No module named 'no_such_module_here'"
    assert loader.problem == loader.label.text()  # what the installer smoke prints
    assert loader.busy.isHidden()  # nothing is loading any more
    assert not pages
    background.shutdown()


def test_a_build_step_that_fails_is_said_in_the_slot(qtbot):
    background = Background()
    slot = QWidget()
    qtbot.addWidget(slot)

    def build() -> Build:
        yield
        raise RuntimeError("no plots today")

    loader = PageLoader(background, slot, "Spend", PageModules(()), build, lambda page: None)
    loader.start()
    qtbot.waitUntil(lambda: "no plots today" in loader.label.text(), timeout=5000)
    background.shutdown()


def test_what_is_preloaded_off_the_gui_thread_never_loads_qt():
    """PySide6 makes its types when first asked for; pyqtgraph imported on a pool thread crashed the
    app (1 launch in 15). The lists the pool preloads must not bring in Qt, even indirectly."""
    import subprocess

    from ui.mode_pages import EVALUATE, PLAN, SPEND

    names = [*SPEND.qt_free, *PLAN.qt_free, *EVALUATE.qt_free]
    probe = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "[]"


def test_a_mode_opened_before_the_core_is_up_is_built_once_it_is(qtbot, core):
    """Opened during start-up, Evaluate says Loading until the core arrives, then is built with it
    (before, it stayed a blank slot, or was built without a core)."""
    from types import SimpleNamespace

    from ui.mode_pages import ModePages

    background = Background()
    session = SimpleNamespace(background=background, core=None)
    pages = ModePages(session, [QWidget(), QWidget(), QWidget()], lambda: ())
    qtbot.addWidget(pages)
    pages.show_mode("Evaluate")
    qtbot.wait(100)
    assert pages.is_placeholder(pages.currentWidget()) and pages.evaluate is None
    assert pages.currentWidget().findChild(QLabel).text() == "Loading Evaluate…"
    session.core = core
    pages.build_shown(pages.currentIndex())  # as the main window does when the core is ready
    qtbot.waitUntil(lambda: pages.evaluate is not None, timeout=10_000)
    assert pages.currentWidget() is pages.evaluate and pages.evaluate._core is core
    background.shutdown()
