"""The scenes beyond a plain mode: Plan on a support bot, a structured and a tool-calling comparison,
prompt caching, the prompt library, images, and an evaluation (docs/make_screenshots.py)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from docs.shoot import compare_and_shoot, grab, pump, shoot_dialog, shoot_mode, show_built, wait_until
from playground.llm.endpoints import Endpoint
from tests.servers.base import Script


def shoot_plan(window) -> None:
    """The Plan mode on a support bot: a cached prefix, a batched share, one model too small."""
    from decimal import Decimal

    from playground.plan.sources import PlanSeed
    from playground.plan.workload import Tokens, Workload

    workload = Workload(
        Decimal(20_000),
        Tokens(6_000, 9_500, 6_600),  # with their averages, as measured from History
        Tokens(350, 900, 420),
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
    compare_and_shoot(window, "schema")
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
