"""What the screenshot script shoots with: the event pump, the palettes, and the mode and dialog shots
at every size and palette (docs/make_screenshots.py)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

OUT = Path(os.environ.get("SCREENSHOTS_DIR") or Path(__file__).resolve().parent)  # docs/ unless told


def pump(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def wait_until(condition, timeout: float = 10) -> None:
    end = time.monotonic() + timeout
    while not condition() and time.monotonic() < end:
        pump(0.05)


def show_built(window, mode: str) -> None:
    """Show ``mode`` once its page is built (Spend, Plan and Evaluate load in steps: ui/page_loader.py)."""
    window.show_mode(mode)
    wait_until(lambda: not window.tabs.is_placeholder(window.tabs.currentWidget()), 30)


SIZES = ((1280, 800), (1920, 1080))
THEMES = ("light", "dark")
PNG_QUALITY = 0  # Qt maps PNG quality 0 to the strongest compression (same pixels, smaller files)


def palette(theme: str) -> QPalette:
    """Fusion's own light palette, or a dark one with readable links and disabled text."""
    if theme == "light":
        return QApplication.style().standardPalette()
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2b2b",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1e1e",
        QPalette.ColorRole.AlternateBase: "#262626",
        QPalette.ColorRole.ToolTipBase: "#3a3a3a",
        QPalette.ColorRole.ToolTipText: "#e6e6e6",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#353535",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Link: "#6cb4ff",
        QPalette.ColorRole.Highlight: "#2f6fb3",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#8a8a8a",
        QPalette.ColorRole.Mid: "#555555",
    }
    for role, color in roles.items():
        p.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    return p


def grab(widget, name: str) -> None:
    pump(0.3)
    path = OUT / name
    widget.grab().save(str(path), "PNG", PNG_QUALITY)
    print("saved", path)


def grab_screen(window, name: str) -> None:
    """The screen under the window: popups and dialogs are their own windows, so grab() misses them."""
    pump(0.3)
    path = OUT / name
    screen = QApplication.primaryScreen()
    screen.grabWindow(0, window.x(), window.y(), window.width(), window.height()).save(
        str(path), "PNG", PNG_QUALITY
    )
    print("saved", path)


def shoot_mode(window, mode: str, scene: str | None = None, prepare=None) -> None:
    """The mode at every size and palette; the window ends light at 1280×800.

    ``scene`` names a state of the mode (picker open, blind...); ``prepare`` runs after each resize
    (a popup or dialog to reopen, placed for the new size), and the screen is grabbed instead.
    """
    app = QApplication.instance()
    show_built(window, mode)
    for theme in THEMES:
        app.setPalette(palette(theme))
        for width, height in SIZES:
            window.resize(width, height)
            pump(0.5)
            if (window.width(), window.height()) != (width, height):
                print(f"WARNING: {mode} wants {window.width()}x{window.height()}, not {width}x{height}")
            name = f"mode-{mode.lower()}{'-' + scene if scene else ''}-{width}x{height}-{theme}.png"
            if prepare is None:
                grab(window, name)
            else:
                closer = prepare()
                grab_screen(window, name)
                if closer is not None:
                    closer()
    app.setPalette(palette("light"))
    window.resize(*SIZES[0])
    pump(0.3)


def shoot_dialog(dialog, name: str) -> None:
    """A dialog in both palettes (its size does not follow the window's)."""
    app = QApplication.instance()
    for theme in THEMES:
        app.setPalette(palette(theme))
        pump(0.4)
        grab(dialog, f"{name}-{theme}.png")
    app.setPalette(palette("light"))


def answer_questions(button: QMessageBox.StandardButton) -> QTimer:
    """Click ``button`` on each question box that shows until the returned timer is stopped (Compare's
    Run all asks before a run whose forecast could cross the budget the script types)."""

    def look() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            print(f"answered {button.name}:", " ".join(box.text().split()))
            box.button(button).click()

    timer = QTimer()
    timer.timeout.connect(look)
    timer.start(50)
    return timer


def compare_and_shoot(window, scene: str | None = None) -> None:
    """Run the comparison (yes to the budget question: the shots keep the budget warning), wait for every
    column, and shoot the Compare mode."""
    answering = answer_questions(QMessageBox.StandardButton.Yes)
    window.run()
    wait_until(lambda: window.compare_session.running, 10)  # asked, answered and started
    answering.stop()
    wait_until(lambda: not window.compare_session.running, 20)
    pump(0.5)
    shoot_mode(window, "Compare", scene)
