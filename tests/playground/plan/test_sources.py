"""Plan seeds from a prompt, a comparison and History, against hand-counted tokens.

o200k_base (gpt-4o's encoding) reads "cat" + " cat" x 99 as 100 tokens, "hello world" as 2, and the
role names as 1; the chat format adds 3 per message and 3 to prime the reply.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest

from playground.history.filters import Filters
from playground.llm.request import Message
from playground.llm.result import CallResult
from playground.llm.usage import Usage
from playground.plan.moves import MessageSize
from playground.plan.sources import (
    GUESS_OUTPUT_TOKENS,
    GUESS_REQUESTS_PER_DAY,
    from_compare,
    from_history,
    from_prompt,
)
from playground.plan.workload import Tokens, WorkloadError
from playground.tokens.counter import TokenCounter
from tests.playground.plan.test_measure import _call

SYSTEM = "cat" + " cat" * 99  # 100 tokens


@pytest.fixture
def counter(encodings):
    return TokenCounter(encodings)


def test_a_prompt_gives_its_counted_input_and_the_system_prompt_as_the_cacheable_share(counter):
    seed = from_prompt(counter, "openai", "gpt-4o", SYSTEM, [Message("user", "hello world")], max_tokens=700)
    w = seed.workload
    # system 3 + 1 + 100 = 104, user 3 + 1 + 2 = 6, priming 3: 113 tokens, as the counter bar shows
    assert w.input == Tokens.fixed(113)
    assert w.input.p50 == counter.count_prompt("gpt-4o", SYSTEM, [Message("user", "hello world")]).tokens
    assert w.cacheable_share == D(104) / D(113)
    assert w.output == Tokens.fixed(700) and w.max_tokens == 700
    assert w.requests_per_day == GUESS_REQUESTS_PER_DAY
    assert seed.models == ("openai/gpt-4o",)
    assert "max_tokens: an upper bound" in seed.source and "requests a day (a guess)" in seed.source
    assert seed.prompt is not None
    assert seed.prompt.messages == (MessageSize("system", 0, 104), MessageSize("user", 1, 6))
    assert seed.prompt.largest == MessageSize("system", 0, 104)


def test_a_prompt_without_max_tokens_marks_the_output_as_a_guess(counter):
    messages = [Message("user", SYSTEM), Message("assistant", "hello world"), Message("user", "cat")]
    seed = from_prompt(counter, "openai", "gpt-4o", "", messages)
    w = seed.workload
    assert w.input == Tokens.fixed(104 + 6 + 5 + 3)
    assert w.cacheable_share == 0  # no system prompt: nothing known to be shared
    assert w.output == Tokens.fixed(GUESS_OUTPUT_TOKENS) and w.max_tokens is None
    assert "a guess: no max_tokens set" in seed.source
    assert seed.prompt.largest == MessageSize("user", 1, 104)


def _result(status: str, inp: int, out: int, reasoning: int = 0) -> CallResult:
    return CallResult(1, status, usage=Usage(inp, out, reasoning_tokens=reasoning))


def test_a_comparison_gives_its_models_and_the_measured_percentiles():
    columns = [("openai", "o4-mini"), ("anthropic", "claude-sonnet-4-5"), ("openai", "o4-mini")]
    results = [
        [_result("ok", 1000, 300, 100), _result("ok", 1000, 500, 200)],
        [_result("ok", 1100, 250), None],
        [_result("error", 0, 0), _result("ok", 1200, 900, 400)],
    ]
    seed = from_compare(columns, results)
    w = seed.workload
    # ok calls: input 1000, 1000, 1100, 1200; output without reasoning 200, 300, 250, 500; reasoning
    # 100, 200, 0, 400. Nearest rank of 4: p50 the 2nd, p95 the 4th; the averages rounded half up.
    assert w.input == Tokens(1000, 1200, 1075)
    assert w.output == Tokens(250, 500, 313)  # 1,250 / 4 = 312.5
    assert w.reasoning == Tokens(100, 400, 175)
    assert seed.models == ("openai/o4-mini", "anthropic/claude-sonnet-4-5")  # one each, column order
    assert "4 ok calls" in seed.source and "(a guess)" in seed.source


def test_a_comparison_without_results_is_a_clear_error():
    with pytest.raises(WorkloadError, match="no results yet"):
        from_compare([("openai", "gpt-4o")], [[None]])


def test_history_gives_the_rate_sizes_and_the_models_most_called_first(core):
    day = datetime(2026, 3, 1, 12, tzinfo=UTC)
    _call(core, "o4-mini", day, "ok", 900, 90)
    for d in range(3):  # gpt-4o three times over days 1-3
        _call(core, "gpt-4o", day + timedelta(days=d), "ok", 300 * (d + 1), 30)
    core.storage.writer.flush()
    seed = from_history(core.storage.read(), Filters(since="2026-03-01", until="2026-03-04"))
    assert seed.models == ("openai/gpt-4o", "openai/o4-mini")
    assert seed.workload.requests_per_day == D(4) / D(4)
    assert seed.workload.input == Tokens(600, 900, 675)  # 300, 600, 900, 900: the 2nd and the 4th
    assert seed.source == "History: 4 finished calls over 4 days"


def test_a_history_model_on_an_endpoint_no_longer_set_up_is_left_out_not_the_whole_plan(core):
    """History ▸ Plan from these calls said only "No endpoint named 'ollama'" when one call had
    gone to an endpoint since removed."""
    from playground.llm.errors import PlaygroundError
    from playground.plan.service import make_plan
    from playground.plan.workload import Workload

    starter = Workload(D(1000), Tokens(1000, 1000), Tokens(300, 300), name="")
    result = make_plan(core, starter, ["ollama/llama3.2", "openai/gpt-4o-mini"])
    assert [m["model"] for m in result.data["models"]] == ["openai/gpt-4o-mini"]
    assert result.data["not_planned"] == ["ollama/llama3.2"]
    assert any(x.startswith("ollama/llama3.2: No endpoint named 'ollama'") for x in result.data["left_out"])
    with pytest.raises(PlaygroundError, match="No endpoint named 'ollama'"):
        make_plan(core, starter, ["ollama/llama3.2"])  # nothing left to plan: that is the error
