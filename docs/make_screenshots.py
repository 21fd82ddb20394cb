"""Screenshots of the real window for the README, against the local test servers.

Run under a virtual X server:
    xvfb-run -s "-screen 0 1920x1080x24" env QT_QPA_PLATFORM=xcb .venv/bin/python -m docs.make_screenshots

Every mode is shot at 1280×800 and 1920×1080, in a light and a dark palette (Qt's Fusion style), as
docs/mode-<mode>-<width>x<height>-<light|dark>.png; a few Playground states as docs/screenshot-*.png.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from playground.core import build_core
from playground.llm.endpoints import Endpoint
from tests.memory_keyring import MemoryKeyring
from tests.servers.base import Script
from tests.servers.openai_server import OpenAITestServer
from ui.main_window import MainWindow
from ui.playground.session import Session
from ui.window_state import WindowState

OUT = Path(__file__).resolve().parent
ANSWER = (
    "**Temperature** scales the model's token probabilities before sampling.\n\n"
    "- At **0** it almost always picks the most likely token: focused, repeatable answers.\n"
    "- Around **1** it samples from the distribution as trained: varied but sensible.\n"
    "- Above **1.5** unlikely tokens win often: creative, then incoherent.\n\n"
    "Try the same prompt at 0, 0.7 and 1.5 and compare."
)


def pump(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def wait_until(condition, timeout: float = 10) -> None:
    end = time.monotonic() + timeout
    while not condition() and time.monotonic() < end:
        pump(0.05)


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


def shoot_mode(window, mode: str) -> None:
    """The mode at every size and palette; the window ends light at 1280×800."""
    app = QApplication.instance()
    window.show_mode(mode)
    for theme in THEMES:
        app.setPalette(palette(theme))
        for width, height in SIZES:
            window.resize(width, height)
            pump(0.5)
            if (window.width(), window.height()) != (width, height):
                print(f"WARNING: {mode} wants {window.width()}x{window.height()}, not {width}x{height}")
            grab(window, f"mode-{mode.lower()}-{width}x{height}-{theme}.png")
    app.setPalette(palette("light"))
    window.resize(*SIZES[0])
    pump(0.3)


def main() -> int:
    app = QApplication(sys.argv)
    app.setStyle("Fusion")
    app.setPalette(palette("light"))
    home = Path(tempfile.mkdtemp())
    with OpenAITestServer() as server:
        core = build_core(home, keyring_backend=MemoryKeyring(), environ={})
        session = Session(local_probe=list)
        window = MainWindow(session, WindowState(home / "window.ini"))
        window.resize(*SIZES[0])
        window.move(0, 0)
        window.show()
        session.attach(core)
        pump(1.0)
        grab(window, "screenshot-empty.png")

        core.config.add_endpoint(Endpoint("local", "openai", server.base_url, "local", price_as="openai"))
        core.keys.set("local", server.api_key)
        session.refresh_models()
        window.picker.select("local", "gpt-4o-mini")
        window.editor.system.setPlainText("You are a patient teacher. Answer in short Markdown.")
        window.editor.messages.first_editor().setPlainText("What does the temperature parameter do?")
        window.params.row("temperature").set_value(0.7)
        window.params.row("logprobs").set_value(True)
        pump(1.0)
        server.push(Script(text=ANSWER, token_delay=0.05, first_token_delay=0.3, prompt_tokens=31))
        window.run()
        wait_until(lambda: len(window.output.text()) > 160)
        grab(window, "screenshot-streaming.png")
        wait_until(lambda: not session.running, 20)
        window.output.modes.button(1).click()
        pump(0.5)
        grab(window, "screenshot-done.png")
        shoot_mode(window, "Playground")

        window.editor.messages.last_editor().setPlainText("And what does top_p do?")
        core.keys.set("local", "sk-wrong-key-for-the-screenshot")
        window.run()
        wait_until(lambda: not session.running)
        grab(window, "screenshot-error.png")

        core.keys.set("local", server.api_key)
        from playground.compare.columns import Column

        window.show_mode("Playground")
        window.new_conversation()
        window.editor.messages.first_editor().setPlainText("In one sentence: why is the sky blue?")
        compare = window.compare
        compare.add_column(Column("local", "gpt-4o-mini"))
        compare.add_column(Column("local", "gpt-4o", {"temperature": "0.2"}))
        compare.add_column(Column("local", "gpt-4.1-nano"))
        compare.repeats.setValue(2)
        compare.budget.setText("0.01")
        server.answer_per_model(  # each column answers in its own words, whatever the arrival order
            {
                "gpt-4o-mini": "Sunlight scatters off air molecules, and blue light scatters most "
                "(Rayleigh scattering). (gpt-4o-mini)",
                "gpt-4o": "Air molecules scatter short blue wavelengths far more than red ones, so the "
                "sky looks blue. (gpt-4o)",
                "gpt-4.1-nano": "Because of Rayleigh scattering: shorter wavelengths are scattered more "
                "strongly. (gpt-4.1-nano)",
            },
            token_delay=0.015,
            first_token_delay=0.2,
        )
        window.show_mode("Compare")
        pump(1.0)
        window.run()
        wait_until(lambda: not window.compare_session.running, 20)
        pump(0.5)
        shoot_mode(window, "Compare")
        from docs.sample_history import add_sample

        add_sample(core)  # a deterministic 90-day history for the History and Spend pictures
        window.show_mode("History")
        window.history.refresh()
        window.history.table.selectRow(1)
        pump(0.5)
        shoot_mode(window, "History")
        from decimal import Decimal

        from playground.spend.budgets import Budgets

        core.budgets.set(Budgets(monthly=Decimal("6")))
        window.show_spend()
        window.spend.range.setCurrentText("90 days")
        pump(1.5)
        shoot_mode(window, "Spend")
        window.show_mode("Playground")

        window.open_settings("endpoints")
        pump(0.5)
        window.settings_dialog.move(120, 80)
        grab(window.settings_dialog, "screenshot-settings.png")
        window.settings_dialog.close()
        window.close()
        core.close()
    QTimer.singleShot(0, app.quit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
