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

OUT = Path(os.environ.get("SCREENSHOTS_DIR") or Path(__file__).resolve().parent)  # docs/ unless told
BILL = Path(__file__).resolve().parents[1] / "tests" / "data" / "bills" / "openai_costs.csv"
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


def shoot_plan(window) -> None:
    """The Plan mode on a support bot: a cached prefix, a batched share, one model too small."""
    from decimal import Decimal

    from playground.plan.sources import PlanSeed
    from playground.plan.workload import Tokens, Workload

    workload = Workload(
        Decimal(20_000),
        Tokens(6_000, 9_500),
        Tokens(350, 900),
        cacheable_share=Decimal("0.7"),
        cache_hit_rate=Decimal("0.8"),
        batch_share=Decimal("0.25"),
        retry_rate=Decimal("0.02"),
        growth_per_month=Decimal("0.05"),
        max_tokens=4096,
        name="support bot",
    )
    models = ("gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4", "claude-sonnet-4-5", "claude-haiku-4-5")
    window.show_plan(PlanSeed(workload=workload, models=models, source="the Playground's prompt"))
    wait_until(
        lambda: window.plan is not None and window.plan.data is not None and window.plan.chart is not None, 30
    )
    shoot_mode(window, "Plan")
    window.plan.details.setCurrentWidget(window.plan.chart)
    shoot_mode(window, "Plan", "sensitivity")
    window.plan.details.setCurrentIndex(0)


REVIEW_SCHEMA = {
    "type": "object",
    "properties": {
        "sentiment": {"type": "string", "enum": ["positive", "neutral", "negative"]},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "quote": {"type": "string"},
    },
    "required": ["sentiment", "confidence", "quote"],
    "additionalProperties": False,
}


def shoot_structured_compare(window, server) -> None:
    """Which model follows my schema: the same JSON schema for every column, one line each saying
    valid, or invalid and where. Leaves the Playground asking for plain text again."""
    compare = window.compare
    compare.repeats.setValue(1)
    window.show_mode("Playground")
    window.new_conversation()
    window.editor.messages.first_editor().setPlainText(
        "Classify this review: 'The battery lasts two days, but the screen scratches easily.'"
    )
    window.params.output.set_schema(REVIEW_SCHEMA, "review")
    server.answer_per_model(
        {
            "gpt-4o-mini": '{"sentiment": "neutral", "confidence": 0.72, "quote": "scratches easily"}',
            "gpt-4o": '{"sentiment": "neutral", "confidence": 0.8, "quote": "The battery lasts two days"}',
            "gpt-4.1-nano": '{"sentiment": "mixed", "confidence": 0.6, "quote": "battery lasts two days"}',
        },
        token_delay=0.01,
        first_token_delay=0.1,
    )
    window.show_mode("Compare")
    pump(0.5)
    window.run()
    wait_until(lambda: not window.compare_session.running, 20)
    pump(0.5)
    shoot_mode(window, "Compare", "schema")
    window.params.output.set_value(None)


def shoot_tool_loop(window, server) -> None:
    """A tool-call loop: two parallel calls (one with arguments that break its schema), their results
    typed, then the answer after Send results. Leaves the Playground without tools."""
    from playground.llm.tools import ToolSpec

    city = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
    window.show_mode("Playground")
    window.new_conversation()
    window.params.tools.set_tools(
        [
            ToolSpec("get_weather", "The weather in a city now.", city),
            ToolSpec("get_time", "Local time.", city),
        ]
    )
    window.editor.messages.first_editor().setPlainText(
        "Should I take an umbrella in Paris? What time is it there?"
    )
    server.push(
        Script(tool_calls=[("get_weather", '{"city": "Paris"}'), ("get_time", '{"town": "Paris"}')]),
        Script(text="Yes: light rain in Paris (14 °C). It is 16:05 there.", token_delay=0.02),
    )
    window.run()
    view = window.output.tool_calls
    wait_until(lambda: len(view.results) == 2 and not window.session.running, 20)
    view.results[0].setPlainText('{"sky": "light rain", "temp_c": 14}')
    view.results[1].setPlainText('{"time": "16:05"}')
    shoot_mode(window, "Playground", "tools")
    view.send_button.click()
    wait_until(lambda: "16:05" in window.output.text() and not window.session.running, 20)
    grab(window, "screenshot-tools-answer.png")
    window.params.tools.set_tools([])


def shoot_prompt_cache(window, core) -> None:
    """Prompt caching on Anthropic: the system prompt marked for 5 minutes, a first run that writes the
    cache and a repeat that reads it, with what caching saved in the counters. Leaves nothing marked."""
    from tests.servers.anthropic_server import AnthropicTestServer

    manual = " ".join(
        f"Rule {i}: answer refund questions from the policy, quoting its section." for i in range(160)
    )
    with AnthropicTestServer() as claude:
        core.config.add_endpoint(
            Endpoint("claude-local", "anthropic", claude.base_url, "claude-local", price_as="anthropic")
        )
        core.keys.set("claude-local", claude.api_key)
        window.session.refresh_models()
        pump(1.0)
        window.show_mode("Playground")
        window.new_conversation()
        window.picker.select("claude-local", "claude-sonnet-4-5")
        window.editor.system.setPlainText(manual)
        window.params.cache.system.check.setChecked(True)
        window.editor.messages.first_editor().setPlainText("Can I return opened headphones?")
        for text in ("Yes, within 30 days (section 4.2).", "Yes: within 30 days, with the receipt (4.2)."):
            claude.push(Script(text=text, token_delay=0.02))
            window.run()
            wait_until(lambda: not window.session.running, 20)
        pump(0.5)
        shoot_mode(window, "Playground", "cache")
        window.params.cache.set_value(None)
        window.editor.system.setPlainText("")
        window.picker.select("local", "gpt-4o-mini")


