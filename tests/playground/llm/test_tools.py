"""Tools end to end through the real SDKs against the local test servers: the two-round loop for each
API, parallel calls, arguments split across chunks and arguments that do not parse, tool choice, a bad
tools file, the tools' share of the token estimate."""

import json

import pytest

from playground.llm.errors import ErrorKind, PlaygroundError
from playground.llm.request import Message, Request
from playground.llm.tools import ToolChoice, ToolResult, ToolSet, ToolSpec, make_call, overhead, read_file
from tests.servers.base import Script

WEATHER = ToolSpec(
    "get_weather",
    "The weather in a city now.",
    {
        "type": "object",
        "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["c", "f"]}},
        "required": ["city"],
    },
)
TIME = ToolSpec(
    "get_time", "The local time in a city.", {"type": "object", "properties": {"city": {"type": "string"}}}
)
TOOLS = ToolSet((WEATHER, TIME)).to_dict()
APIS = [("local", "gpt-4o-mini", "local_openai"), ("localant", "claude-sonnet-4-5", "local_anthropic")]


def ask(core, endpoint, model, messages, tools=TOOLS):
    request = Request(endpoint, model, tuple(messages), params={"tools": tools})
    return core.runner.run(request, conversation_id="conv-tools")


@pytest.mark.parametrize(("endpoint", "model", "server"), APIS)
def test_two_round_loop_records_and_prices_each_round(core, endpoint, model, server, request):
    srv = request.getfixturevalue(server)
    srv.push(Script(tool_calls=[("get_weather", '{"city": "Paris", "unit": "c"}')]))
    question = Message("user", "What is the weather in Paris?")
    first = ask(core, endpoint, model, [question])
    assert first.status == "ok" and first.finish_reason in ("tool_calls", "tool_use")
    [call] = first.tool_calls
    assert call.name == "get_weather" and call.arguments == {"city": "Paris", "unit": "c"}
    assert call.valid.valid and call.id
    assert first.cost is not None and first.cost.total > 0
    answer = Message("assistant", first.text, tool_calls=tuple(first.tool_calls))
    results = Message("user", "", tool_results=(ToolResult(call.id, "18 °C, light rain"),))
    second = ask(core, endpoint, model, [question, answer, results])
    assert second.status == "ok" and second.text == "The tools said: 18 °C, light rain"
    assert not second.tool_calls and second.cost is not None and second.cost.total > 0
    sent = srv.received[-1].body["messages"]
    if endpoint == "local":
        assert sent[1]["tool_calls"][0]["function"] == {
            "name": "get_weather",
            "arguments": call.arguments_text,
        }
        assert sent[2] == {"role": "tool", "tool_call_id": call.id, "content": "18 °C, light rain"}
    else:
        assert sent[1]["content"][0] == {
            "type": "tool_use",
            "id": call.id,
            "name": "get_weather",
            "input": {"city": "Paris", "unit": "c"},
        }
        assert sent[2]["content"] == [
            {"type": "tool_result", "tool_use_id": call.id, "content": "18 °C, light rain"}
        ]
    core.history.flush()
    rows = core.history.conversation("conv-tools")
    assert [r.status for r in rows] == ["ok", "ok"] and all(r.cost_usd for r in rows)
    assert json.loads(rows[0].output)["tool_calls"][0]["name"] == "get_weather"
    assert rows[1].output == "The tools said: 18 °C, light rain"
    assert rows[1].messages[1]["tool_calls"][0]["id"] == call.id  # the round's request keeps the calls


@pytest.mark.parametrize(("endpoint", "model", "server"), APIS)
def test_parallel_calls_split_across_chunks(core, endpoint, model, server, request):
    srv = request.getfixturevalue(server)
    srv.push(
        Script(
            tool_calls=[("get_weather", '{"city": "Oslo"}'), ("get_time", '{"city": "Lima"}')], tool_split=3
        )
    )
    result = ask(core, endpoint, model, [Message("user", "Weather in Oslo and time in Lima?")])
    assert [(c.name, c.arguments) for c in result.tool_calls] == [
        ("get_weather", {"city": "Oslo"}),
        ("get_time", {"city": "Lima"}),
    ]
    assert len({c.id for c in result.tool_calls}) == 2 and all(c.valid.valid for c in result.tool_calls)


