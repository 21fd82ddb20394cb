"""View code for the Responses API style reproduces the request exactly: the generated Python (through
the real SDK) and the curl command are run against the local test server, and the server must receive
the very body the app's own call sent."""

import os
import subprocess
import sys

import pytest

from playground.llm.codegen import generate
from playground.llm.endpoints import Endpoint
from playground.llm.request import Message, Request
from playground.llm.schema import STARTERS
from playground.llm.tools import ToolCall, ToolResult, ToolSet, ToolSpec
from tests.servers.base import Script

KEY_VAR = "RESP_TEST_KEY"
TOOLS = ToolSet((ToolSpec("get_time", "The time.", {"type": "object", "properties": {}}),)).to_dict()
CASES = {
    "text": ({"temperature": 0.2, "max_tokens": 50}, ()),
    "reasoning": ({"reasoning_effort": "low"}, ()),
    "schema": ({"output": {"mode": "json_schema", "schema": STARTERS["Sentiment"], "name": "mood"}}, ()),
    "tool results": (
        {"tools": TOOLS},
        (
            Message("assistant", "", tool_calls=(ToolCall("call_0", "get_time", "{}"),)),
            Message("user", "", tool_results=(ToolResult("call_0", "noon"),)),
        ),
    ),
}


@pytest.fixture
def endpoint(core, openai_server):
    ep = Endpoint("resp", "openai-responses", openai_server.base_url, "resp", "openai", key_env=KEY_VAR)
    core.config.add_endpoint(ep)
    core.keys.set("resp", openai_server.api_key)
    return ep


@pytest.mark.parametrize("case", list(CASES))
def test_generated_python_and_curl_send_what_the_app_sends(core, endpoint, openai_server, case):
    params, more = CASES[case]
    model = "o4-mini" if case == "reasoning" else "gpt-4o-mini"
    messages = (Message("user", "What time is it?"), *more)
    request = Request("resp", model, messages, system="Be brief.", params=params)
    openai_server.push(Script(text="It is noon"))
    assert core.runner.run(request).status == "ok"
    sent = openai_server.received[-1].body
    code = generate(endpoint, request)
    env = {**os.environ, KEY_VAR: openai_server.api_key}
    openai_server.push(Script(text="It is noon"))
    out = subprocess.run(
        [sys.executable, "-c", code.python], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert openai_server.received[-1].body == sent
    assert openai_server.received[-1].path == "/v1/responses"
    if case != "schema":
        assert "It is noon" in out.stdout and "input_tokens" in out.stdout  # the text, then the usage
    openai_server.push(Script(text="It is noon"))
    curl = subprocess.run(["bash", "-c", code.curl], env=env, capture_output=True, text=True, timeout=60)
    assert curl.returncode == 0, curl.stderr
    assert openai_server.received[-1].body == sent
    assert "response.completed" in curl.stdout


def test_the_built_in_url_and_the_key_variable():
    code = generate(
        Endpoint("r", "openai-responses", None, "openai", key_env="OPENAI_API_KEY"),
        Request.single("r", "gpt-4o", "Hi"),
    )
    assert "curl -N https://api.openai.com/v1/responses" in code.curl
    assert "$OPENAI_API_KEY" in code.curl and "client.responses.create(" in code.python
    assert "OPENAI_API_KEY" in code.key_note
