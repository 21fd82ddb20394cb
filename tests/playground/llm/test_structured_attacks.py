"""Structured outputs under hostile input, through the real SDK and the local server: an answer nested
100,000 deep, a schema whose $ref loops, a schema nested 3,000 deep. The call and its answer are kept,
a check we could not make reads "not checked" (never valid, never invalid), a bad schema is refused
before sending in one line."""

from __future__ import annotations

from playground.llm.errors import ErrorKind
from playground.llm.schema import pretty
from tests.playground.llm.test_structured_output import SCHEMA, run
from tests.servers.base import Script

DEEP_ANSWER = '{"n":' * 100_000 + "null" + "}" * 100_000
DEEP_SCHEMA_TEXT = '{"type": "object", "properties": {"a": ' * 3000 + "{}" + "}}" * 3000
LOOP = {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}


def nested_schema(depth: int) -> dict:
    schema: dict = {"type": "object"}
    inner = schema
    for _ in range(depth):
        inner["properties"] = {"a": {"type": "object"}}
        inner = inner["properties"]["a"]
    return schema


def test_an_answer_nested_too_deeply_is_kept_and_reads_not_checked(core, local_openai):
    local_openai.push(Script(text=DEEP_ANSWER))
    result = run(core, "local", "gpt-4o-mini", SCHEMA)
    assert result.status == "ok" and result.text == DEEP_ANSWER
    assert result.validation is not None and not result.validation.checked
    assert result.validation.line() == "? not checked: the answer is nested too deeply to read"
    assert pretty(DEEP_ANSWER) is None  # shown as it came, not indented


def test_a_schema_whose_ref_loops_leaves_the_answer_unchecked_not_invalid(core, local_openai):
    local_openai.push(Script(text="[1, 2]"))
    result = run(core, "local", "gpt-4o-mini", {"mode": "json_schema", "schema": LOOP, "strict": False})
    assert result.status == "ok" and result.text == "[1, 2]"
    assert result.validation is not None and not result.validation.checked
    assert result.validation.line().startswith("? not checked: checking went too deep")


def test_a_schema_nested_thousands_deep_is_refused_before_sending(core, local_openai):
    deep = nested_schema(3000)
    result = run(core, "local", "gpt-4o-mini", {"mode": "json_schema", "schema": deep, "strict": False})
    assert result.status == "error" and result.error.kind == ErrorKind.INVALID_PARAMETER
    assert "nested too deeply" in result.error.message and "Recursion" not in result.error.message
    assert local_openai.received == []
    as_text = run(core, "local", "gpt-4o-mini", {"mode": "json_schema", "schema": DEEP_SCHEMA_TEXT})
    assert as_text.status == "error" and "nested too deeply" in as_text.error.message