@pytest.mark.parametrize(("endpoint", "model", "server"), APIS)
def test_arguments_that_do_not_parse_or_break_the_schema_are_invalid(core, endpoint, model, server, request):
    srv = request.getfixturevalue(server)
    srv.push(Script(tool_calls=[("get_weather", '{"city": "Par'), ("get_weather", '{"unit": "k"}')]))
    result = ask(core, endpoint, model, [Message("user", "Weather?")])
    broken, wrong = result.tool_calls
    assert broken.arguments is None and not broken.valid.valid
    assert "not JSON" in broken.valid.message
    assert wrong.arguments == {"unit": "k"} and not wrong.valid.valid
    assert "'city' is a required property" in wrong.valid.message or wrong.valid.error_path == "$.unit"
    assert result.status == "ok"  # the call itself went fine; the model's arguments did not


def test_tool_choice_is_sent_as_each_api_expects(core, local_openai, local_anthropic):
    required = ToolSet((WEATHER, TIME), ToolChoice.REQUIRED, parallel=False).to_dict()
    named = ToolSet((WEATHER, TIME), ToolChoice.NAMED, named="get_time").to_dict()
    ask(core, "local", "gpt-4o-mini", [Message("user", "hi")], required)
    body = local_openai.received[-1].body
    assert body["tool_choice"] == "required" and body["parallel_tool_calls"] is False
    assert body["tools"][0] == {"type": "function", "function": WEATHER.to_dict()}
    ask(core, "local", "gpt-4o-mini", [Message("user", "hi")], named)
    assert local_openai.received[-1].body["tool_choice"] == {
        "type": "function",
        "function": {"name": "get_time"},
    }
    ask(core, "localant", "claude-sonnet-4-5", [Message("user", "hi")], required)
    body = local_anthropic.received[-1].body
    assert body["tool_choice"] == {"type": "any", "disable_parallel_tool_use": True}
    assert body["tools"][0] == {
        "name": "get_weather",
        "description": WEATHER.description,
        "input_schema": WEATHER.parameters,
    }
    ask(core, "localant", "claude-sonnet-4-5", [Message("user", "hi")], named)
    assert local_anthropic.received[-1].body["tool_choice"] == {"type": "tool", "name": "get_time"}


def test_bad_tools_are_refused_before_sending(core, local_openai):
    sent = len(local_openai.received)
    bad_name = {"tools": [{"name": "get weather", "parameters": {"type": "object"}}]}
    result = ask(core, "local", "gpt-4o-mini", [Message("user", "hi")], bad_name)
    assert result.status == "error" and "may hold only letters" in result.error.message
    bad_schema = {
        "tools": [{"name": "w", "parameters": {"type": "object", "properties": {"x": {"type": "strng"}}}}]
    }
    result = ask(core, "local", "gpt-4o-mini", [Message("user", "hi")], bad_schema)
    assert "not valid JSON Schema at $.properties.x.type" in result.error.message
    missing = ToolSet((WEATHER,), ToolChoice.NAMED, named="nope").to_dict()
    result = ask(core, "local", "gpt-4o-mini", [Message("user", "hi")], missing)
    assert "'nope', which is not among the tools" in result.error.message
    assert len(local_openai.received) == sent


def test_import_openai_and_anthropic_files():
    openai_file = json.dumps({"tools": [{"type": "function", "function": WEATHER.to_dict()}]})
    anthropic_file = json.dumps([{"name": "get_time", "description": "t", "input_schema": TIME.parameters}])
    assert read_file(openai_file) == [WEATHER]
    assert read_file(anthropic_file) == [ToolSpec("get_time", "t", TIME.parameters)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "The tools file is not JSON: Expecting property name"),
        ("[]", "holds no tools"),
        ('[{"description": "x"}]', "Tool 1 in the file has no name"),
        ('[{"name": "a", "input_schema": {"type": "array"}}]', 'must have "type": "object"'),
        ('[{"name": "a"}, {"name": "a"}]', "Two tools are named 'a'"),
    ],
)
def test_a_bad_tools_file_gets_a_clear_message(text, message):
    with pytest.raises(PlaygroundError) as caught:
        read_file(text)
    assert caught.value.error.kind == ErrorKind.INVALID_PARAMETER and message in caught.value.error.message


