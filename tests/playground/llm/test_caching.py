"""Prompt caching end to end through the real SDKs against the local test servers: breakpoints sent as
cache_control, a first call that writes (5m/1h split) and a repeat that reads, a lifetime running out,
five breakpoints, a breakpoint below the model's minimum, OpenAI's automatic cached prefix, and what
caching saved or cost, priced from the published rates."""

from decimal import Decimal

import anthropic
import pytest

from playground.llm import caching
from playground.llm.caching import CacheBreakpoint, Ttl, breakpoints_of, prefix_checks, toggled
from playground.llm.errors import PlaygroundError
from playground.llm.request import Message, Request
from playground.llm.tools import ToolSet, ToolSpec
from playground.pricing.cache_savings import savings, uncached

LONG = "alpha " * 3000  # 3000 tokens on the test servers (one word, one token)
MODEL = "claude-sonnet-4-5"  # minimum 1024 (server and docs); $3 in, $3.75 5m write, $6 1h write, $0.30 read


def ask(core, messages, cache, system=LONG, params=None, model=MODEL):
    request = Request("localant", model, tuple(messages), system, {"cache": cache, **(params or {})})
    return core.runner.run(request)


def test_system_breakpoint_is_sent_as_a_cache_control_block_and_a_repeat_reads(core, local_anthropic):
    first = ask(core, [Message("user", "Summarise.")], [{"where": "system", "ttl": "5m"}])
    sent = local_anthropic.received[-1].body
    assert sent["system"] == [
        {"type": "text", "text": LONG, "cache_control": {"type": "ephemeral", "ttl": "5m"}}
    ]
    assert first.status == "ok"
    assert (first.usage.cache_write_tokens, first.usage.cache_read_tokens) == (3000, 0)
    again = ask(core, [Message("user", "Now list the names.")], [{"where": "system", "ttl": "5m"}])
    assert (again.usage.cache_write_tokens, again.usage.cache_read_tokens) == (0, 3000)
    assert again.usage.input_tokens > 3000  # the cached part is part of the prompt


def test_one_hour_and_five_minute_writes_are_split_and_the_lifetime_runs_out(core, local_anthropic):
    now = [1000.0]
    local_anthropic.prompt_cache.clock = lambda: now[0]
    turns = [Message("user", "beta " * 2000), Message("assistant", "ok"), Message("user", "Go on.")]
    cache = [{"where": "system", "ttl": "1h"}, {"where": 0, "ttl": "5m"}]
    first = ask(core, turns, cache)
    assert first.usage.cache_write_tokens == 5000 and first.usage.cache_write_1h_tokens == 3000
    sent = local_anthropic.received[-1].body["messages"][0]
    assert sent["content"][-1]["cache_control"] == {"type": "ephemeral", "ttl": "5m"}
    now[0] += 301  # the 5-minute entry is gone, the 1-hour one is not
    later = ask(core, turns, cache)
    assert later.usage.cache_read_tokens == 3000
    assert (later.usage.cache_write_tokens, later.usage.cache_write_1h_tokens) == (2000, 0)


def test_savings_of_a_write_and_a_read_from_the_published_rates(core, local_anthropic):
    endpoint = core.config.endpoint("localant")
    write = ask(core, [Message("user", "Hi")], [{"where": "system", "ttl": "5m"}])
    read = ask(core, [Message("user", "Hi")], [{"where": "system", "ttl": "5m"}])
    wrote = savings(core.pricer, endpoint, MODEL, write.usage)
    saved = savings(core.pricer, endpoint, MODEL, read.usage)
    # 3000 tokens written at $3.75/MTok instead of $3: $0.00225 extra; read at $0.30: $0.0081 saved.
    assert wrote.saved == Decimal("-0.00225") and "extra" in wrote.words()
    assert saved.saved == Decimal("0.0081") and saved.words().startswith("saved")
    assert saved.paid == read.cost.total  # the price paid is the call's own
    assert uncached(read.usage).input_tokens == read.usage.input_tokens


def test_savings_are_unknown_for_an_unpriced_model(core, local_anthropic):
    endpoint = core.config.endpoint("localant")
    result = ask(core, [Message("user", "Hi")], [{"where": "system", "ttl": "5m"}], model="claude-sonnet-4-6")
    figure = savings(core.pricer, endpoint, "no-such-model-xyz", result.usage)
    assert figure.saved is None and not figure.known and figure.words().startswith("unknown")


def test_tools_breakpoint_marks_the_last_tool(core, local_anthropic):
    tools = ToolSet(tuple(ToolSpec(f"tool_{i}", "word " * 400) for i in range(3))).to_dict()
    result = ask(core, [Message("user", "Hi")], [{"where": "tools", "ttl": "5m"}], "", {"tools": tools})
    sent = local_anthropic.received[-1].body["tools"]
    assert [("cache_control" in t) for t in sent] == [False, False, True]
    assert result.usage.cache_write_tokens > 1200


def test_five_breakpoints_are_refused_before_sending_with_the_reason(core, local_anthropic):
    turns = [Message("user" if i % 2 == 0 else "assistant", f"turn {i}") for i in range(5)]
    cache = [{"where": i, "ttl": "5m"} for i in range(5)]
    before = len(local_anthropic.received)
    result = ask(core, turns, cache)
    assert result.status == "error" and "at most 4 cache breakpoints" in result.error.message
    assert len(local_anthropic.received) == before  # nothing was sent


