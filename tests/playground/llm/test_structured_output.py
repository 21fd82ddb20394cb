"""Structured outputs end to end through the real SDKs against the local test servers."""

import json

import pytest

from playground.llm.codegen import generate
from playground.llm.endpoints import Endpoint
from playground.llm.errors import ErrorKind, PlaygroundError
from playground.llm.params import prepare
from playground.llm.request import Request
from playground.llm.schema import STARTERS, OutputMode, OutputSpec, schema_problem, validate
from tests.servers.base import Script
from tests.servers.schema_answers import NO_STRUCTURED_MODEL

PERSON = STARTERS["Person"]
SCHEMA = {"mode": "json_schema", "schema": PERSON, "name": "person"}


def run(core, endpoint, model, output, prompt="Describe Ada Lovelace as JSON", **params):
    return core.runner.run(Request.single(endpoint, model, prompt, params={"output": output, **params}))


def test_openai_json_schema_strict_answer_is_valid(core, local_openai):
    result = run(core, "local", "gpt-4o-mini", SCHEMA)
    assert result.status == "ok"
    assert json.loads(result.text) == {"name": "text", "age": 0, "email": "text"}
    assert result.validation is not None and result.validation.valid
    assert result.output_way == "response_format json_schema strict"
    sent = local_openai.received[-1].body["response_format"]
    assert sent == {
        "type": "json_schema",
        "json_schema": {"name": "person", "schema": PERSON, "strict": True},
    }


def test_invalid_answer_reports_the_path_of_the_first_error(core, local_openai):
    local_openai.push(Script(text='{"name": "Ada", "age": "thirty-six", "email": "a@b.c"}'))
    result = run(core, "local", "gpt-4o-mini", SCHEMA)
    assert result.status == "ok" and result.validation is not None
    assert not result.validation.valid and result.validation.error_path == "$.age"
    assert result.validation.line().startswith("✗ invalid at $.age: 'thirty-six' is not of type 'integer'")


def test_json_object_mode_and_an_answer_that_is_not_json(core, local_openai):
    ok = run(core, "local", "gpt-4o-mini", "json_object")
    assert local_openai.received[-1].body["response_format"] == {"type": "json_object"}
    assert (
        ok.validation is not None and ok.validation.valid and ok.output_way == "response_format json_object"
    )
    local_openai.push(Script(text="Sure! Here it is: {name: Ada}"))
    bad = run(core, "local", "gpt-4o-mini", "json_object")
    assert bad.validation is not None and not bad.validation.valid and "not JSON" in bad.validation.message


def test_json_object_without_the_word_json_gets_openais_message(core, local_openai):
    result = run(core, "local", "gpt-4o-mini", "json_object", prompt="Describe Ada")
    assert result.status == "error" and result.error.kind == ErrorKind.BAD_REQUEST
    assert "must contain the word 'json'" in result.error.message


def test_invalid_schema_is_refused_before_sending_with_its_path(core, local_openai):
    broken = {"type": "object", "properties": {"age": {"type": "integr"}}, "required": ["age"]}
    result = run(core, "local", "gpt-4o-mini", {"mode": "json_schema", "schema": broken, "strict": False})
    assert result.status == "error" and result.error.kind == ErrorKind.INVALID_PARAMETER
    assert "$.properties.age.type" in result.error.message
    assert local_openai.received == []  # nothing was sent


def test_strict_mode_rules_are_checked_before_sending(core, local_openai):
    loose = {"type": "object", "properties": {"a": {"type": "string"}}}
    result = run(core, "local", "gpt-4o-mini", {"mode": "json_schema", "schema": loose})
    assert result.error is not None and "additionalProperties: false at $" in result.error.message
    assert local_openai.received == []


def test_a_model_without_the_feature_gets_a_clear_message(core, local_openai):
    openai = run(core, "local", NO_STRUCTURED_MODEL, SCHEMA)
    assert openai.error is not None and "not supported with this model" in openai.error.message
    # On OpenAI's own server the known older models are refused before sending.
    with pytest.raises(PlaygroundError, match=r"gpt-3\.5-turbo does not take a JSON schema"):
        prepare("openai", "gpt-3.5-turbo", True, {"output": SCHEMA})
    assert "output" in prepare("openai", "gpt-4o-mini", True, {"output": SCHEMA}).values


def test_anthropic_native_structured_outputs(core, local_anthropic):
    result = run(core, "localant", "claude-sonnet-4-6", SCHEMA)
    body = local_anthropic.received[-1].body
    assert body["output_config"] == {"format": {"type": "json_schema", "schema": PERSON}}
    assert "tools" not in body and result.output_way == "Anthropic structured outputs"
    assert result.validation is not None and result.validation.valid


def test_anthropic_forced_tool_streams_the_answer_as_tool_input(core, local_anthropic):
    result = run(core, "localant", "claude-3-5-haiku-latest", SCHEMA)
    body = local_anthropic.received[-1].body
    assert body["tool_choice"] == {"type": "tool", "name": "person"}
    assert body["tools"][0]["input_schema"] == PERSON and "output_config" not in body
    assert result.output_way == "forced tool person" and result.finish_reason == "tool_use"
    assert json.loads(result.text) == {"name": "text", "age": 0, "email": "text"}
    assert result.validation is not None and result.validation.valid
    local_anthropic.push(Script(text='{"name": "Ada", "age": -3}'))
    bad = run(core, "localant", "claude-3-5-haiku-latest", SCHEMA)
    assert bad.validation is not None and not bad.validation.valid
    assert bad.validation.error_path == "$" and "'email' is a required property" in bad.validation.message


