"""First-token time is the network's: the first call in a fresh worker is timed like the second."""

import pytest

from playground.core import build_core
from playground.llm.endpoints import Endpoint
from playground.llm.providers.remote import StreamWorkers
from playground.llm.request import Request
from tests.conftest import FAST_RETRY
from tests.servers.base import Script

DELAY_S = 0.3


@pytest.mark.parametrize("api", ["openai", "anthropic"])
def test_first_call_ttft_matches_the_second(api, isolated_home, memory_keyring, encodings, request):
    server = request.getfixturevalue(f"{api}_server")
    workers = StreamWorkers()  # fresh: its process has imported nothing yet
    core = build_core(
        isolated_home,
        keyring_backend=memory_keyring,
        environ={},
        retry=FAST_RETRY,
        timeout_s=5,
        encodings=encodings,
        provider_factory=workers.factory,
    )
    try:
        core.config.add_endpoint(Endpoint("here", api, server.base_url, "here", api))
        core.keys.set("here", server.api_key)
        model = "gpt-4o-mini" if api == "openai" else "claude-haiku-4-5"
        ttfts = []
        for _ in range(2):
            server.push(Script(text="one two three", first_token_delay=DELAY_S))
            result = core.runner.run(Request.single("here", model, "hi"))
            assert result.status == "ok", result.error
            ttfts.append(result.ttft_ms)
    finally:
        core.close()
        workers.close()
    first, second = ttfts
    assert DELAY_S * 1000 <= second < DELAY_S * 1000 + 100
    assert abs(first - second) < 50, ttfts
