"""Early ends priced from the text, deadlines, malformed chunks: both API styles through the real SDKs."""

import threading
import time

import pytest

from playground.llm.cancel import CancelToken
from playground.llm.errors import ErrorKind
from playground.llm.events import TextDelta
from playground.llm.providers.base import StreamLimits
from playground.llm.request import Request
from playground.llm.runner import Runner
from playground.llm.settle import FROM_TEXT, REPORTED_LARGER, settle_usage
from playground.llm.usage import Usage
from tests.conftest import FAST_RETRY
from tests.servers.base import Script

WORDS = " ".join(f"word{i}" for i in range(40))
STYLES = {"openai": ("local", "gpt-4o-mini"), "anthropic": ("localant", "claude-sonnet-4-6")}


@pytest.fixture(params=sorted(STYLES))
def style(request, core, local_openai, local_anthropic):
    """One of the two local servers, its endpoint and a model priced there."""
    server = local_openai if request.param == "openai" else local_anthropic
    endpoint, model = STYLES[request.param]
    return request.param, server, endpoint, model


def runner_with(core, limits: StreamLimits) -> Runner:
    return Runner(
        history=core.history,
        config=core.config,
        keys=core.keys,
        pricer=core.pricer,
        counter=core.counter,
        retry=FAST_RETRY,
        timeout_s=5,
        limits=limits,
    )


def ask(runner, endpoint, model, **kw):
    return runner.run(Request.single(endpoint, model, "Tell me something"), **kw)


def counted(core, model, text):
    return core.counter.count_text(model, text).tokens


def test_a_cut_stream_is_billed_for_the_text_that_arrived(core, style):
    api, server, endpoint, model = style
    server.push(Script(text=WORDS, cut_after=20))
    result = ask(core.runner, endpoint, model)
    assert result.status == "error" and result.error.kind == ErrorKind.STREAM_CUT
    arrived = " ".join(WORDS.split()[:20])
    assert result.text == arrived
    # Anthropic's message_start said 1 output token; 20 words were generated and billed.
    assert result.usage.output_tokens == counted(core, model, arrived) > 20
    assert result.usage.output_estimated and result.cost.known and result.cost.estimated
    assert result.cost.output > 0
    row = core.history.get(result.call_id)
    assert row.output_tokens == result.usage.output_tokens
    assert row.output_estimated and row.cost_estimated and row.cost_usd > 0
    if api == "anthropic":  # the prompt count the provider reported is kept, not replaced by ours
        assert not result.usage.input_estimated


def test_a_stopped_stream_is_priced_from_its_text(core, style):
    _, server, endpoint, model = style
    server.push(Script(text=WORDS, token_delay=0.02))
    cancel = CancelToken()
    seen = []

    def on_event(event):
        seen.append(event)
        if sum(isinstance(e, TextDelta) for e in seen) >= 5:
            cancel.cancel()

    result = ask(core.runner, endpoint, model, on_event=on_event, cancel=cancel)
    assert result.status == "cancelled" and result.text
    assert result.usage.output_tokens == counted(core, model, result.text) > 0
    assert result.usage.output_estimated and result.cost.estimated and result.cost.total > 0


def test_a_complete_stream_keeps_the_reported_figures(core, style):
    _, server, endpoint, model = style
    server.push(Script(text="one two three", prompt_tokens=12))
    result = ask(core.runner, endpoint, model)
    assert result.status == "ok" and result.usage.output_tokens == 3 and result.usage.input_tokens == 12
    assert not result.usage.output_estimated and not result.cost.estimated and result.usage_note == ""


def test_a_larger_early_report_is_kept_and_named(core):
    reported = Usage(input_tokens=10, output_tokens=500)
    usage, note = settle_usage(
        core.counter,
        "gpt-4o",
        reported=reported,
        final=False,
        text="a b",
        reasoning="",
        input_estimate=lambda: 9,
    )
    assert usage.output_tokens == 500 and usage.output_estimated and note == REPORTED_LARGER
    usage, note = settle_usage(
        core.counter,
        "gpt-4o",
        reported=None,
        final=False,
        text="a b",
        reasoning="think",
        input_estimate=lambda: 9,
    )
    assert usage.input_tokens == 9 and usage.input_estimated and note == FROM_TEXT
    assert usage.output_tokens == counted(core, "gpt-4o", "a b") + counted(core, "gpt-4o", "think")
    assert usage.reasoning_tokens == counted(core, "gpt-4o", "think")


