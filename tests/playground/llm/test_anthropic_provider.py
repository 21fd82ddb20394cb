"""Anthropic Messages through the real anthropic SDK against the local test server."""

from playground.llm.errors import ErrorKind
from playground.llm.request import Request
from tests.servers.base import Script

MODEL = "claude-sonnet-4-6"


def run(core, prompt="Say hello", system="", **params):
    return core.runner.run(Request.single("localant", MODEL, prompt, system=system, params=params))


def test_streams_and_folds_cache_counts_into_input(core, local_anthropic):
    local_anthropic.push(
        Script(text="Hi there friend", prompt_tokens=100, cached_tokens=60, cache_write_tokens=20)
    )
    result = run(core, system="Be warm")
    assert result.status == "ok" and result.text == "Hi there friend" and result.finish_reason == "end_turn"
    u = result.usage
    assert (u.input_tokens, u.cache_read_tokens, u.cache_write_tokens, u.output_tokens) == (100, 60, 20, 3)
    assert not u.input_estimated and not u.output_estimated
    assert "anthropic/claude-sonnet-4-6" in result.cost.source
    body = local_anthropic.received[-1].body
    assert body["system"] == "Be warm" and body["max_tokens"] == 1024


def test_sampling_parameters_go_in_the_body(core, local_anthropic):
    run(core, temperature=0.3, top_k=20, stop=["END"], max_tokens=50)
    body = local_anthropic.received[-1].body
    assert body["temperature"] == 0.3 and body["top_k"] == 20
    assert body["stop_sequences"] == ["END"] and body["max_tokens"] == 50


def test_thinking_streams_apart_with_its_budget(core, local_anthropic):
    local_anthropic.push(Script(reasoning="First consider the question", text="Answer"))
    result = run(core, thinking_budget=1024, max_tokens=2048)
    assert result.reasoning == "First consider the question" and result.text == "Answer"
    assert result.usage.reasoning_tokens == 4 and result.usage.output_tokens == 5
    assert local_anthropic.received[-1].body["thinking"] == {"type": "enabled", "budget_tokens": 1024}


def test_max_tokens_stop_reason_is_kept(core, local_anthropic):
    local_anthropic.push(Script(text="one two three four"))
    result = run(core, max_tokens=2)
    assert result.finish_reason == "max_tokens" and result.text == "one two"


def test_overloaded_is_retried(core, local_anthropic):
    local_anthropic.push(Script(status=529, error_type="overloaded_error", error_message="Overloaded"))
    result = run(core)
    assert result.status == "ok" and result.retries == 1


def test_rate_limit_retry_after_is_read(core, local_anthropic):
    local_anthropic.push(
        *[
            Script(
                status=429,
                error_type="rate_limit_error",
                error_message="Too many",
                headers={"retry-after": "0"},
            )
        ]
        * 4
    )
    result = run(core)
    assert result.error.kind == ErrorKind.RATE_LIMITED and result.error.retry_after == 0
    assert result.retries == 3


def test_error_event_mid_stream_keeps_the_text(core, local_anthropic):
    local_anthropic.push(Script(text="alpha beta gamma delta", error_event_after=2))
    result = run(core)
    assert result.status == "error" and result.error.kind == ErrorKind.STREAM_CUT
    assert result.text == "alpha beta" and "Overloaded" in result.error.message


def test_billing_and_long_prompt_errors(core, local_anthropic):
    local_anthropic.push(
        Script(
            status=400,
            error_type="invalid_request_error",
            error_message="Your credit balance is too low to access the Anthropic API.",
        )
    )
    assert run(core).error.kind == ErrorKind.OUT_OF_CREDIT
    local_anthropic.push(
        Script(
            status=400,
            error_type="invalid_request_error",
            error_message="prompt is too long: 210000 tokens > 200000 maximum",
        )
    )
    assert run(core).error.kind == ErrorKind.CONTEXT_TOO_LONG


def test_wrong_key_echoed_by_the_server_never_reaches_the_message(core, local_anthropic):
    canary = "sk-ant-canary-DO-NOT-LEAK-0987654321"
    core.keys.set("localant", canary)
    local_anthropic.push(Script(echo_key=True))
    result = run(core)
    assert result.error.kind == ErrorKind.KEY_REJECTED and canary not in result.error.message


def test_dropped_and_malformed_streams(core, local_anthropic):
    local_anthropic.push(Script(text="a b c d", cut_after=2))
    cut = run(core)
    assert cut.error.kind == ErrorKind.STREAM_CUT and cut.text == "a b"
    local_anthropic.push(Script(text="a b c d", malformed_after=1))
    bad = run(core)
    assert bad.error.kind == ErrorKind.MALFORMED_STREAM and bad.text == "a"


def test_exact_count_from_the_count_tokens_endpoint(core, local_anthropic):
    request = Request.single("localant", MODEL, "one two three", system="sys")
    setup = core.runner.setup(request)
    assert core.runner.provider(setup).count_tokens(request) == 3 + 1 + 5


def test_models_are_listed(core, local_anthropic):
    setup = core.runner.setup(Request.single("localant", MODEL, ""))
    assert core.runner.provider(setup).list_models() == ["claude-haiku-4-5", "claude-sonnet-4-6"]


def test_one_hour_cache_writes_are_recorded_and_priced_at_their_rate(core, local_anthropic):
    import genai_prices

    local_anthropic.push(
        Script(
            text="Hi there friend", prompt_tokens=10_000, cache_write_tokens=1000, cache_write_1h_tokens=400
        )
    )
    result = run(core)
    assert (result.usage.cache_write_tokens, result.usage.cache_write_1h_tokens) == (1000, 400)
    row = core.history.get(result.call_id)
    assert (row.cache_write_tokens, row.cache_write_1h_tokens) == (1000, 400)

    def genai(one_hour: int):
        usage = genai_prices.Usage(
            input_tokens=10_000, output_tokens=3, cache_write_tokens=1000, cache_write_1h_tokens=one_hour
        )
        return genai_prices.calc_price(usage, MODEL, provider_id="anthropic").total_price

    assert row.cost_usd == result.cost.total == genai(400)
    assert genai(400) > genai(0)  # the one-hour rate is higher: a five-minute price would not match


def test_a_connection_closed_before_any_answer_is_tried_again_at_once(core, local_anthropic):
    """A keep-alive connection the server had just closed (seen under load as 'Could not reach the server
    (RemoteProtocolError)' on 1 call in ~150): HTTP clients send the request again; so do we."""
    local_anthropic.push(Script(hang_up=True), Script(text="Hi there"))
    result = run(core)
    assert result.status == "ok" and result.text == "Hi there" and result.retries == 1


def test_a_server_that_always_hangs_up_fails_with_a_clear_message(core, local_anthropic):
    local_anthropic.push(*[Script(hang_up=True)] * 4)
    result = run(core)
    assert result.status == "error" and result.error.kind == ErrorKind.CONNECTION_CLOSED
    assert result.error.message.startswith("The server closed the connection")
    assert result.retries == 3  # each at once, as a keep-alive the server dropped
