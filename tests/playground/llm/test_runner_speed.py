"""Tokens per second is the model's pace after its first token, measured over a span long enough to
mean something: an answer that arrives in one batch has no speed to show (it read 8,047 tok/s)."""

from playground.llm.endpoints import Endpoint
from playground.llm.request import Request
from playground.llm.runner import MIN_SPEED_WINDOW_S
from tests.servers.base import Script

WORDS = " ".join(f"w{i}" for i in range(20))


def run(core, server, script: Script):
    server.push(script)
    endpoint = Endpoint("local", "openai", server.base_url, "local", price_as="openai")
    result = core.runner.run(Request.single("local", "gpt-4o-mini", "hi"), endpoint=endpoint)
    assert result.status == "ok", result.error
    return result


def test_an_answer_in_one_batch_has_no_speed(core, local_openai):
    result = run(core, local_openai, Script(text="w0 w1 w2 w3", prompt_tokens=5))  # all at once
    assert result.usage.output_tokens == 4
    span_s = (result.duration_ms - result.ttft_ms) / 1000
    assert span_s < MIN_SPEED_WINDOW_S, span_s  # the test server sent it all within a few ms
    assert result.tokens_per_s is None
    assert core.history.get(result.call_id).tokens_per_s is None  # History's detail shows none either


def test_a_paced_answer_shows_its_pace(core, local_openai):
    result = run(core, local_openai, Script(text=WORDS, prompt_tokens=5, token_delay=0.05))
    span_s = (result.duration_ms - result.ttft_ms) / 1000
    assert span_s >= 0.9  # 19 gaps of 50 ms after the first token
    assert result.tokens_per_s == 20 / span_s
    assert 15 < result.tokens_per_s < 22.5
