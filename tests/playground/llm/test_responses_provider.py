"""The OpenAI Responses API style through the real openai SDK against the local test server's
/v1/responses: text, reasoning summaries, usage with cached and reasoning tokens, structured outputs,
a two-round tool loop, faults and cancel."""

import json
import threading
import time

import openai
import pytest

from playground.llm.cancel import CancelToken
from playground.llm.endpoints import Endpoint
from playground.llm.errors import ErrorKind
from playground.llm.events import ReasoningDelta, TextDelta
from playground.llm.request import Message, Request
from playground.llm.schema import STARTERS
from playground.llm.tools import ToolResult, ToolSet, ToolSpec
from tests.servers.base import Script

WEATHER = ToolSpec(
    "get_weather",
    "The weather in a city now.",
    {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)


@pytest.fixture
def local_responses(core, openai_server):
    """An endpoint 'resp' speaking the Responses API on the OpenAI test server, priced as OpenAI."""
    core.config.add_endpoint(
        Endpoint("resp", "openai-responses", openai_server.base_url, "resp", price_as="openai")
    )
    core.keys.set("resp", openai_server.api_key)
    return openai_server


def run(core, prompt="Say hello", model="gpt-4o-mini", endpoint="resp", **kw):
    params = kw.pop("params", {})
    return core.runner.run(
        Request.single(endpoint, model, prompt, system=kw.pop("system", ""), params=params), **kw
    )


def test_streams_text_with_usage_and_prices_it_as_the_same_chat_call(core, local_responses):
    core.config.add_endpoint(Endpoint("chat", "openai", local_responses.base_url, "resp", price_as="openai"))
    script = Script(text="One two three four", prompt_tokens=1200, cached_tokens=1024)
    local_responses.push(script)
    seen = []
    result = run(core, system="Be terse", on_event=seen.append)
    assert result.status == "ok" and result.finish_reason == "stop"
    assert "".join(e.text for e in seen if isinstance(e, TextDelta)) == "One two three four"
    assert result.usage.input_tokens == 1200 and result.usage.cache_read_tokens == 1024
    assert result.usage.output_tokens == 4 and not result.usage.output_estimated
    sent = local_responses.received[-1]
    assert sent.path == "/v1/responses"
    assert sent.body["instructions"] == "Be terse"
    assert sent.body["input"] == [{"role": "user", "content": "Say hello"}]
    assert sent.body["stream"] is True and sent.body["store"] is False
    local_responses.push(script)
    chat = run(core, system="Be terse", endpoint="chat")
    assert chat.usage == result.usage
    assert result.cost.known and result.cost.total == chat.cost.total > 0  # same model, same usage
    assert core.history.get(result.call_id).cost_usd == result.cost.total


def test_reasoning_summary_streams_as_reasoning_with_its_tokens(core, local_responses):
    local_responses.push(Script(text="42", reasoning="Six times seven.", reasoning_tokens=12))
    seen = []
    result = run(core, model="o4-mini", params={"reasoning_effort": "low"}, on_event=seen.append)
    assert local_responses.received[-1].body["reasoning"] == {"effort": "low", "summary": "auto"}
    assert any(isinstance(e, ReasoningDelta) for e in seen)
    assert result.reasoning == "Six times seven." and result.text == "42"
    assert result.usage.reasoning_tokens == 12 and result.usage.output_tokens == 13


def test_chat_only_parameters_are_left_out_with_the_reason(core, local_responses):
    result = run(core, params={"seed": 3, "stop": ["x"], "max_tokens": 2, "temperature": 0.5})
    body = local_responses.received[-1].body
    assert body["max_output_tokens"] == 2 and body["temperature"] == 0.5
    assert "seed" not in body and "stop" not in body and "max_tokens" not in body
    assert set(result.dropped_params) == {"seed", "stop"}
    assert "Responses API" in result.dropped_params["seed"]
    assert result.finish_reason == "length"  # response.incomplete at max_output_tokens


def test_structured_output_goes_as_text_format_and_is_validated(core, local_responses):
    person = STARTERS["Person"]
    result = run(
        core,
        "Describe Ada as JSON",
        params={"output": {"mode": "json_schema", "schema": person, "name": "person"}},
    )
    assert local_responses.received[-1].body["text"] == {
        "format": {"type": "json_schema", "name": "person", "schema": person, "strict": True}
    }
    assert result.status == "ok" and json.loads(result.text) == {"name": "text", "age": 0, "email": "text"}
    assert result.validation is not None and result.validation.valid
    assert result.output_way == "text.format json_schema strict"
    local_responses.push(Script(text='{"name": "Ada", "age": "old", "email": "a@b.c"}'))
    bad = run(core, params={"output": {"mode": "json_schema", "schema": person, "name": "person"}})
    assert bad.validation is not None and bad.validation.error_path == "$.age"


def test_two_round_tool_loop(core, local_responses):
    tools = ToolSet((WEATHER,)).to_dict()
    local_responses.push(Script(tool_calls=[("get_weather", '{"city": "Paris"}')], tool_split=4))
    question = Message("user", "Weather in Paris?")
    first = core.runner.run(Request("resp", "gpt-4o-mini", (question,), params={"tools": tools}))
    assert first.status == "ok" and first.finish_reason == "tool_calls"
    [call] = first.tool_calls
    assert call.id == "call_0" and call.arguments == {"city": "Paris"} and call.valid.valid
    sent_tools = local_responses.received[-1].body["tools"]
    assert sent_tools == [
        {
            "type": "function",
            "name": "get_weather",
            "description": "The weather in a city now.",
            "parameters": dict(WEATHER.parameters),
            "strict": False,
        }
    ]
    answer = Message("assistant", "", tool_calls=tuple(first.tool_calls))
    results = Message("user", "", tool_results=(ToolResult(call.id, "18 °C"),))
    second = core.runner.run(
        Request("resp", "gpt-4o-mini", (question, answer, results), params={"tools": tools})
    )
    assert second.status == "ok" and second.text == "The tools said: 18 °C" and not second.tool_calls
    assert local_responses.received[-1].body["input"] == [
        {"role": "user", "content": "Weather in Paris?"},
        {
            "type": "function_call",
            "call_id": "call_0",
            "name": "get_weather",
            "arguments": '{"city": "Paris"}',
        },
        {"type": "function_call_output", "call_id": "call_0", "output": "18 °C"},
    ]
    assert first.cost.total > 0 and second.cost.total > 0


def test_wrong_key_is_rejected(core, local_responses):
    core.keys.set("resp", "sk-wrong-key-0000000000")
    result = run(core)
    assert result.error.kind == ErrorKind.KEY_REJECTED and "sk-wrong-key" not in result.error.message


def test_rate_limit_is_retried_then_reported(core, local_responses):
    limited = Script(
        status=429, error_type="rate_limit_error", error_message="Slow down", headers={"retry-after": "0"}
    )
    local_responses.push(limited)
    assert run(core).retries == 1
    local_responses.push(*[limited] * 4)
    result = run(core)
    assert result.error.kind == ErrorKind.RATE_LIMITED and "Slow down" in result.error.message


def test_bad_request_is_reported_with_the_servers_message(core, local_responses):
    local_responses.push(
        Script(status=400, error_type="invalid_request_error", error_message="Unsupported parameter")
    )
    result = run(core)
    assert result.error.kind == ErrorKind.BAD_REQUEST and "Unsupported parameter" in result.error.message


def test_an_error_event_mid_stream_keeps_the_text(core, local_responses):
    local_responses.push(Script(text="one two three four", error_event_after=2))
    result = run(core)
    assert result.status == "error" and result.error.kind == ErrorKind.STREAM_CUT
    assert result.text == "one two" and "server_error" in result.error.message


def test_a_cut_stream_keeps_the_text(core, local_responses):
    local_responses.push(Script(text="one two three four five", cut_after=3))
    result = run(core)
    assert result.error.kind == ErrorKind.STREAM_CUT and result.text == "one two three"


def test_a_malformed_event_is_reported(core, local_responses):
    local_responses.push(Script(text="one two three", malformed_after=1))
    result = run(core)
    assert result.error.kind == ErrorKind.MALFORMED_STREAM and result.text == "one"


def test_cancel_stops_quickly_and_keeps_the_text(core, local_responses):
    local_responses.push(Script(text="a b c d e f g h i j", token_delay=0.3))
    cancel = CancelToken()
    arrived = threading.Event()

    def on_event(event):
        if isinstance(event, TextDelta) and event.text.strip() == "b":
            arrived.set()

    box = []
    worker = threading.Thread(target=lambda: box.append(run(core, on_event=on_event, cancel=cancel)))
    worker.start()
    assert arrived.wait(5)
    cancel.cancel()
    asked = time.monotonic()
    worker.join(5)
    (result,) = box
    assert result.status == "cancelled" and result.text.startswith("a b")
    assert time.monotonic() - asked < 1.0  # the server would go on for ~2.4 s more


def test_the_sdks_own_event_types_read_the_servers_stream(local_responses):
    """The server speaks what the SDK expects: its typed events, in the documented order."""
    local_responses.push(Script(text="Hi there", reasoning="Greet.", cached_tokens=3, reasoning_tokens=2))
    client = openai.OpenAI(api_key=local_responses.api_key, base_url=local_responses.base_url, max_retries=0)
    stream = client.responses.create(
        model="o4-mini", input="Hello", reasoning={"effort": "low", "summary": "auto"}, stream=True
    )
    events = list(stream)
    kinds = [e.type for e in events]
    assert kinds[:2] == ["response.created", "response.in_progress"] and kinds[-1] == "response.completed"
    assert "".join(e.delta for e in events if e.type == "response.output_text.delta") == "Hi there"
    summary = [e.delta for e in events if e.type == "response.reasoning_summary_text.delta"]
    assert "".join(summary) == "Greet."
    usage = events[-1].response.usage
    assert usage.input_tokens_details.cached_tokens == 3 and usage.output_tokens_details.reasoning_tokens == 2
    assert [e.sequence_number for e in events] == list(range(len(events)))
    assert events[-1].response.output_text == "Hi there"
    client.close()


def test_a_reasoning_model_is_asked_for_its_summary_others_are_not(core, local_responses):
    local_responses.push(Script(text="ok", reasoning="Thought."))
    result = run(core, model="gpt-5-mini")
    assert local_responses.received[-1].body["reasoning"] == {"summary": "auto"}
    assert result.reasoning == "Thought."
    run(core, model="gpt-4o-mini")
    assert "reasoning" not in local_responses.received[-1].body


def test_the_app_s_stream_worker_process_speaks_it(isolated_home, memory_keyring, encodings, openai_server):
    """The app streams in the worker process: the registry there knows the style too."""
    from playground.core import build_core
    from playground.llm.providers.remote import StreamWorkers
    from tests.conftest import FAST_RETRY

    workers = StreamWorkers()
    workers.start()
    core = build_core(
        isolated_home,
        keyring_backend=memory_keyring,
        environ={},
        retry=FAST_RETRY,
        timeout_s=5,
        encodings=encodings,
        provider_factory=workers.factory,
    )
    try:
        core.config.add_endpoint(
            Endpoint("resp", "openai-responses", openai_server.base_url, "resp", "openai")
        )
        core.keys.set("resp", openai_server.api_key)
        openai_server.push(Script(text="Fine.", reasoning="Check.", reasoning_tokens=4, cached_tokens=2))
        result = core.runner.run(Request.single("resp", "o4-mini", "hi"))
        assert (result.status, result.text, result.reasoning) == ("ok", "Fine.", "Check.")
        assert result.usage.reasoning_tokens == 4 and result.usage.cache_read_tokens == 2
        openai_server.push(Script(tool_calls=[("get_weather", '{"city": "Oslo"}')]))
        tools = ToolSet((WEATHER,)).to_dict()
        called = core.runner.run(Request.single("resp", "gpt-4o-mini", "Oslo?", params={"tools": tools}))
        assert [(c.name, c.arguments) for c in called.tool_calls] == [("get_weather", {"city": "Oslo"})]
    finally:
        core.close()
        workers.close()


def test_a_failed_response_and_a_rate_limit_error_event_are_sorted(core, local_responses):
    local_responses.push(
        Script(text="one two three", error_event_after=1, error_event_type="response.failed", error_code="x")
    )
    failed = run(core)
    assert failed.error.kind == ErrorKind.STREAM_CUT and failed.text == "one"
    local_responses.push(
        *[Script(error_event_after=0, error_code="rate_limit_exceeded", error_message="Slow")] * 4
    )
    limited = run(core)
    assert limited.error.kind == ErrorKind.RATE_LIMITED and limited.retries == 3  # nothing came: retried


def test_a_server_without_the_responses_api_is_said_plainly(core, anthropic_server):
    core.config.add_endpoint(
        Endpoint("noresp", "openai-responses", anthropic_server.base_url + "/v1", "noresp")
    )
    core.keys.set("noresp", "sk-anything-000000")
    result = run(core, endpoint="noresp")
    assert result.error.kind == ErrorKind.BAD_RESPONSE and "choose Chat Completions" in result.error.message
    assert "API style" in result.error.advice()
