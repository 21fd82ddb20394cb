"""The stream worker loads one API style's SDK and client ahead of time, the other on its first call."""

import ast
import subprocess
import sys

import pytest

from playground.llm.endpoints import Endpoint
from playground.llm.request import Request
from tests.servers.base import Script

SDKS = ("openai", "anthropic")


def sdks_after_warm_up(api: str) -> list[str]:
    """Which SDKs a fresh process holds after the worker's warm-up for ``api``."""
    code = (
        "import sys\n"
        "from playground.llm.providers.remote import warm_up\n"
        f"before = [m for m in {SDKS!r} if m in sys.modules]\n"
        f"warm_up({api!r})\n"
        f"print(before, [m for m in {SDKS!r} if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    before, after = ast.literal_eval(out.stdout.strip().splitlines()[-1].replace("] [", "], ["))
    assert before == []
    return after


@pytest.mark.parametrize("api", SDKS)
def test_warm_up_loads_only_the_styles_sdk(api):
    assert sdks_after_warm_up(api) == [api]


def test_an_unknown_style_warms_nothing_and_does_not_fail():
    assert sdks_after_warm_up("no-such-style") == []


def test_a_worker_warmed_for_one_style_still_streams_the_other(worker_core, openai_server, anthropic_server):
    core, workers = worker_core
    workers.warm("openai")
    workers.warm("openai")  # once per worker: the second is a no-op
    for api, server, model in (
        ("openai", openai_server, "gpt-4o-mini"),
        ("anthropic", anthropic_server, "claude-haiku-4-5"),
    ):
        core.config.add_endpoint(Endpoint(f"here-{api}", api, server.base_url, f"here-{api}", api))
        core.keys.set(f"here-{api}", server.api_key)
        server.push(Script(text=f"hello from {api}"))
        result = core.runner.run(Request.single(f"here-{api}", model, "hi"))
        assert result.status == "ok", result.error
        assert result.text == f"hello from {api}"