def shoot_library(window, core) -> None:
    """The prompt library: three versions of one prompt, the newest two diffed."""
    from playground.llm.request import Message
    from playground.prompts.store import PromptStore

    store = PromptStore(core.storage)
    for note, text, params in (
        ("first draft", "What is the capital of {{country}}?", {"temperature": 0.7}),
        ("one word, cooler", "What is the capital of {{country}}? One word.", {"temperature": 0.2}),
        (
            "capped length",
            "What is the capital of {{country}}? One word.",
            {"temperature": 0.2, "max_tokens": 20},
        ),
    ):
        store.save(
            "capital",
            note,
            system="You are a concise geography tutor.",
            messages=[Message("user", text)],
            params=params,
            endpoint="local",
            model="gpt-4o-mini",
        )
    window.menu.library_action.trigger()
    dialog = window.menu.library().dialog
    wait_until(lambda: dialog.versions.count() == 3)
    dialog.versions.item(0).setSelected(True)
    dialog.versions.item(1).setSelected(True)
    dialog.diff_selected()
    wait_until(lambda: dialog.diff.toPlainText() != "")
    shoot_dialog(dialog, "library")
    dialog.close()


def shoot_images(window, server) -> None:
    """A user message with two attached images (thumbnails, detail level) and the estimate with image
    tokens; then a text-only model, which says why it will not take them."""
    from tests.playground.llm.image_samples import png

    folder = Path(tempfile.mkdtemp())
    paths = [folder / "chart.png", folder / "photo.png"]
    paths[0].write_bytes(png(1024, 768, (70, 130, 180)))
    paths[1].write_bytes(png(800, 1200, (230, 160, 60)))
    window.show_mode("Playground")
    window.new_conversation()
    window.picker.select("local", "gpt-4o")
    row = window.editor.messages._rows[0]
    row.text.setPlainText("What differs between these two images?")
    row.images.add_files(paths)
    wait_until(lambda: len(row.message().images) == 2)
    pump(1.0)
    shoot_mode(window, "Playground", "images")
    window.picker.select("local", "gpt-3.5-turbo")
    pump(0.5)
    grab(window, "screenshot-images-no-vision.png")
    window.picker.select("local", "gpt-4o-mini")
    window.new_conversation()


EVAL_SUITE = """name = "capitals"
cases_file = "capitals.csv"
params = { max_tokens = 50 }
prompt = "What is the capital of {{country}}? Answer with the city only."
[[targets]]
endpoint = "local"
model = "gpt-4o"
[[targets]]
endpoint = "local"
model = "gpt-4o-mini"
[[targets]]
endpoint = "local"
model = "gpt-4.1-nano"
[[checks]]
type = "contains"
value = "{{expected}}"
ignore_case = true
[[checks]]
type = "not_contains"
value = ["sorry", "maybe"]
ignore_case = true
"""
# The test servers answer by model, not by question: each model says the same city to every case, so
# the columns differ in how they answer (plain, hedged, terse) and the Paris cases are the ones passed.
EVAL_ANSWERS = {
    "gpt-4o": "The capital is Paris.",
    "gpt-4o-mini": "Sorry, maybe Paris.",
    "gpt-4.1-nano": "Paris",
}


def shoot_evaluate(window, server, home: Path) -> None:
    """The Evaluate mode after a run of 20 cases x 3 columns, one case open and graded by hand."""
    tests_data = Path(__file__).resolve().parents[1] / "tests" / "data" / "eval"
    rows = (tests_data / "capitals.csv").read_text().splitlines()
    # the suite's own cases without their per-case checks (the tests' JSON checks would fail every model)
    cases = ["name,country,expected"] + [",".join(row.split(",")[:3]) for row in rows[1:]]
    (home / "capitals.csv").write_text("\n".join(cases) + "\n")
    (home / "capitals.toml").write_text(EVAL_SUITE)
    server.answer_per_model(EVAL_ANSWERS)
    show_built(window, "Evaluate")
    page = window.tabs.evaluate
    page.open_suite(home / "capitals.toml")
    wait_until(lambda: page.run_button.isEnabled(), 10)
    page.run()
    wait_until(lambda: page.outcome is not None, 30)
    page.show_case(0, 1)
    wait_until(lambda: page.detail.case == 0, 10)
    page.detail.comment.setText("hedges, but names the right city: fine for us")
    page.detail.save.click()
    pump(1.0)
    shoot_mode(window, "Evaluate")
    server.answer_per_model({})


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
        window.run()
        wait_until(lambda: not window.compare_session.running, 20)
        pump(0.5)
        shoot_mode(window, "Compare")
        compare.blind.setChecked(True)  # blind: the next run hides which column is which until the vote
        pump(0.3)
        window.run()
        wait_until(lambda: not window.compare_session.running, 20)
        pump(0.5)
        shoot_mode(window, "Compare", "blind")
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
