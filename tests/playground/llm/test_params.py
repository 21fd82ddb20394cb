import pytest

from playground.llm.errors import ErrorKind, PlaygroundError
from playground.llm.params import availability, prepare


def refused(api, model, values, official=True):
    with pytest.raises(PlaygroundError) as info:
        prepare(api, model, official, values)
    assert info.value.error.kind == ErrorKind.INVALID_PARAMETER
    return info.value.error.message


def test_values_are_converted_from_text():
    p = prepare("openai", "gpt-4o", True, {"temperature": "0.2", "max_tokens": "50", "logprobs": "true"})
    assert p.values == {"temperature": 0.2, "max_tokens": 50, "logprobs": True}


def test_out_of_range_values_are_refused_with_the_range():
    assert "at most 2" in refused("openai", "gpt-4o", {"temperature": 3})
    assert "at most 1" in refused("anthropic", "claude-haiku-4-5", {"temperature": 1.5})
    assert "whole number" in refused("openai", "gpt-4o", {"max_tokens": "12.5"})
    assert "one of" in refused("openai", "o3", {"reasoning_effort": "huge"})


def test_misspelled_parameter_suggests_the_right_one():
    assert "Did you mean temperature" in refused("openai", "gpt-4o", {"temprature": 1})


def test_reasoning_models_drop_sampling_parameters_with_a_reason():
    p = prepare("openai", "o3", True, {"temperature": 0.5, "reasoning_effort": "low"})
    assert p.values == {"reasoning_effort": "low"}
    assert "reasoning models" in p.dropped["temperature"]


def test_compatible_servers_take_top_k_but_openai_does_not():
    assert prepare("openai", "llama3", False, {"top_k": 40}).values == {"top_k": 40}
    assert "top_k" in prepare("openai", "gpt-4o", True, {"top_k": 40}).dropped


def test_newer_claude_refuses_temperature_with_top_p():
    assert "not both" in refused("anthropic", "claude-sonnet-4-6", {"temperature": 0.5, "top_p": 0.9})
    older = prepare("anthropic", "claude-3-5-haiku-latest", True, {"temperature": 0.5, "top_p": 0.9})
    assert older.values == {"temperature": 0.5, "top_p": 0.9}


def test_thinking_rules():
    assert "less than max_tokens" in refused(
        "anthropic", "claude-sonnet-4-6", {"thinking_budget": 4000, "max_tokens": 2000}
    )
    assert "at least 1024" in refused(
        "anthropic", "claude-sonnet-4-6", {"thinking_budget": 100, "max_tokens": 2000}
    )
    assert "neither temperature" in refused(
        "anthropic", "claude-sonnet-4-6", {"thinking_budget": 1024, "max_tokens": 2000, "temperature": 0.5}
    )


def test_top_logprobs_turns_logprobs_on():
    assert prepare("openai", "gpt-4o", True, {"top_logprobs": 3}).values == {
        "top_logprobs": 3,
        "logprobs": True,
    }


def test_every_parameter_has_an_explanation_and_disabled_ones_a_reason():
    for api, model in (("openai", "o3"), ("openai", "gpt-4o"), ("anthropic", "claude-haiku-4-5")):
        for a in availability(api, model, official=True):
            assert len(a.spec.help) > 20
            assert a.enabled or len(a.reason) > 10
