"""Counting never fails for lack of network: the exact count when reachable, else the marked estimate."""

import json
import socket

from playground.cli.entry import main
from playground.llm.endpoints import Endpoint
from playground.llm.request import Request


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_claude_count_falls_back_to_the_estimate_when_unreachable(core):
    endpoint = Endpoint("offline", "anthropic", f"http://127.0.0.1:{closed_port()}", "offline", "anthropic")
    core.config.add_endpoint(endpoint)
    core.keys.set("offline", "sk-ant-test-key-0123456789")
    request = Request.single("offline", "claude-sonnet-4-6", "one two three")
    count = core.runner.count_input(request, endpoint)
    assert count.estimated and count.tokens == core.runner.estimate_input(request).tokens
    assert "network" in count.note and "sk-ant" not in count.note


def test_claude_count_is_exact_when_reachable(core, local_anthropic):
    request = Request.single("localant", "claude-sonnet-4-6", "one two three")
    count = core.runner.count_input(request, core.config.endpoint("localant"))
    assert (count.tokens, count.estimated, count.note) == (3 + 5, False, "")


def test_the_cli_count_says_why_it_estimated(capsys):
    port = closed_port()
    url = f"http://127.0.0.1:{port}"
    args = ["endpoints", "add", "off", "--base-url", url, "--api", "anthropic", "--key", "off"]
    assert main([*args, "--price-as", "anthropic"]) == 0
    import keyring

    keyring.get_keyring().set_password("llm-playground", "off", "sk-ant-test-key-0123456789")
    capsys.readouterr()
    assert main(["count", "-m", "claude-sonnet-4-6", "--endpoint", "off", "--json", "one two three"]) == 0
    out = capsys.readouterr()
    data = json.loads(out.out)
    assert data["estimated"] is True and data["input_tokens"] > 0 and "network" in data["note"]
    assert out.err.count("exact count unavailable") == 1
