"""Charts drawn one per frame: each step on its own turn of the event loop, and a newer answer drops
the steps an older one had left (a slow frame never paints stale charts over fresh ones)."""

import pytest
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from ui.spend.frames import Frames

pytestmark = pytest.mark.gui


def test_each_step_runs_on_a_later_turn_and_a_new_run_drops_the_old_steps(qtbot):
    frames = Frames()
    done: list[str] = []
    turns: list[int] = []  # how many event-loop turns (a 0 ms timer) had passed at each step
    ticks = [0]
    ticker = QTimer()
    ticker.setInterval(0)
    ticker.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    ticker.start()

    def step(name: str):
        return lambda: (done.append(name), turns.append(ticks[0]))

    frames.run([step("old 1"), step("old 2"), step("old 3")])
    assert done == ["old 1"] and frames.busy  # the first step at once, the rest later
    frames.run([step("new 1"), step("new 2")])
    qtbot.waitUntil(lambda: not frames.busy, timeout=2000)
    ticker.stop()
    assert done == ["old 1", "new 1", "new 2"]
    assert turns[-1] > turns[-2]  # not in the same turn: the paint of one chart comes between


class PaintLog(QObject):
    def __init__(self, widget: QWidget, log: list[str]):
        super().__init__()
        self.log = log
        widget.installEventFilter(self)

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            self.log.append("painted")
        return False


def shown(qtbot) -> QWidget:
    widget = QWidget()
    widget.resize(200, 100)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.wait(50)  # its first paints are done
    return widget


def test_a_step_that_names_a_widget_holds_the_next_until_that_widget_has_painted(qtbot):
    """The next chart is drawn only after the last one's paint: both paints in one turn of the event
    loop held the GUI thread over 16 ms on a first open. Here the paint is asked for 20 ms late, as
    pyqtgraph's deferred scene updates do on a busy first open."""
    widget = shown(qtbot)
    log: list[str] = []
    _watch = PaintLog(widget, log)

    def first() -> QWidget:
        log.append("first")
        QTimer.singleShot(20, widget.update)
        return widget

    frames = Frames()
    frames.run([first, lambda: log.append("second")])
    qtbot.waitUntil(lambda: not frames.busy, timeout=2000)
    assert log[:3] == ["first", "painted", "second"]


def test_a_widget_never_painted_holds_the_next_step_only_briefly(qtbot):
    widget = shown(qtbot)
    done: list[str] = []
    frames = Frames()
    frames.run([lambda: widget, lambda: done.append("second")])  # nothing asks it to repaint
    qtbot.waitUntil(lambda: done == ["second"], timeout=1000)


def test_a_held_widget_is_painted_again_even_when_its_step_fails(qtbot):
    widget = shown(qtbot)
    frames = Frames()

    def failing() -> QWidget:
        frames.hold(widget)
        raise RuntimeError("a chart that could not be drawn")

    with pytest.raises(RuntimeError):
        frames.run([failing])
    qtbot.waitUntil(widget.updatesEnabled, timeout=1000)
