"""The endpoint form's third API style, Responses: its one-line explanation, Test connection, saving,
and a call on the saved endpoint going to /v1/responses; the preset for OpenAI through Responses."""

from PySide6.QtCore import Qt

from playground.llm.endpoints import OPENAI_URL
from playground.llm.request import Request
from tests.ui.conftest import off_gui
from tests.ui.settings.test_keys_and_endpoints import endpoints_page


def test_the_responses_style_is_explained_tested_saved_and_used(qtbot, window, core, openai_server):
    page = endpoints_page(qtbot, window, 3)
    form = page.open_form(None)
    styles = [form.api.itemText(i) for i in range(form.api.count())]
    assert styles[1:] == ["Chat Completions (OpenAI-compatible)", "Responses (OpenAI)", "Anthropic Messages"]
    form.name.setText("resp")
    form.base_url.setText(openai_server.base_url)
    form.api.setCurrentIndex(form.api.findData("openai-responses"))
    assert form.api_help.text().startswith("POST /responses")
    form.api.setCurrentIndex(form.api.findData("anthropic"))
    assert "/v1/messages" in form.api_help.text()
    form.api.setCurrentIndex(form.api.findData("openai-responses"))
    form.key_kind.setCurrentIndex(form.key_kind.findData("saved"))
    form.key.setText(openai_server.api_key)
    qtbot.mouseClick(form.test, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.test.isEnabled(), timeout=20_000)
    assert form.test_result.text().startswith("✓ OpenAI Responses server, 3 models, answered in ")
    assert form.api.currentData() == "openai-responses"  # chosen, kept
    form.buttons.button(form.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: page.table.rowCount() == 4, timeout=20_000)
    saved = off_gui(lambda: core.config.endpoint("resp"))
    assert saved.api == "openai-responses" and not saved.official
    result = off_gui(lambda: core.runner.run(Request.single("resp", "gpt-4o-mini", "hi")))
    assert result.status == "ok", result.error
    # The window may list the new endpoint's models meanwhile (GET /v1/models): look at the calls only.
    posts = [r.path for r in openai_server.received if r.method == "POST"]
    assert posts == ["/v1/responses"]


def test_the_preset_is_openai_itself_through_responses(qtbot, window):
    page = endpoints_page(qtbot, window, 3)
    form = page.open_form(None)
    form.preset.setCurrentIndex(form.preset.findData("openai-responses"))
    assert form.api.currentData() == "openai-responses" and form.base_url.text() == OPENAI_URL
    assert form.key_kind.currentData() == "env" and form.key_env.text() == "OPENAI_API_KEY"
    draft = form.draft()
    assert draft.endpoint.official and draft.endpoint.price_as == "openai"
