"""`playground keys` lists every key with where it comes from; an endpoint can name its variable."""

from playground.cli.entry import main


def test_keys_lists_each_source_and_the_endpoint_variable(monkeypatch, capsys):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-from-the-shell-000001")
    monkeypatch.setenv("MY_SERVER_KEY", "sk-my-server-key-0000001")
    args = [
        "endpoints",
        "add",
        "mine",
        "--base-url",
        "http://localhost:8080/v1",
        "--key-env",
        "MY_SERVER_KEY",
    ]
    assert main(args) == 0
    assert main(["keys"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines() if line.strip()}
    assert "environment variable ANTHROPIC_API_KEY" in lines["anthropic"]
    assert "missing" in lines["openai"]
    assert "environment variable MY_SERVER_KEY" in lines["mine"]
    assert "OpenAI admin key (for importing your bill)" in lines["openai-admin"]
    assert "sk-my-server" not in lines["mine"]
    assert main(["endpoints", "list"]) == 0
    assert "mine (environment variable MY_SERVER_KEY)" in capsys.readouterr().out
    assert main(["keys", "status", "openai-admin"]) == 1
    assert "OPENAI_ADMIN_KEY" in capsys.readouterr().out
