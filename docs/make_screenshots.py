"""Screenshots of the real window for the README, against the local test servers.

Run under a virtual X server:  xvfb-run -s "-screen 0 1400x900x24" python -m docs.make_screenshots
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

from PySide6.QtCore import QTimer
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


def grab(widget, name: str) -> None:
    pump(0.3)
    screen = QApplication.primaryScreen()
    pixmap = screen.grabWindow(
        0, widget.x(), widget.y(), widget.frameGeometry().width(), widget.frameGeometry().height()
    )
    path = OUT / name
    pixmap.save(str(path))
    print("saved", path)


def main() -> int:
    app = QApplication(sys.argv)
    home = Path(tempfile.mkdtemp())
    with OpenAITestServer() as server:
        core = build_core(home, keyring_backend=MemoryKeyring(), environ={})
        session = Session(local_probe=list)
        window = MainWindow(session, WindowState(home / "window.ini"))
        window.resize(1360, 840)
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

        core.keys.set("local", "sk-wrong-key-for-the-screenshot")
        window.run()
        wait_until(lambda: not session.running)
        grab(window, "screenshot-error.png")

        core.keys.set("local", server.api_key)
        from playground.compare.columns import Column

        window.tabs.setCurrentWidget(window.compare)
        window.editor.messages.first_editor().setPlainText("In one sentence: why is the sky blue?")
        compare = window.compare
        compare.add_column(Column("local", "gpt-4o-mini"))
        compare.add_column(Column("local", "gpt-4o", {"temperature": "0.2"}))
        compare.add_column(Column("local", "gpt-4.1-nano"))
        compare.repeats.setValue(2)
        compare.budget.setText("0.01")
        answers = [
            "Sunlight scatters off air molecules, and blue light scatters most (Rayleigh scattering).",
            "Air molecules scatter short blue wavelengths far more than red ones, so the sky looks blue.",
            "Because of Rayleigh scattering: shorter wavelengths are scattered more strongly.",
        ]
        for _repeat in range(2):
            for i, text in enumerate(answers):
                server.push(Script(text=text, token_delay=0.01 + 0.01 * i, first_token_delay=0.1 * (i + 1)))
        pump(1.0)
        window.run()
        wait_until(lambda: not window.compare_session.running, 20)
        pump(0.5)
        grab(window, "screenshot-compare.png")
        window.tabs.setCurrentWidget(window.history)
        window.history.refresh()
        window.history.table.selectRow(1)
        pump(0.5)
        grab(window, "screenshot-history.png")
        from datetime import UTC, datetime, timedelta
        from decimal import Decimal

        from playground.history.calls import CallEnd, CallStart
        from playground.llm.request import Request

        rng = __import__("random").Random(3)
        for back in range(60):  # two months of made-up history for the dashboard picture
            day = datetime.now(UTC) - timedelta(days=back)
            for model, price, ms in (
                ("gpt-4o", 0.004, 1600),
                ("gpt-4o-mini", 0.0004, 800),
                ("claude-haiku-4-5", 0.002, 1100),
            ):
                for _ in range(rng.randint(1, 4)):
                    call = core.history.start_call(
                        CallStart(Request.single("local", model, "p"), "openai", None, {}, started_at=day)
                    )
                    core.history.finish_call(
                        call,
                        CallEnd(
                            "ok",
                            input_tokens=rng.randint(200, 3000),
                            output_tokens=rng.randint(50, 800),
                            cost_usd=Decimal(str(round(price * rng.uniform(0.5, 3), 6))),
                            duration_ms=ms * rng.uniform(0.6, 1.8),
                            ttft_ms=ms * rng.uniform(0.1, 0.3),
                        ),
                    )
        from playground.spend.budgets import Budgets

        core.budgets.set(Budgets(monthly=Decimal("0.5")))
        window.show_spend()
        window.spend.range.setCurrentText("90 days")
        pump(1.5)
        grab(window, "screenshot-spend.png")
        window.tabs.setCurrentIndex(0)

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
