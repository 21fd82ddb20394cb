"""The Compare prompt line's "Edit in Playground" link takes the new palette's link colour."""

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from ui.compare.toolbar import PromptLine

pytestmark = pytest.mark.gui


def colours(widget) -> set[str]:
    image = widget.grab().toImage()
    return {image.pixelColor(x, y).name() for x in range(image.width()) for y in range(image.height())}


def test_the_link_follows_a_palette_change(qtbot):
    app = QApplication.instance()
    before = app.palette()
    line = PromptLine()
    qtbot.addWidget(line)
    line.resize(400, 30)
    line.show()
    old_link = QColor(before.color(QPalette.ColorRole.Link)).name()
    assert old_link in colours(line)
    dark = QPalette(before)
    dark.setColor(QPalette.ColorRole.Link, QColor("#6cb4ff"))
    try:
        app.setPalette(dark)
        qtbot.waitUntil(lambda: "#6cb4ff" in colours(line), timeout=2000)
        assert old_link not in colours(line)
    finally:
        app.setPalette(before)
