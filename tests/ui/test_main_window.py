import pytest
from PySide6.QtCore import Qt

from playground.keys import SERVICE
from tests.servers.base import Script
from tests.ui.conftest import off_gui, type_prompt

pytestmark = pytest.mark.gui


def last_chat(server):
    """The body of the last chat request (the window also lists models from the server)."""
    return next(r.body for r in reversed(server.received) if r.method == "POST")


def run_and_wait(qtbot, window, timeout=10_000):
    with qtbot.waitSignal(window.session.runFinished, timeout=timeout) as blocker:
        qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    return blocker.args[0]


def test_typing_updates_the_token_and_cost_counters(qtbot, window, core):
    type_prompt(qtbot, window, "How many tokens is this?")
    qtbot.waitUntil(lambda: window.counters.input.text().endswith(" tok"))
    expected = core.counter.count_prompt("gpt-4o-mini", "", window.draft().request.messages).tokens
    assert window.counters.input.text() == f"Prompt: {expected} tok"
    assert "$" in window.counters.input_cost.text() and "$" in window.counters.worst.text()
    assert window.counters.gauge.format().endswith("% of 128k")


def test_a_run_streams_text_fills_metrics_and_records_history(qtbot, window, core, local_openai):
    local_openai.push(Script(text="Streaming into the window now", token_delay=0.01, prompt_tokens=21))
    type_prompt(qtbot, window, "Say something")
    result = run_and_wait(qtbot, window)
    assert result.status == "ok"
    assert window.output.text() == "Streaming into the window now"
    assert window.output.plain.toPlainText() == "Streaming into the window now"
    assert "first token" in window.counters.ttft.text() and "$" in window.counters.cost.text()
    assert "reported prompt 21 tok" in window.counters.note.text()
    # how far our estimate was off, and which way: it read "estimate 9, +57.1%", as if the estimate
    # were the higher one
    assert result.estimated_input_tokens == 9
    assert window.counters.note.text() == "reported prompt 21 tok (our estimate 9, 57.1% under)"
    # the finished call's row says so and has its own prompt: the row above soon counts the next one
    assert window.counters.output.text() == f"Last call: 21 → {result.usage.output_tokens} tok"
    (row,) = off_gui(core.history.recent)
    assert row.status == "ok" and row.output == "Streaming into the window now"


def test_stop_mid_stream_keeps_the_partial_text(qtbot, window, core, local_openai):
    local_openai.push(Script(text="one two three four five six seven eight", token_delay=0.3))
    type_prompt(qtbot, window, "Count")
    with qtbot.waitSignal(window.session.runFinished, timeout=10_000) as blocker:
        window.run_action.trigger()
        qtbot.waitUntil(lambda: window.output.text().startswith("one two"), timeout=5000)
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    result = blocker.args[0]
    assert result.status == "cancelled"
    text = window.output.plain.toPlainText()
    assert text.startswith("one two") and "eight" not in text
    assert off_gui(lambda: core.history.get(result.call_id)).status == "cancelled"
    assert window.run_action.isEnabled() and not window.stop_action.isEnabled()


def test_a_rejected_key_is_shown_plainly_with_what_to_do(qtbot, window, core):
    core.keys.set("local", "sk-wrong-key-123456789")
    type_prompt(qtbot, window, "Hi")
    result = run_and_wait(qtbot, window)
    assert result.error.kind == "key_rejected"
    assert window.output.error.isVisible()
    text = window.output.error.text()
    assert "rejected" in text and "settings:keys" in text and "sk-wrong" not in text


def test_a_rate_limit_is_retried_and_the_answer_arrives(qtbot, window, local_openai):
    local_openai.push(
        Script(status=429, error_type="rate_limit_error", headers={"retry-after-ms": "200"}),
        Script(text="after the wait"),
    )
    type_prompt(qtbot, window, "Hi")
    result = run_and_wait(qtbot, window)
    assert result.status == "ok" and result.retries == 1
    assert window.output.text() == "after the wait"


