"""OpenAI Chat Completions through the real openai SDK against the local test server."""

import threading
import time

import pytest

from playground.llm.cancel import CancelToken
from playground.llm.endpoints import Endpoint
from playground.llm.errors import ErrorKind
from playground.llm.events import Retrying, TextDelta
from playground.llm.request import Message, Request
from tests.servers.base import Script


def run(core, prompt="Say hello", model="gpt-4o-mini", **kw):
    params = kw.pop("params", {})
    return core.runner.run(Request.single("local", model, prompt, params=params), **kw)


def test_streams_text_and_records_reported_usage_and_cost(core, local_openai):
    local_openai.push(Script(text="One two three four", prompt_tokens=42, cached_tokens=10))
    seen = []
    result = run(core, on_event=seen.append)
    assert result.status == "ok"
    assert "".join(e.text for e in seen if isinstance(e, TextDelta)) == "One two three four"
    assert result.usage.input_tokens == 42 and result.usage.cache_read_tokens == 10
    assert result.usage.output_tokens == 4 and not result.usage.output_estimated
    assert result.cost.known and result.cost.total > 0
    row = core.history.get(result.call_id)
    assert row.status == "ok" and row.output == "One two three four"
    assert row.cost_usd == result.cost.total and "genai-prices" in row.price_source
    assert row.ttft_ms is not None and row.duration_ms >= row.ttft_ms
    sent = local_openai.received[-1].body
    assert sent["stream_options"] == {"include_usage": True}


def test_system_prompt_and_conversation_are_sent_in_order(core, local_openai):
    request = Request(
        "local",
        "gpt-4o",
        (Message("user", "Hi"), Message("assistant", "Hello!"), Message("user", "Again")),
        system="Be terse",
    )
    core.runner.run(request)
    roles = [(m["role"], m["content"]) for m in local_openai.received[-1].body["messages"]]
    assert roles == [("system", "Be terse"), ("user", "Hi"), ("assistant", "Hello!"), ("user", "Again")]


def test_compatible_server_gets_max_tokens_and_top_k_the_official_one_max_completion_tokens(
    core, local_openai
):
    run(core, params={"max_tokens": 2, "top_k": 5})
    body = local_openai.received[-1].body
    assert body["max_tokens"] == 2 and body["top_k"] == 5 and "max_completion_tokens" not in body
    official_like = Endpoint("openai", "openai", local_openai.base_url, "local", "openai", builtin=True)
    result = core.runner.run(
        Request.single("openai", "gpt-4o", "x", params={"max_tokens": 2, "top_k": 5}), endpoint=official_like
    )
    body = local_openai.received[-1].body
    assert body["max_completion_tokens"] == 2 and "top_k" not in body
    assert result.finish_reason == "length" and "top_k" in result.dropped_params


def test_server_without_usage_gets_our_estimate_marked(core, local_openai):
    local_openai.push(Script(text="alpha beta gamma", usage="none"))
    result = run(core)
    assert result.status == "ok"
    assert result.usage.input_estimated and result.usage.output_estimated
    assert result.usage.output_tokens == 3
    assert result.cost.estimated
    row = core.history.get(result.call_id)
    assert row.input_estimated == 1 and row.output_estimated == 1


def test_usage_on_the_final_chunk_with_choices_is_read(core, local_openai):
    local_openai.push(Script(text="a b", usage="with_last_choice", prompt_tokens=77))
    result = run(core)
    assert result.usage.input_tokens == 77 and not result.usage.input_estimated


def test_reasoning_content_is_kept_apart(core, local_openai):
    local_openai.push(Script(text="42", reasoning="six times seven", reasoning_tokens=3))
    result = run(core)
    assert result.reasoning == "six times seven" and result.text == "42"
    assert result.usage.reasoning_tokens == 3


def test_logprobs_come_back_when_asked(core, local_openai):
    local_openai.push(Script(text="Yes indeed"))
    result = run(core, params={"top_logprobs": 2})
    assert [lp.token for lp in result.logprobs] == ["Yes", " indeed"]
    assert len(result.logprobs[0].top) == 2 and result.logprobs[0].logprob < 0