def test_five_breakpoints_sent_raw_through_the_sdk_are_a_400(local_anthropic):
    client = anthropic.Anthropic(api_key=local_anthropic.api_key, base_url=local_anthropic.base_url)
    control = {"type": "ephemeral"}
    system = [{"type": "text", "text": f"part {i}", "cache_control": control} for i in range(5)]
    with pytest.raises(anthropic.BadRequestError, match="maximum of 4 blocks"):
        client.messages.create(
            model=MODEL, max_tokens=10, system=system, messages=[{"role": "user", "content": "Hi"}]
        )


def test_a_breakpoint_below_the_minimum_is_not_cached_and_the_counter_says_so(core, local_anthropic):
    result = ask(core, [Message("user", "Hi")], [{"where": "system", "ttl": "5m"}], system="short " * 500)
    assert (result.usage.cache_write_tokens, result.usage.cache_read_tokens) == (0, 0)
    request = Request(
        "localant", MODEL, (Message("user", "Hi"),), "short " * 500, {"cache": [{"where": "system"}]}
    )
    count = lambda system, messages: core.counter.count_prompt(MODEL, system, messages).tokens  # noqa: E731
    [check] = prefix_checks(request, "anthropic", count, 0)
    assert check.below and check.minimum.tokens == 1024
    assert "estimate" in check.warning() and "1,024" in check.warning()
    haiku = Request("localant", "claude-haiku-4-5", request.messages, "x " * 3000, request.params)
    [long_enough] = prefix_checks(haiku, "anthropic", count, 0)
    assert long_enough.minimum.tokens == 4096 and long_enough.below  # ~3000 < 4096 for Haiku 4.5


def test_openai_reports_the_automatic_cached_prefix_on_a_repeat(core, local_openai):
    prompt = "gamma " * 1500
    first = core.runner.run(Request.single("local", "gpt-4o-mini", prompt + "first question"))
    again = core.runner.run(Request.single("local", "gpt-4o-mini", prompt + "second question"))
    assert first.usage.cache_read_tokens == 0
    assert again.usage.cache_read_tokens == 1024 + (1500 - 1024) // 128 * 128  # 128-token steps
    short = core.runner.run(Request.single("local", "gpt-4o-mini", "delta " * 500))
    short_again = core.runner.run(Request.single("local", "gpt-4o-mini", "delta " * 500))
    assert short.usage.cache_read_tokens == short_again.usage.cache_read_tokens == 0


def test_a_breakpoint_on_an_openai_endpoint_is_refused_with_the_reason(core, local_openai):
    request = Request.single("local", "gpt-4o-mini", "Hi", params={"cache": [{"where": 0, "ttl": "5m"}]})
    result = core.runner.run(request)
    assert result.status == "error" and "OpenAI caches automatically" in result.error.message


def test_checks_order_and_toggle():
    with pytest.raises(PlaygroundError, match="one-hour cache breakpoint must come before"):
        caching.check([CacheBreakpoint("system", Ttl.MINUTES_5), CacheBreakpoint(2, Ttl.HOUR_1)], "anthropic")
    with pytest.raises(PlaygroundError, match="lifetime"):
        breakpoints_of({"cache": [{"where": "system", "ttl": "2h"}]})
    params = toggled({"temperature": 1}, 3, Ttl.HOUR_1)
    params = toggled(params, "system", Ttl.HOUR_1)
    assert params["cache"] == [{"where": "system", "ttl": "1h"}, {"where": 3, "ttl": "1h"}]
    assert toggled(toggled(params, 3, None), "system", None) == {"temperature": 1}


def test_the_estimate_carries_the_counters_cache_warning(core, local_anthropic):
    from playground.pricing.estimate import estimate

    endpoint = core.config.endpoint("localant")
    short = Request(
        "localant", MODEL, (Message("user", "Hi"),), "short " * 200, {"cache": [{"where": "system"}]}
    )
    [warning] = estimate(short, endpoint, core.counter, core.pricer).cache_warnings
    assert "below the 1,024" in warning and "(estimate)" in warning
    long = Request("localant", MODEL, (Message("user", "Hi"),), LONG, {"cache": [{"where": "system"}]})
    assert estimate(long, endpoint, core.counter, core.pricer).cache_warnings == ()
    missing = Request("localant", MODEL, (Message("user", "Hi"),), LONG, {"cache": [{"where": 4}]})
    assert "nothing there" in estimate(missing, endpoint, core.counter, core.pricer).cache_warnings[0]


def test_view_code_sends_the_cache_control_it_would_run_with(core, local_anthropic):
    from playground.llm.codegen import generate

    cache = [{"where": "system", "ttl": "1h"}, {"where": 0, "ttl": "5m"}]
    request = Request("localant", MODEL, (Message("user", "Hi"),), "Rules.", {"cache": cache})
    code = generate(core.config.endpoint("localant"), request)
    assert (
        code.curl.count('"cache_control"') == 2 and '"ttl": "1h"' in code.curl and '"ttl": "5m"' in code.curl
    )
    assert code.python.count("cache_control") == 2 and "'ttl': '1h'" in code.python


def test_a_saved_conversation_keeps_its_cache_marks():
    from playground.llm.conversation import Branches, ConversationFile, ConversationFileError

    cache = [{"where": "system", "ttl": "1h"}, {"where": 0, "ttl": "5m"}]
    saved = ConversationFile(
        Branches().commit([Message("user", "Hi")])[0],
        "Rules.",
        "e",
        "anthropic",
        None,
        MODEL,
        {"cache": cache},
    )
    assert ConversationFile.from_json(saved.to_json()).params == {"cache": cache}
    wrong = saved.to_json().replace('"5m"', '"9m"')
    with pytest.raises(ConversationFileError, match="lifetime"):
        ConversationFile.from_json(wrong)
