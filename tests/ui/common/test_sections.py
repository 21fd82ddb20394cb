"""Sections (ui/common/sections.py): tabs whose page repaints only what changed in it."""

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from ui.common.sections import Sections


class Paints(QObject):
    def __init__(self, widget: QWidget):
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def page_with_two_labels() -> tuple[QWidget, QLabel, QLabel]:
    page = QWidget()
    layout = QVBoxLayout(page)
    changing, still = QLabel("<b>Spend</b>"), QLabel("a neighbour that does not change")
    layout.addWidget(changing)
    layout.addWidget(still)
    return page, changing, still


@pytest.mark.parametrize("kind", [Sections, QTabWidget])
def test_a_changed_label_repaints_itself_not_its_neighbours(qtbot, kind):
    """Spend's first open: each chart title set repainted the whole page under a QTabWidget (its
    LayoutRequest handling repaints it all); under Sections only what changed is painted."""
    tabs = kind()
    qtbot.addWidget(tabs)
    page, changing, still = page_with_two_labels()
    tabs.addTab(page, "Recorded here")
    tabs.addTab(QLabel("the bill"), "Provider bill")
    tabs.resize(600, 400)
    tabs.show()
    qtbot.waitExposed(tabs)
    qtbot.wait(50)
    neighbour, itself = Paints(still), Paints(changing)
    changing.setText("<b>Spend per day, a longer title</b>")
    qtbot.waitUntil(lambda: itself.count > 0)
    qtbot.wait(50)
    if kind is Sections:
        assert neighbour.count == 0
    else:  # the reason Sections exists: if Qt stops doing this, QTabWidget can come back
        assert neighbour.count > 0


def test_sections_switch_pages_like_tabs(qtbot):
    sections = Sections()
    qtbot.addWidget(sections)
    first, second = QLabel("one"), QLabel("two")
    assert sections.addTab(first, "One") == 0 and sections.addTab(second, "Two") == 1
    shown: list[int] = []
    sections.currentChanged.connect(shown.append)
    sections.show()
    sections.setCurrentWidget(second)
    assert sections.currentIndex() == 1 and sections.currentWidget() is second and second.isVisible()
    assert not first.isVisible() and shown == [1]
    sections.bar.setCurrentIndex(0)  # a click on the first tab
    assert sections.currentWidget() is first and shown == [1, 0]
    assert [sections.tabText(i) for i in range(sections.count())] == ["One", "Two"]
    assert sections.widget(1) is second and sections.indexOf(second) == 1
