"""Error advice names the endpoint's own key and settings that exist, for every kind and both API styles."""

import pytest

from playground.llm.errors import CallError, ErrorKind, Where
from playground.llm.providers.base import LIMIT_VARIABLES
from playground.llm.request import Request
from tests.servers.base import Script

ENDPOINTS = {
    "openai": Where("groq", "groq", "openai"),
    "anthropic": Where("work-claude", "work-claude", "anthropic"),
}
KEY_KINDS = {ErrorKind.KEY_MISSING, ErrorKind.KEY_REJECTED}


@pytest.mark.parametrize("api", sorted(ENDPOINTS))
@pytest.mark.parametrize("kind", list(ErrorKind))
@pytest.mark.parametrize("gui", [False, True])
def test_advice_names_the_right_key_and_setting(kind, api, gui):
    where = ENDPOINTS[api]
    other = ENDPOINTS["anthropic" if api == "openai" else "openai"]
    text = CallError(kind, "x").at(where).advice("openai", gui=gui)  # the caller's guess must lose
    assert "{" not in text and "}" not in text
    assert other.key_name not in text and "keys set openai" not in text
    if kind in KEY_KINDS:
        assert where.key_name in text and "Settings ▸ Keys" in text
        if not gui:
            assert f"`playground keys set {where.key_name}`" in text
    if kind == ErrorKind.TIMEOUT:
        assert all(variable in text for variable in LIMIT_VARIABLES.values())
        assert "Settings ▸ General ▸ Streams" in text  # the page that exists (ui/settings/general_page.py)
    if kind == ErrorKind.MALFORMED_STREAM:
        assert ("Anthropic Messages" if api == "anthropic" else "OpenAI Chat Completions") in text
        assert where.endpoint in text


def test_an_anthropic_401_names_the_anthropic_endpoints_key(core, local_anthropic):
    local_anthropic.push(Script(status=401, error_type="authentication_error", error_message="bad"))
    result = core.runner.run(Request.single("localant", "claude-sonnet-4-6", "hi"))
    assert result.error.kind == ErrorKind.KEY_REJECTED
    assert "`playground keys set localant`" in result.error.advice()
    assert "openai" not in result.error.advice("openai")


def test_a_missing_key_names_that_endpoints_key(core, local_openai):
    core.keys.delete("local")
    result = core.runner.run(Request.single("local", "gpt-4o-mini", "hi"))
    assert result.error.kind == ErrorKind.KEY_MISSING
    assert "`playground keys set local`" in result.error.advice()


def test_a_timeouts_advice_does_not_repeat_its_message():
    """The idle timeout read "…; the text so far is kept. The text that arrived is kept. Try again,
    or raise the limit: Settings ▸ General ▸ Streams (or the environment: …) (environment variables,
    seconds)." (bad-input tour). Whether text was kept is the message's to say (a connect timeout
    has none)."""
    advice = CallError(
        ErrorKind.TIMEOUT, "Nothing arrived for 4 s (idle timeout); the text so far is kept."
    ).advice()
    assert "kept" not in advice and advice.count("(") == 1 and advice.endswith("in seconds).")
