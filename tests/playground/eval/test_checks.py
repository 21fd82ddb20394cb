from decimal import Decimal

import pytest

from playground.eval.checks import Answer, Check, CheckError, Kind
from playground.llm.tools import ToolSet, make_call


def judge(data: dict, text: str = "", **figures) -> tuple[bool, str]:
    outcome = Check.from_data(data).compile().run(Answer(text, True, **figures))
    return outcome.passed, outcome.detail


@pytest.mark.parametrize(
    ("data", "good", "bad"),
    [
        ({"type": "equals", "value": "Paris"}, " Paris\n", "Paris, France"),
        ({"type": "equals", "value": "paris", "ignore_case": True}, "PARIS", "Lyon"),
        ({"type": "contains", "value": "Paris"}, "It is Paris.", "It is paris."),
        ({"type": "contains_any", "value": ["Paris", "Lyon"]}, "Lyon!", "Nice"),
        ({"type": "contains_all", "value": ["a1", "b2"]}, "b2 and a1", "only a1"),
        ({"type": "not_contains", "value": ["sorry", "cannot"]}, "Sure.", "Sorry, I cannot"),
        ({"type": "regex", "value": r"^\d{3}-\d{4}$"}, "555-1234", "555 1234"),
        ({"type": "starts_with", "value": "Yes"}, "  Yes, it is", "Well, yes"),
        ({"type": "is_json"}, '```json\n{"a": 1}\n```', "{a: 1}"),
        (
            {"type": "json_schema", "value": {"type": "object", "required": ["name"]}},
            '{"name": "x"}',
            '{"other": 1}',
        ),
        (
            {"type": "json_path", "path": "items.1.id", "value": 7},
            '{"items": [{"id": 3}, {"id": 7}]}',
            '{"items": [{"id": 3}]}',
        ),
        ({"type": "length", "min": 2, "max": 5}, "abcd", "abcdef"),
    ],
)
def test_each_text_check_passes_and_fails(data, good, bad):
    assert judge(data, good) == (True, "")
    passed, detail = judge(data, bad)
    assert not passed and detail  # a failure says why


def test_not_contains_case_folding_and_the_reason_names_the_word():
    passed, detail = judge({"type": "not_contains", "value": "sorry", "ignore_case": True}, "SORRY")
    assert not passed and "sorry" in detail


@pytest.mark.parametrize(
    ("kind", "field", "under", "over"),
    [
        ("first_token_ms", "first_token_ms", 120.0, 640.0),
        ("duration_ms", "duration_ms", 900.0, 2500.0),
        ("cost_usd", "cost_usd", Decimal("0.0009"), Decimal("0.0011")),
    ],
)
def test_limits_on_timing_and_cost(kind, field, under, over):
    limit = {"cost_usd": "0.001"}.get(kind, 500 if kind == "first_token_ms" else 2000)
    assert judge({"type": kind, "value": limit}, "x", **{field: under}) == (True, "")
    passed, detail = judge({"type": kind, "value": limit}, "x", **{field: over})
    assert not passed and "over" in detail
    passed, detail = judge({"type": kind, "value": limit}, "x")  # unknown is never a pass
    assert not passed and "unknown" in detail


def test_json_path_on_a_non_json_answer_fails_with_the_reason():
    passed, detail = judge({"type": "json_path", "path": "a", "value": 1}, "not json")
    assert not passed and "not valid JSON" in detail


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"type": "regex", "value": "(unclosed"}, "invalid regex"),
        ({"type": "json_schema", "value": {"type": "no-such-type"}}, "does not compile"),
        ({"type": "json_schema", "value": "{not json"}, "not JSON"),
        ({"type": "json_path", "path": "a..b", "value": 1}, "dotted path"),
        ({"type": "length"}, "min, max or both"),
        ({"type": "length", "min": 9, "max": 2}, "above max"),
        ({"type": "cost_usd", "value": "cheap"}, "number"),
        ({"type": "duration_ms", "value": -5}, ">= 0"),
        ({"type": "contains", "value": ""}, "non-empty"),
        ({"type": "contains_any", "value": []}, "list of strings"),
        ({"type": "rubric"}, "non-empty"),
        ({"type": "called_tool", "value": ""}, "non-empty"),
    ],
)
def test_a_bad_check_is_a_clear_message_when_compiled(data, message):
    with pytest.raises(CheckError, match=message):
        Check.from_data(data).compile()


def test_unknown_type_and_fields_are_named():
    with pytest.raises(CheckError, match="unknown check type 'similar'"):
        Check.from_data({"type": "similar"})
    with pytest.raises(CheckError, match="unknown field"):
        Check.from_data({"type": "contains", "value": "x", "weight": 2})


def test_every_kind_is_covered_by_these_tests():
    covered = {
        "equals", "contains", "contains_any", "contains_all", "not_contains", "regex", "starts_with",
        "is_json", "json_schema", "json_path", "length", "first_token_ms", "duration_ms", "cost_usd",
        "called_tool", "rubric",
    }  # fmt: skip
    assert {k.value for k in Kind} == covered


WEATHER_TOOLS = ToolSet.from_value(
    {"tools": [{"name": "get_weather", "parameters": {"type": "object", "required": ["city"]}}]}
)


def calls(*pairs: tuple[str, str]) -> tuple:
    """Calls as the runner hands them over: arguments parsed and checked against the tool's schema."""
    return tuple(make_call(f"c{i}", name, args, WEATHER_TOOLS) for i, (name, args) in enumerate(pairs))


@pytest.mark.parametrize(
    ("value", "made", "passed", "detail"),
    [
        ("get_weather", [("get_weather", '{"city": "Oslo"}')], True, ""),
        ("get_weather", [], False, "did not call get_weather (called no tool)"),
        ("get_weather", [("lookup", "{}")], False, "did not call get_weather (called lookup)"),
        ("get_weather", [("get_weather", '{"town": "Oslo"}')], False, "get_weather called with invalid"),
        ("get_weather", [("get_weather", "{not json")], False, "get_weather called with invalid"),
        (None, [("get_weather", '{"city": "Oslo"}')], True, ""),
        (None, [], False, "did not call a tool"),
    ],
)
def test_called_tool_needs_the_call_and_valid_arguments(value, made, passed, detail):
    data = {"type": "called_tool"} | ({} if value is None else {"value": value})
    got = judge(data, "", tool_calls=calls(*made))
    assert got[0] is passed and got[1].startswith(detail)