def test_reasoning_model_disables_sampling_parameters_with_the_reason(qtbot, make_window):
    w = make_window()
    w.picker.select("openai", "o3")
    row = w.params.row("temperature")
    assert not row.field.isEnabled() and "reasoning models" in row.reason
    assert w.params.row("reasoning_effort").field.isEnabled()
    w.picker.select("openai", "gpt-4o")
    assert row.field.isEnabled()


def test_changed_parameters_are_sent_and_reset_goes_back(qtbot, window, local_openai):
    window.params.row("temperature").set_value(0.3)
    assert window.params.values() == {"temperature": 0.3, "max_tokens": 1024}
    type_prompt(qtbot, window, "Hi")
    run_and_wait(qtbot, window)
    assert last_chat(local_openai)["temperature"] == 0.3
    window.params.reset()
    assert window.params.values() == {"max_tokens": 1024}


def test_settings_saves_a_key_to_the_keyring(qtbot, window, memory_keyring):
    window.open_settings("keys")
    page = window.settings_dialog.keys
    qtbot.waitUntil(lambda: "openai" in page._rows)  # the key list is read in the background
    page.entry("openai").setText("sk-typed-into-settings-0001")
    qtbot.keyClick(page.entry("openai"), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "keyring" in page._rows["openai"]["result"].text())
    assert memory_keyring.get_password(SERVICE, "openai") == "sk-typed-into-settings-0001"
    assert "sk-typed" not in page._rows["openai"]["status"].text()


def test_settings_shows_the_price_data_version_and_date(qtbot, window):
    import genai_prices

    window.open_settings("prices")
    label = window.settings_dialog.prices.data_version
    qtbot.waitUntil(lambda: "genai-prices" in label.text(), timeout=5000)
    assert f"genai-prices {genai_prices.__version__}, bundled data (prices checked up to 20" in label.text()


def test_settings_adds_an_endpoint_from_a_preset(qtbot, window, core):
    window.open_settings("endpoints")
    page = window.settings_dialog.endpoints
    qtbot.waitUntil(lambda: page.table.rowCount() == 3)  # openai, anthropic and 'local' from the fixture
    form = page.open_form(None)
    form.preset.setCurrentIndex(form.preset.findData("ollama"))
    form.buttons.button(form.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: page.table.rowCount() == 4)
    assert off_gui(lambda: core.config.endpoint("ollama")).base_url == "http://localhost:11434/v1"
    assert page.form is None and "Saved ollama" in page.message.text()


def test_view_code_shows_the_request_with_the_key_from_the_environment(qtbot, window, core):
    type_prompt(qtbot, window, "Hi there")
    window.params.row("temperature").set_value(0.5)
    window.view_code()
    python = window.code_dialog.editors["Python"].toPlainText()
    curl = window.code_dialog.editors["curl"].toPlainText()
    assert "temperature=0.5" in python and "'Hi there'" in python and 'os.environ["LOCAL_API_KEY"]' in python
    assert "$LOCAL_API_KEY" in curl and core.keys.get("local") not in python + curl


def test_token_view_lists_the_prompt_tokens(qtbot, window):
    type_prompt(qtbot, window, "tokenize me please")
    window.view_tokens()
    qtbot.waitUntil(lambda: getattr(window, "token_dialog", None) is not None)
    dialog = window.token_dialog
    assert "tokens</b>" in dialog.summary.text()
    assert "".join(p.text for p in dialog.pieces) == "tokenize me please"
    assert dialog.describe(0).startswith("token 1: id ")


def test_probabilities_view_shades_tokens(qtbot, window):
    window.params.row("logprobs").set_value(True)
    type_prompt(qtbot, window, "Hi")
    run_and_wait(qtbot, window)
    window.output.modes.button(2).click()
    assert "background-color" in window.output.probs.toHtml()
    assert "%" in window.output.probs.explain(0)


def test_prompt_model_and_parameters_are_remembered(qtbot, make_window, local_openai):
    first = make_window()
    first.picker.select("local", "test-model")
    type_prompt(qtbot, first, "Remember {{thing}}")
    first.params.row("temperature").set_value(0.7)
    first.close()
    second = make_window()
    assert second.picker.current() == ("local", "test-model")
    assert second.editor.messages.messages()[0].content == "Remember {{thing}}"
    assert second.params.values()["temperature"] == 0.7


