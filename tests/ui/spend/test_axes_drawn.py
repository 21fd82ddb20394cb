"""The Spend axes as pyqtgraph draws them, for one call and for 90 days, in a narrow and a wide
window, at every range: date axes name at least three days, the last one among them, with no two
labels touching; no axis repeats a label."""

from datetime import date
from itertools import pairwise

import pytest
from PySide6.QtGui import QImage, QPainter

from docs.sample_history import add_sample
from playground.spend.charts import RANGES
from tests.ui.conftest import off_gui
from tests.ui.spend.known_history import bar_sums, noon, record
from ui.spend.axes import TickKind, tick_label

pytestmark = pytest.mark.gui


def drawn(axis) -> list[tuple[float, float, str]]:
    """(left, right, text) of each label the axis draws now, from its own draw specs."""
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        _axis, _ticks, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    bounds = axis.mapRectFromParent(axis.geometry())
    for rect, _flags, _text in texts:
        assert bounds.left() - 0.5 <= rect.left() and rect.right() <= bounds.right() + 0.5
    return [(r.left(), r.right(), t) for r, _f, t in texts]


def check_axes(view) -> int:
    checked = 0
    for panel in view.panels:
        if panel.is_empty:
            continue
        left = [t for _l, _r, t in drawn(panel.plot.getAxis("left"))]
        assert len(left) >= 2 and len(set(left)) == len(left), (panel.name, left)
        bottom = drawn(panel.plot.getAxis("bottom"))
        texts = [t for _l, _r, t in bottom]
        assert len(texts) >= 3 and len(set(texts)) == len(texts), (panel.name, texts)
        assert all(a[1] < b[0] for a, b in pairwise(bottom)), (panel.name, bottom)
        last = view.data.until if panel is not view.month_panel else _month_end(view.data.until)
        assert texts[-1] == tick_label(last, TickKind.DAY), (panel.name, texts)
        checked += 1
    return checked


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def show_ranges(view, qtbot, window, width: int) -> None:
    window.resize(width, 800 if width < 1900 else 1080)
    for name in RANGES:
        with qtbot.waitSignal(view.rangeShown, timeout=10_000):
            view.range.setCurrentText(name)
        qtbot.waitUntil(lambda: not view.drawing, timeout=10_000)
        window.repaint()
        assert check_axes(view) == len(view.panels), (name, width)


@pytest.mark.parametrize("width", [1152, 1920])
def test_one_call_axes_read_right_at_every_range(qtbot, make_window, core, width):
    record(core, noon(0), "gpt-4o-mini", "0.00000435", tin=9, tout=5, ms=22.0)
    window = make_window()
    window.show_spend()
    qtbot.waitUntil(lambda: window.spend is not None, timeout=10_000)  # built in steps
    view = window.spend
    show_ranges(view, qtbot, window, width)
    [(day, height)] = bar_sums(view).items()  # the bar is still the day's sum
    assert height == pytest.approx(0.00000435) and day == view.data.until
    hover = view.latency_panel.values_at(view.latency_panel.series[0][1][0])
    assert "22 ms" in hover  # the value read on hover, whatever the axis shows


@pytest.mark.parametrize("width", [1152, 1920])
def test_ninety_day_sample_axes_read_right_at_every_range(qtbot, make_window, core, width):
    off_gui(lambda: add_sample(core))
    window = make_window()
    window.show_spend()
    qtbot.waitUntil(lambda: window.spend is not None, timeout=10_000)
    show_ranges(window.spend, qtbot, window, width)
