"""A password in an endpoint's base URL (https://user:token@proxy/v1) is sent to the server, but never
recorded: not in the history, not in its JSON or CSV export, not in the log."""

from __future__ import annotations

from tests.playground.cli.cli_proc import cli
from tests.servers.base import Script

SECRET = "sk-PASSWORD-IN-URL-42"


def test_a_password_in_the_base_url_is_in_no_file(openai_server, isolated_home, tmp_path):
    openai_server.api_key = None
    openai_server.push(Script(text="Hi there"))
    url = openai_server.base_url.replace("http://", f"http://proxyuser:{SECRET}@")
    done = cli("run", "-m", "gpt-4o-mini", "--base-url", url, "--price-as", "openai", "Hello?")
    assert done.returncode == 0, done.stderr
    assert SECRET not in done.stdout + done.stderr
    for fmt in ("json", "csv"):
        exported = cli("export", "--format", fmt, "-o", str(tmp_path / f"calls.{fmt}"))
        assert exported.returncode == 0, exported.stderr
    shown = cli("history", "--json")
    assert openai_server.base_url in shown.stdout  # the call is there, with its host
    files = [*isolated_home.rglob("*"), *tmp_path.glob("calls.*")]
    leaks = [f.name for f in files if f.is_file() and SECRET.encode() in f.read_bytes()]
    assert leaks == [] and SECRET not in shown.stdout