def test_rate_limit_is_retried_honouring_retry_after(core, local_openai):
    local_openai.push(
        Script(
            status=429,
            error_type="rate_limit_error",
            error_message="Slow down",
            headers={"retry-after-ms": "300"},
        )
    )
    events = []
    start = time.monotonic()
    result = run(core, on_event=events.append)
    assert result.status == "ok" and result.retries == 1
    retry = next(e for e in events if isinstance(e, Retrying))
    assert retry.delay == pytest.approx(0.3) and retry.error.kind == ErrorKind.RATE_LIMITED
    assert time.monotonic() - start >= 0.3


def test_rate_limit_that_persists_is_reported(core, local_openai):
    local_openai.push(
        *[
            Script(
                status=429,
                error_type="rate_limit_error",
                error_message="Slow down",
                headers={"retry-after": "0"},
            )
        ]
        * 4
    )
    result = run(core)
    assert result.status == "error" and result.error.kind == ErrorKind.RATE_LIMITED
    assert result.retries == 3
    assert core.history.get(result.call_id).error_kind == "rate_limited"


def test_a_retry_after_longer_than_a_minute_is_reported_not_waited(core, local_openai):
    local_openai.push(Script(status=429, error_type="rate_limit_error", headers={"retry-after": "3600"}))
    result = run(core)
    assert result.error.kind == ErrorKind.RATE_LIMITED and result.error.retry_after == 3600
    assert result.retries == 0


def test_server_error_is_retried(core, local_openai):
    local_openai.push(Script(status=500, error_message="boom"))
    assert run(core).status == "ok"


@pytest.mark.parametrize(
    ("script", "kind", "words"),
    [
        (
            Script(
                status=429,
                error_type="insufficient_quota",
                error_code="insufficient_quota",
                error_message="You exceeded your current quota",
            ),
            ErrorKind.OUT_OF_CREDIT,
            "quota",
        ),
        (
            Script(
                status=400,
                error_type="invalid_request_error",
                error_code="context_length_exceeded",
                error_message="This model's maximum context length is 128000 tokens.",
            ),
            ErrorKind.CONTEXT_TOO_LONG,
            "maximum context length",
        ),
        (
            Script(status=400, error_type="invalid_request_error", error_message="Invalid value for top_p"),
            ErrorKind.BAD_REQUEST,
            "Invalid value for top_p",
        ),
        (
            Script(
                status=404,
                error_type="invalid_request_error",
                error_message="The model `nope` does not exist",
            ),
            ErrorKind.MODEL_NOT_FOUND,
            "does not exist",
        ),
    ],
)
def test_errors_are_sorted_into_kinds_with_the_servers_message(core, local_openai, script, kind, words):
    local_openai.push(script)
    result = run(core)
    assert result.error.kind == kind and words in result.error.message
    assert result.cost.total == 0  # nothing generated, nothing billed


def test_a_call_that_failed_before_any_output_adds_no_tokens_to_the_totals(core, local_openai):
    """Nothing billed, so no tokens either: an estimate of its prompt was summed into History's and
    Spend's token totals ("~8 → ~0" per row, new-user tour)."""
    from playground.history.filters import Filters

    local_openai.push(Script(text="One two", prompt_tokens=12))
    local_openai.push(Script(status=400, error_type="invalid_request_error", error_message="Bad"))
    ok, failed = run(core), run(core, prompt="Say hello to everyone in this long room")
    assert ok.status == "ok" and failed.status == "error"
    assert failed.usage.input_tokens == failed.usage.output_tokens == 0
    row = core.history.get(failed.call_id)
    assert (row.input_tokens, row.output_tokens, row.input_estimated) == (0, 0, False)
    totals = core.history.totals(Filters())
    assert (totals.calls, totals.input_tokens, totals.output_tokens) == (2, 12, 2)


def test_wrong_key_is_reported_without_the_key_even_if_echoed(core, local_openai):
    canary = "sk-canary-DO-NOT-LEAK-1234567890"
    core.keys.set("local", canary)
    local_openai.push(Script(echo_key=True))
    result = run(core)
    assert result.error.kind == ErrorKind.KEY_REJECTED
    assert canary not in result.error.message and "canary" not in result.error.message