def test_variables_fill_the_prompt_that_is_sent(qtbot, window, local_openai):
    type_prompt(qtbot, window, "Translate {{word}} please")
    qtbot.waitUntil(lambda: window.editor.variables.rowCount() == 1)
    window.editor.variables.item(0, 1).setText("cheese")
    run_and_wait(qtbot, window)
    assert last_chat(local_openai)["messages"][-1]["content"] == "Translate cheese please"


def test_messages_can_be_added_moved_removed_and_undone(qtbot, window):
    type_prompt(qtbot, window, "first")
    window.add_message_action.trigger()
    rows = window.editor.messages._rows
    rows[1].text.setPlainText("second")
    assert [m.role for m in window.editor.messages.messages()] == ["user", "assistant"]
    rows[1].moveRequested.emit(rows[1], -1)
    assert [m.content for m in window.editor.messages.messages()] == ["second", "first"]
    window.editor.messages._rows[0].removeRequested.emit(window.editor.messages._rows[0])
    assert [m.content for m in window.editor.messages.messages()] == ["first"]
    window.undo_messages_action.trigger()
    assert [m.content for m in window.editor.messages.messages()] == ["second", "first"]


def test_with_no_key_and_no_server_the_window_explains_how_to_start(qtbot, make_window):
    w = make_window()
    assert "Getting started" in w.output.rich.toHtml()
    assert "Settings" in w.output.rich.toPlainText()


def test_a_found_local_server_becomes_a_free_endpoint(qtbot, make_window, core):
    from playground.llm.endpoints import PRESETS
    from playground.llm.local_servers import LocalServer

    window = make_window(local=[LocalServer(PRESETS["ollama"], ("llama3.2",))])
    # The window says so once adoption has finished (endpoint and its free price both written).
    qtbot.waitUntil(lambda: "Found local servers" in window.statusBar().currentMessage(), timeout=10_000)
    assert any(e.name == "ollama" for e in off_gui(core.config.endpoints))
    assert [o.model for o in off_gui(core.config.price_overrides) if o.endpoint == "ollama"] == ["*"]


def test_pasting_megabytes_is_counted_off_the_gui_thread(qtbot, window):
    big = ("lorem ipsum dolor sit amet " * 30 + "\n") * 6_600  # 5.4 MB in lines, like a pasted document
    window.editor.messages.first_editor().setPlainText(big)
    qtbot.waitUntil(lambda: window.counters.input.text().startswith("Prompt: 1,"), timeout=20_000)
    assert "tok" in window.counters.input.text()


def test_a_prompt_longer_than_the_context_window_is_flagged(qtbot, window):
    window.editor.messages.first_editor().setPlainText(("word " * 100 + "\n") * 1_400)  # ~140k tokens
    qtbot.waitUntil(lambda: "too long" in window.counters.gauge.format(), timeout=20_000)


def test_a_crossed_budget_shows_a_banner_and_a_run_that_could_cross_asks_first(
    qtbot, window, core, monkeypatch
):
    from decimal import Decimal

    from playground.spend.budgets import Budgets

    off_gui(lambda: core.budgets.set(Budgets(daily=Decimal("0.000001"))))
    type_prompt(qtbot, window, "Hi")
    qtbot.waitUntil(lambda: window.counters.worst.text() != "", timeout=5000)
    window.session.refresh_budget()
    qtbot.waitUntil(lambda: window.runs.budget is not None, timeout=5000)
    asked = []
    monkeypatch.setattr(window.runs, "confirm_over_budget", lambda text: asked.append(text) or False)
    window.run()
    assert asked and "daily budget" in asked[0] and not window.session.running
    monkeypatch.setattr(window.runs, "confirm_over_budget", lambda text: True)
    with qtbot.waitSignal(window.session.runFinished, timeout=10_000):
        window.run()
    qtbot.waitUntil(lambda: window.budget_banner.isVisible(), timeout=5000)
    assert "over the daily budget" in window.budget_banner.text()
