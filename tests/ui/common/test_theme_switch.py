"""Switching to a dark theme while the app runs: the notice banner's text and buttons and the welcome
page's links take the dark theme's colours (they kept the light ones: black text on dark red, a
white button, dark blue links on near black; seen on a new-user tour)."""

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from ui.common.banner import NoticeBanner
from ui.playground.output_pane import OutputPane

pytestmark = pytest.mark.gui

DARK_TEXT, DARK_BUTTON, DARK_LINK = QColor("#e6e6e6"), QColor("#353535"), QColor("#6cb4ff")


@pytest.fixture
def dark(qapp):
    light = qapp.palette()
    dark = QPalette(light)
    for role, color in (
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.WindowText, DARK_TEXT),
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.Text, DARK_TEXT),
        (QPalette.ColorRole.Button, DARK_BUTTON),
        (QPalette.ColorRole.ButtonText, DARK_TEXT),
        (QPalette.ColorRole.Link, DARK_LINK),
    ):
        dark.setColor(role, QColor(color))
    yield lambda: QApplication.setPalette(dark)
    QApplication.setPalette(light)


def test_the_banner_follows_a_theme_switch(qtbot, dark):
    banner = NoticeBanner()
    qtbot.addWidget(banner)
    banner.add("No system keyring is available.", ("Enter a key…", lambda: None))
    banner.show()
    dark()
    qtbot.wait(20)
    label, button = banner.findChild(QLabel), banner.findChild(QPushButton)
    assert label.palette().color(QPalette.ColorRole.WindowText) == DARK_TEXT
    assert button.palette().color(QPalette.ColorRole.Button) == DARK_BUTTON


def test_the_welcome_links_follow_a_theme_switch(qtbot, dark):
    pane = OutputPane()
    qtbot.addWidget(pane)
    pane.show_welcome()
    pane.show()
    dark()
    qtbot.wait(20)
    html = pane.rich.document().toHtml()
    assert DARK_LINK.name() in html.lower()


def test_the_spend_cover_of_the_running_period_follows_a_theme_switch(qtbot, make_window, core, dark):
    """The translucent cover that pales today's bar is the plot's background: it stayed light."""
    from tests.ui.spend.known_history import noon, open_spend, record

    record(core, noon(0), "gpt-4o", "0.10")
    record(core, noon(2), "gpt-4o", "0.20")
    view = open_spend(make_window, qtbot)
    qtbot.waitUntil(lambda: not view.drawing)
    panel = view.spend_panel
    alpha = panel.veil.brush().color().alpha()
    dark()
    qtbot.waitUntil(lambda: panel.veil.brush().color().rgb() == QColor("#1e1e1e").rgb())
    assert panel.veil.brush().color().alpha() == alpha  # still as translucent
    assert panel.plot.backgroundBrush().color().rgb() == QColor("#1e1e1e").rgb()