def test_missing_key_is_refused_before_sending_and_recorded(core, local_openai):
    core.keys.delete("local")
    result = run(core)
    assert result.error.kind == ErrorKind.KEY_MISSING and local_openai.received == []
    assert core.history.get(result.call_id).status == "error"


def test_invalid_parameter_is_refused_before_sending_and_recorded(core, local_openai):
    result = run(core, params={"temperature": 7})
    assert result.error.kind == ErrorKind.INVALID_PARAMETER and local_openai.received == []
    assert core.history.get(result.call_id).error_kind == "invalid_parameter"


def test_slow_first_token_times_out(core, local_openai, encodings):
    from playground.core import build_core

    local_openai.push(Script(first_token_delay=2))
    impatient = build_core(core.home, keyring_backend=None, environ={}, timeout_s=0.5, encodings=encodings)
    impatient.config.add_endpoint(Endpoint("keyless", "openai", local_openai.base_url))
    local_openai.api_key = None
    result = impatient.runner.run(Request.single("keyless", "gpt-4o-mini", "x"))
    impatient.close()
    assert result.error.kind == ErrorKind.TIMEOUT


def test_a_dropped_stream_keeps_the_text_that_arrived(core, local_openai):
    local_openai.push(Script(text="one two three four five", cut_after=3))
    result = run(core)
    assert result.error.kind == ErrorKind.STREAM_CUT and result.text == "one two three"
    assert core.history.get(result.call_id).output == "one two three"
    assert result.usage.output_estimated and result.usage.output_tokens == 3


def test_a_malformed_event_is_reported(core, local_openai):
    local_openai.push(Script(text="one two three", malformed_after=1))
    result = run(core)
    assert result.error.kind == ErrorKind.MALFORMED_STREAM and result.text == "one"


def test_network_down_is_reported(core):
    core.config.add_endpoint(Endpoint("dead", "openai", "http://127.0.0.1:9/v1"))
    result = core.runner.run(Request.single("dead", "gpt-4o", "x"))
    assert result.error.kind == ErrorKind.NETWORK


def test_cancel_from_another_thread_stops_quickly_and_keeps_the_text(core, local_openai):
    local_openai.push(Script(text="a b c d e f g h i j", token_delay=0.3))
    cancel = CancelToken()
    arrived = threading.Event()

    def on_event(event):
        if isinstance(event, TextDelta) and event.text.strip() == "b":
            arrived.set()

    result_box = []
    worker = threading.Thread(target=lambda: result_box.append(run(core, on_event=on_event, cancel=cancel)))
    worker.start()
    assert arrived.wait(5)
    cancel.cancel()
    asked = time.monotonic()
    worker.join(5)
    stopped_after = time.monotonic() - asked
    (result,) = result_box
    assert result.status == "cancelled" and result.text.startswith("a b")
    assert stopped_after < 1.0  # the server would go on for ~2.4 s more; exact latency is in bench/
    assert core.history.get(result.call_id).status == "cancelled"


def test_models_are_listed_from_the_server(core, local_openai):
    setup = core.runner.setup(Request.single("local", "-", ""))
    assert core.runner.provider(setup).list_models() == ["gpt-4o", "gpt-4o-mini", "test-model"]


def test_a_connection_closed_before_any_answer_is_tried_again_at_once(core, local_openai):
    from tests.servers.base import Script as S

    local_openai.push(S(hang_up=True), S(text="Hello again"))
    result = core.runner.run(Request.single("local", "gpt-4o-mini", "Hi"))
    assert result.status == "ok" and result.text == "Hello again" and result.retries == 1


def test_a_refused_connection_is_not_retried(core):
    import socket

    from playground.llm.endpoints import Endpoint

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    core.config.add_endpoint(Endpoint("gone", "openai", f"http://127.0.0.1:{port}/v1", price_as="openai"))
    result = core.runner.run(Request.single("gone", "gpt-4o-mini", "Hi"))
    assert result.status == "error" and result.error.kind == ErrorKind.NETWORK and result.retries == 0
