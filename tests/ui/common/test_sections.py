"""Sections (ui/common/sections.py): tabs whose page repaints only what changed in it."""

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

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


def two_tabs(kind, palette: QPalette | None = None) -> QWidget:
    tabs = kind()
    if palette is not None:
        tabs.setPalette(palette)
    for title in ("Recorded here", "Provider bill"):
        page = QWidget()
        QVBoxLayout(page).addWidget(QLabel(title))
        tabs.addTab(page, title)
    tabs.resize(400, 200)
    return tabs


def dark() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.WindowText, "#e6e6e6"),
        (QPalette.ColorRole.Button, "#353535"),
        (QPalette.ColorRole.ButtonText, "#e6e6e6"),
        (QPalette.ColorRole.Mid, "#555555"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


@pytest.mark.parametrize("palette", [None, dark()], ids=["light", "dark"])
def test_sections_look_like_a_tab_widget(qtbot, palette):
    """New-user tour: the bar sat above a plain frame, the selected tab cut off from its page by a line
    and, in a dark palette, hardly told from the other. Now the frame, the tabs and the page's place in
    it are the style's own for a QTabWidget, pixel for pixel, whichever tab is selected."""
    pictures = []
    for kind in (QTabWidget, Sections):
        tabs = two_tabs(kind, palette)
        qtbot.addWidget(tabs)
        tabs.show()
        qtbot.waitExposed(tabs)
        shots = [tabs.grab().toImage()]
        tabs.setCurrentIndex(1)
        shots.append(tabs.grab().toImage())
        pictures.append(shots)
    for tab_widget, sections in zip(*pictures, strict=True):
        assert sections == tab_widget


def table_with_rows() -> QTableWidget:
    table = QTableWidget(3, 2)
    for row in range(3):
        for column in range(2):
            table.setItem(row, column, QTableWidgetItem(f"{row}, {column}"))
    table.setCurrentCell(0, 0)
    return table


@pytest.mark.parametrize("make", [table_with_rows, QLineEdit], ids=["table", "line edit"])
def test_ctrl_tab_switches_sections_from_inside_a_page(qtbot, make):
    """New-user tour: Ctrl+Tab did nothing in Spend or Evaluate. A QTabWidget only sees it when the
    focused widget lets it through, and a table with rows (Spend's models, Evaluate's grid) takes it to
    move its current cell; here Ctrl+Tab / Ctrl+PgDown and Ctrl+Shift+Tab / Ctrl+PgUp switch from
    anywhere inside, to the next or previous enabled section, round the end."""
    sections = Sections()
    qtbot.addWidget(sections)
    first = make()
    sections.addTab(first, "Section 0")
    for i in (1, 2):
        sections.addTab(QLineEdit(), f"Section {i}")
    sections.show()
    with qtbot.waitActive(sections):  # a shortcut answers in the active window
        sections.activateWindow()
    control, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    presses = [
        (Qt.Key.Key_Tab, control, 1),
        (Qt.Key.Key_Backtab, control | shift, 2),  # round the start
        (Qt.Key.Key_PageDown, control, 1),
        (Qt.Key.Key_PageUp, control, 2),
    ]
    for key, modifiers, expected in presses:
        sections.setCurrentIndex(0)
        first.setFocus()
        qtbot.keyClick(first, key, modifiers)
        assert sections.currentIndex() == expected, (key, modifiers)
    sections.bar.setTabEnabled(1, False)
    sections.setCurrentIndex(0)
    sections.step(1)
    assert sections.currentIndex() == 2  # the disabled one skipped
    assert sections.focusPolicy() == Qt.FocusPolicy.TabFocus and sections.focusProxy() is sections.bar