def test_keep_alive_comments_do_not_hold_a_stream_open(core, style):
    _, server, endpoint, model = style
    server.push(Script(text=WORDS, keepalive_after=3))
    runner = runner_with(core, StreamLimits(idle_s=0.5))
    started = time.monotonic()
    result = ask(runner, endpoint, model)
    assert time.monotonic() - started < 4
    assert result.status == "error" and result.error.kind == ErrorKind.TIMEOUT
    assert "idle" in result.error.message and result.text == "word0 word1 word2"
    assert result.usage.output_estimated and result.cost.total > 0
    assert core.history.get(result.call_id).output == "word0 word1 word2"


def test_a_slow_stream_meets_its_overall_deadline(core, style):
    _, server, endpoint, model = style
    server.push(Script(text=WORDS, token_delay=0.1))
    runner = runner_with(core, StreamLimits(idle_s=5, overall_s=0.8))
    result = ask(runner, endpoint, model)
    assert result.error.kind == ErrorKind.TIMEOUT and "overall deadline" in result.error.message
    assert 2 <= len(result.text.split()) < 40
    assert core.history.get(result.call_id).error_kind == "timeout"


def test_a_wrong_shaped_chunk_is_a_malformed_stream_row(core, style):
    _, server, endpoint, model = style
    server.push(Script(text=WORDS, wrong_shape_after=2))
    result = ask(core.runner, endpoint, model)
    assert result.status == "error" and result.error.kind == ErrorKind.MALFORMED_STREAM
    assert result.text == "word0 word1" and result.cost.estimated
    assert core.history.get(result.call_id).error_kind == "malformed_stream"


def test_limits_come_from_the_environment_and_ignore_nonsense():
    limits = StreamLimits.from_env(
        {"PLAYGROUND_IDLE_TIMEOUT": "5", "PLAYGROUND_DEADLINE": "nan", "PLAYGROUND_CONNECT_TIMEOUT": "-1"}
    )
    assert limits == StreamLimits(idle_s=5.0)
    assert StreamLimits() == StreamLimits(connect_s=10.0, idle_s=60.0, overall_s=600.0)


def test_deadlines_hold_for_streams_read_in_the_worker(core, local_anthropic):
    from playground.llm.providers.remote import StreamWorkers

    workers = StreamWorkers()
    try:
        runner = Runner(
            history=core.history,
            config=core.config,
            keys=core.keys,
            pricer=core.pricer,
            counter=core.counter,
            provider_factory=workers.factory,
            retry=FAST_RETRY,
            timeout_s=5,
            limits=StreamLimits(idle_s=0.5),
        )
        local_anthropic.push(Script(text=WORDS, keepalive_after=4), Script(text="after the timeout"))
        result = ask(runner, "localant", "claude-sonnet-4-6")
        assert result.error.kind == ErrorKind.TIMEOUT and result.text == "word0 word1 word2 word3"
        assert result.usage.output_tokens == counted(core, "claude-sonnet-4-6", result.text)
        again = ask(runner, "localant", "claude-sonnet-4-6")  # the worker let go of the stuck stream
        assert again.status == "ok" and again.text == "after the timeout"
    finally:
        workers.close()


def test_a_stop_from_another_thread_ends_a_waiting_stream_at_once(core, style):
    """The stream is read on the run thread: a stop pressed while it waits for the next token
    (a second away) must still return at once, with the text so far."""
    _, server, endpoint, model = style
    server.push(Script(text=WORDS, token_delay=1.0))
    cancel = CancelToken()
    first = threading.Event()
    box = []

    def work():
        box.append(
            ask(
                core.runner,
                endpoint,
                model,
                cancel=cancel,
                on_event=lambda e: isinstance(e, TextDelta) and first.set(),
            )
        )
        box.append(time.monotonic())

    thread = threading.Thread(target=work)
    thread.start()
    assert first.wait(10)
    asked = time.monotonic()
    cancel.cancel()
    thread.join(10)
    result, returned = box
    assert returned - asked < 0.5
    assert result.status == "cancelled" and result.text == "word0"


def test_a_silent_server_meets_the_idle_deadline(core, style):
    _, server, endpoint, model = style
    server.push(Script(text=WORDS, token_delay=3.0))  # not even a keep-alive between tokens
    runner = runner_with(core, StreamLimits(idle_s=0.5))
    started = time.monotonic()
    result = ask(runner, endpoint, model)
    assert time.monotonic() - started < 2.5
    assert result.status == "error" and result.error.kind == ErrorKind.TIMEOUT
    assert "idle" in result.error.message  # names the limit to raise
    assert core.history.get(result.call_id).error_kind == "timeout"
