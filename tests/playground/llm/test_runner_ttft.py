"""First-token time is the network's: the first call in a fresh worker is timed like the second."""

import pytest

from playground.llm.endpoints import Endpoint
from playground.llm.request import Request
from tests.servers.base import Script

DELAY_S = 0.3


@pytest.mark.parametrize("api", ["openai", "anthropic"])
def test_first_call_ttft_matches_the_second(api, worker_core, request):
    server = request.getfixturevalue(f"{api}_server")
    core, _ = worker_core
    core.config.add_endpoint(Endpoint("here", api, server.base_url, "here", api))
    core.keys.set("here", server.api_key)
    model = "gpt-4o-mini" if api == "openai" else "claude-haiku-4-5"
    ttfts = []
    for _ in range(2):
        server.push(Script(text="one two three", first_token_delay=DELAY_S))
        result = core.runner.run(Request.single("here", model, "hi"))
        assert result.status == "ok", result.error
        ttfts.append(result.ttft_ms)
    first, second = ttfts
    assert DELAY_S * 1000 <= second < DELAY_S * 1000 + 100
    assert abs(first - second) < 50, ttfts


def test_a_comparisons_first_round_is_timed_like_its_second(worker_core, openai_server, anthropic_server):
    """Three OpenAI columns and one Anthropic column in a fresh worker: the Anthropic SDK loaded while
    the OpenAI requests waited for their first token, and their first round read 410-560 ms for a
    300 ms first token (half the launches). Streams now wait for an SDK being imported before sending."""
    from playground.compare.runner import CompareRun, Job

    core, _ = worker_core
    rounds = []
    for server, api in ((openai_server, "openai"), (anthropic_server, "anthropic")):
        server.api_key = None
        server.default = Script(text="one two three four", first_token_delay=DELAY_S, token_delay=0.02)
        core.config.add_endpoint(Endpoint(f"local-{api}", api, server.base_url, None, api))
    jobs = [Job(i, i, 0, Request.single("local-openai", "gpt-4o-mini", "hi")) for i in range(3)]
    jobs.append(Job(3, 3, 0, Request.single("local-anthropic", "claude-haiku-4-5", "hi")))
    for _ in range(2):
        done: list = []
        for thread in CompareRun(core.runner).start(
            jobs,
            on_event=lambda job, event: None,
            on_done=lambda job, result, done=done: done.append(result),
        ):
            thread.join(30)
        assert [r.status for r in done] == ["ok"] * 4, [r.error for r in done]
        rounds.append(max(r.ttft_ms for r in done))
    first, second = rounds
    assert DELAY_S * 1000 <= second < DELAY_S * 1000 + 100
    assert first < second + 80, rounds
