"""Screenshots of the real window for the README, against the local test servers.

Run under a virtual X server:
    xvfb-run -s "-screen 0 1920x1080x24" env QT_QPA_PLATFORM=xcb .venv/bin/python -m docs.make_screenshots

Every mode is shot at 1280×800 and 1920×1080, in a light and a dark palette (Qt's Fusion style), as
docs/mode-<mode>[-<scene>]-<width>x<height>-<light|dark>.png: each mode, and the scenes a new user meets
(Playground: a conversation with a branch, the model picker open, F1's shortcuts, a tool-call
loop, prompt caching on Anthropic; Compare: blind before the vote and revealed after it; History: What
if…; Spend: the Provider bill tab, on the 90-day sample; Plan: a support bot's plan and its sensitivity).
The Settings pages and the endpoint form (before and after Test connection) are dialogs whose size does
not follow the window's: settings-<page>-<light|dark>.png. A few Playground states: docs/screenshot-*.png.
SCREENSHOTS_DIR=/tmp/somewhere writes them there instead of docs/. About two minutes.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from docs.scenes import (
    shoot_evaluate,
    shoot_images,
    shoot_library,
    shoot_plan,
    shoot_prompt_cache,
    shoot_structured_compare,
    shoot_tool_loop,
)
from docs.shoot import (
    SIZES,
    compare_and_shoot,
    grab,
    palette,
    pump,
    shoot_dialog,
    shoot_mode,
    show_built,
    wait_until,
)
from playground.core import build_core
from playground.llm.endpoints import Endpoint
from tests.memory_keyring import MemoryKeyring
from tests.servers.base import Script
from tests.servers.openai_server import OpenAITestServer
from ui.main_window import MainWindow
from ui.playground.session import Session
from ui.window_state import WindowState

BILL = Path(__file__).resolve().parents[1] / "tests" / "data" / "bills" / "openai_costs.csv"
ANSWER = (
    "**Temperature** scales the model's token probabilities before sampling.\n\n"
    "- At **0** it almost always picks the most likely token: focused, repeatable answers.\n"
    "- Around **1** it samples from the distribution as trained: varied but sensible.\n"
    "- Above **1.5** unlikely tokens win often: creative, then incoherent.\n\n"
    "Try the same prompt at 0, 0.7 and 1.5 and compare."
)


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

        # A conversation with a branch: a follow-up, then the first turn edited and re-run.
        server.push(Script(text="**top_p** keeps only the likeliest tokens whose probabilities add up to p."))
        window.editor.messages.last_editor().setPlainText("And what does top_p do?")
        window.run()
        wait_until(lambda: not session.running, 20)
        first = window.editor.messages._rows[0]
        first.text.setPlainText("What does the temperature parameter do? One sentence.")
        server.push(Script(text="It scales how adventurous the sampling is: 0 is focused, 1.5 is wild."))
        first.rerun.click()
        wait_until(lambda: not session.running, 20)
        shoot_mode(window, "Playground", "branch")

        def open_picker():
            window.picker.open()
            pump(0.5)
            return window.picker.popup.hide

        shoot_mode(window, "Playground", "picker", open_picker)

        def open_shortcuts():
            window.show_shortcuts()
            pump(0.5)
            return window.shortcuts_dialog.close

        shoot_mode(window, "Playground", "shortcuts", open_shortcuts)

        window.new_conversation()
        window.editor.messages.first_editor().setPlainText("And what does top_p do?")
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
        compare_and_shoot(window)
        compare.blind.setChecked(True)  # blind: the next run hides which column is which until the vote
        pump(0.3)
        compare_and_shoot(window, "blind")
        compare.shown()[1].vote_button.click()
        wait_until(lambda: compare.columns and "Model" not in compare.columns[0].title.text(), 5)
        pump(0.5)
        shoot_mode(window, "Compare", "voted")
        compare.blind.setChecked(False)
        shoot_structured_compare(window, server)
        shoot_tool_loop(window, server)
        shoot_prompt_cache(window, core)

        from docs.sample_history import add_sample
        from playground.bills.service import Bills

        add_sample(core)  # a deterministic 90-day history for the History and Spend pictures
        Bills(core.storage, core.keys).import_csv(BILL)  # a provider's exported costs, for the bill tab
        window.show_mode("History")
        window.history.refresh()
        wait_until(lambda: window.history.model_.rowCount() > 50)  # the sample, read in the background
        window.history.table.selectRow(1)
        pump(0.5)
        shoot_mode(window, "History")

        def what_if():
            window.history.table.clearSelection()  # the whole 90 days, not the selected call
            window.history.ask_what_if()
            dialog = window.history.whatif_dialog
            wait_until(lambda: dialog.targets.count() > 1, 10)
            dialog.check(("openai", "gpt-4o-mini"))
            dialog.run()
            wait_until(lambda: dialog.progress.value() == dialog.progress.maximum() > 0, 20)
            pump(0.3)
            return dialog.close

        shoot_mode(window, "History", "whatif", what_if)
        window.history.table.selectRow(1)
        from decimal import Decimal

        from playground.spend.budgets import Budgets

        core.budgets.set(Budgets(monthly=Decimal("6")))
        show_built(window, "Spend")
        window.spend.range.setCurrentText("90 days")
        pump(1.5)
        shoot_mode(window, "Spend")
        sections = window.spend.sections
        titles = [sections.tabText(i) for i in range(sections.count())]
        if "Provider bill" in titles:
            sections.setCurrentIndex(titles.index("Provider bill"))
            pump(1.0)
            shoot_mode(window, "Spend", "bill")
            sections.setCurrentIndex(0)
        shoot_plan(window)
        shoot_evaluate(window, server, home)
        window.show_mode("Playground")
        shoot_library(window, core)

        shoot_images(window, server)

        window.open_settings("endpoints")
        pump(0.5)
        dialog = window.settings_dialog
        dialog.move(120, 80)
        grab(dialog, "screenshot-settings.png")
        for tab in ("keys", "endpoints", "prices", "general"):
            dialog.show_tab(tab)
            pump(0.5)
            shoot_dialog(dialog, f"settings-{tab}")
        dialog.show_tab("endpoints")
        form = dialog.endpoints.open_form(core.config.endpoint("local"))
        pump(0.5)
        shoot_dialog(form, "settings-endpoint-form")
        form.test.click()  # Test connection against the local server: its models and the round trip
        wait_until(lambda: form.test.isEnabled(), 15)
        shoot_dialog(form, "settings-endpoint-tested")
        form.close()
        dialog.close()
        window.close()
        core.close()
    QTimer.singleShot(0, app.quit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