def test_forced_tool_with_thinking_is_refused_before_sending(core, local_anthropic):
    result = run(core, "localant", "claude-3-5-haiku-latest", SCHEMA, thinking_budget=1024, max_tokens=2048)
    assert result.error is not None and "thinking budget to 0" in result.error.message
    assert local_anthropic.received == []


def test_the_mode_is_recorded_and_a_rerun_reproduces_it(core, local_openai):
    first = run(core, "local", "gpt-4o-mini", SCHEMA)
    sent = local_openai.received[-1].body["response_format"]
    record = core.history.get(first.call_id)
    assert record.params["output"] == {
        "mode": "json_schema",
        "schema": PERSON,
        "name": "person",
        "strict": True,
    }
    again = core.runner.run(Request.single("local", "gpt-4o-mini", record.prompt, params=record.params))
    assert local_openai.received[-1].body["response_format"] == sent and again.validation.valid


def test_view_code_includes_the_format(core):
    openai = Endpoint("openai", "openai", None, "openai")
    request = Request.single("openai", "gpt-4o-mini", "Hi", params={"output": SCHEMA})
    code = generate(openai, request)
    assert "response_format={'type': 'json_schema'" in code.python and '"strict": true' in code.curl
    claude = Endpoint("anthropic", "anthropic", None, "anthropic")
    forced = generate(
        claude, Request.single("anthropic", "claude-3-5-haiku-latest", "Hi", params={"output": SCHEMA})
    )
    assert "tool_choice={'type': 'tool', 'name': 'person'}" in forced.python and "tool_use" in forced.python
    native = generate(claude, Request.single("anthropic", "claude-opus-4-5", "Hi", params={"output": SCHEMA}))
    assert '"output_config"' in native.curl


def test_schema_problem_and_validate_directly():
    assert schema_problem(PERSON) is None
    assert schema_problem({"type": "object", "required": "name"}) == (
        "$.required",
        "'name' is not of type 'array'",
    )
    spec = OutputSpec(OutputMode.JSON_SCHEMA, STARTERS["Extraction list"])
    bad = validate(spec, '{"items": [{"name": "egg", "quantity": 1.5}]}')
    assert (bad.valid, bad.error_path) == (False, "$.items[0].quantity")


def test_saved_schemas_round_trip_and_stay_in_their_folder(tmp_path):
    from playground.llm.schema_store import SchemaStore

    store = SchemaStore(tmp_path / "schemas")
    assert store.names() == []
    with pytest.raises(PlaygroundError, match=r"\(not \. /\)"):
        store.save("../../evil person", PERSON)
    assert store.save("evil person", PERSON) == "evil person"
    assert store.save("Beta", {"type": "object"}) == "Beta"
    assert store.names() == ["Beta", "evil person"]
    assert store.load("evil person") == PERSON
    assert sorted(p.name for p in tmp_path.rglob("*.json")) == ["Beta.json", "evil person.json"]
    with pytest.raises(PlaygroundError, match="No saved schema"):
        store.load("missing")


def test_schema_text_that_is_not_json_is_refused_with_its_line():
    with pytest.raises(PlaygroundError, match=r"not JSON: Expecting value \(line 2\)"):
        prepare("openai", "gpt-4o-mini", False, {"output": {"mode": "json_schema", "schema": '{"type":\n'}})


def test_the_generated_anthropic_code_reads_the_forced_tool_answer(core, local_anthropic):
    """View code's own request shape, sent through the real SDK without streaming."""
    import anthropic

    from playground.llm.providers.anthropic_messages import request_body

    body = request_body(Request.single("x", "claude-3-5-haiku-latest", "Ada as JSON"), {"output": SCHEMA})
    body.pop("stream")
    client = anthropic.Anthropic(api_key=local_anthropic.api_key, base_url=local_anthropic.base_url)
    message = client.messages.create(**body)
    (block,) = message.content
    assert block.type == "tool_use" and block.name == "person"
    assert validate(OutputSpec.from_value(SCHEMA), json.dumps(block.input)).valid


def test_saved_schemas_in_other_scripts_keep_their_names_and_never_overwrite_each_other(tmp_path):
    from playground.llm.schema_store import SchemaStore

    store = SchemaStore(tmp_path / "schemas")
    assert store.save("日本", {"title": "a"}) == "日本"
    assert store.save("中文", {"title": "b"}) == "中文"  # both were saved as "_", the second over the first
    assert store.load("日本") == {"title": "a"} and store.load("中文") == {"title": "b"}
    for name in ("🙂 mood", "a/b", "x" * 81, "..", "CON:"):
        with pytest.raises(PlaygroundError, match=r"schema (a )?name"):
            store.save(name, {"title": "c"})
    assert sorted(store.names()) == sorted(["日本", "中文"])