def test_tools_count_in_the_estimate_with_anthropics_documented_overhead(core):
    plain = Request("x", "claude-sonnet-4-5", (Message("user", "hi"),))
    with_tools = Request("x", "claude-sonnet-4-5", plain.messages, params={"tools": TOOLS})
    base = core.runner.estimate_input(plain, "anthropic")
    auto = core.runner.estimate_input(with_tools, "anthropic")
    count = lambda text: core.counter.count_text("claude-sonnet-4-5", text).tokens  # noqa: E731
    definitions = sum(count(json.dumps(t.to_dict(), ensure_ascii=False)) for t in (WEATHER, TIME))
    assert auto.tokens - base.tokens == definitions + 346 and auto.estimated
    forced = ToolSet((WEATHER, TIME), ToolChoice.REQUIRED)
    assert overhead(forced, "anthropic", "claude-opus-4-1", count).system == 313
    openai = overhead(ToolSet((WEATHER, TIME)), "openai", "gpt-4o", count)
    assert openai.system == 0 and openai.estimated and "estimate" in openai.source


def test_a_call_to_an_unknown_tool_is_invalid():
    call = make_call("c1", "get_stock", '{"ticker": "X"}', ToolSet((WEATHER,)))
    assert not call.valid.valid and "no tool is named 'get_stock'" in call.valid.message


def test_view_code_includes_the_tools_and_the_loop(core, local_openai):
    from playground.llm.codegen import generate

    call = make_call("call_0", "get_weather", '{"city": "Paris"}', ToolSet((WEATHER,)))
    messages = (
        Message("user", "Weather?"),
        Message("assistant", "", tool_calls=(call,)),
        Message("user", "", tool_results=(ToolResult("call_0", "sunny"),)),
    )
    code = generate(
        core.config.endpoint("local"), Request("local", "gpt-4o-mini", messages, params={"tools": TOOLS})
    )
    assert "'name': 'get_weather'" in code.python and "'tool_call_id': 'call_0'" in code.python
    assert '"tool_choice": "auto"' in code.curl


def test_the_counters_estimate_and_anthropics_exact_count_include_the_tools(core, local_anthropic):
    from playground.pricing.estimate import estimate
    from tests.servers.anthropic_server import input_token_rule

    endpoint = core.config.endpoint("localant")
    plain = Request("localant", "claude-sonnet-4-5", (Message("user", "Weather in Paris?"),))
    with_tools = Request("localant", plain.model, plain.messages, params={"tools": TOOLS})
    before = estimate(plain, endpoint, core.counter, core.pricer).input
    after = estimate(with_tools, endpoint, core.counter, core.pricer).input
    assert after.tokens == core.runner.estimate_input(with_tools, "anthropic").tokens > before.tokens + 346
    assert after.estimated and "tools: Anthropic tool-use system prompt (documented)" in after.method
    exact = core.runner.count_input(with_tools, endpoint)
    sent = [r for r in local_anthropic.received if r.path.endswith("count_tokens")][-1].body
    assert sent["tools"][0]["name"] == "get_weather" and exact.tokens == input_token_rule(sent)
    assert not exact.estimated


def test_claudes_text_before_its_tool_call_is_kept_and_sent_back(core, local_anthropic):
    local_anthropic.push(
        Script(text="Let me check the weather.", tool_calls=[("get_weather", '{"city": "Oslo"}')])
    )
    question = Message("user", "Weather in Oslo?")
    first = ask(core, "localant", "claude-sonnet-4-5", [question])
    assert first.text == "Let me check the weather." and [c.name for c in first.tool_calls] == ["get_weather"]
    answer = Message("assistant", first.text, tool_calls=tuple(first.tool_calls))
    results = Message("user", "", tool_results=(ToolResult(first.tool_calls[0].id, "snow"),))
    ask(core, "localant", "claude-sonnet-4-5", [question, answer, results])
    blocks = local_anthropic.received[-1].body["messages"][1]["content"]
    assert [b["type"] for b in blocks] == ["text", "tool_use"] and blocks[0]["text"] == first.text
