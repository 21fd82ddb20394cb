"""What a user does on the Evaluate page, for its tests: open a suite, run it, click a cell."""

from __future__ import annotations

from PySide6.QtCore import Qt

WAIT = 60_000


def open_suite(qtbot, page, path):
    with qtbot.waitSignal(page.suiteShown, timeout=WAIT):
        page.open_suite(path)


def click_cell(qtbot, page, case, column):
    """Click a case's cell as a user does (the summary row is the grid's first)."""
    item = page.grid.item(case + 1, column)
    page.grid.scrollToItem(item)
    qtbot.mouseClick(
        page.grid.viewport(), Qt.MouseButton.LeftButton, pos=page.grid.visualItemRect(item).center()
    )


def run(qtbot, page, resume=False):
    with qtbot.waitSignal(page.runFinished, timeout=WAIT) as got:
        page.resume_button.click() if resume else page.run_button.click()
    return got.args[0]
