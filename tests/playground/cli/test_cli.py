import json
import sys
from decimal import Decimal

import genai_prices
import pytest

from playground.cli.entry import main
from tests.playground.cli.cli_proc import cli
from tests.servers.base import Script


def test_run_streams_records_and_prices_against_a_local_openai_server(openai_server):
    openai_server.api_key = None  # a keyless local server, priced as if it were OpenAI
    openai_server.push(Script(text="Streamed from the local server", prompt_tokens=12))
    out = cli(
        "run",
        "-m",
        "gpt-4o-mini",
        "--base-url",
        openai_server.base_url,
        "--price-as",
        "openai",
        "-o",
        "temperature=0.2",
        "Hello?",
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout == "Streamed from the local server\n"
    listed = cli("history", "--json")
    (row,) = json.loads(listed.stdout)
    assert row["status"] == "ok" and row["input_tokens"] == 12
    assert row["params"] == {"temperature": 0.2, "max_tokens": 1024}  # max tokens always bounds the cost
    (sent,) = openai_server.received
    assert sent.body["max_tokens"] == 1024
    expected = genai_prices.calc_price(
        genai_prices.Usage(input_tokens=12, output_tokens=5), "gpt-4o-mini", provider_id="openai"
    ).total_price
    assert Decimal(row["cost_usd"]) == expected


def test_run_json_against_a_local_anthropic_server(anthropic_server):
    anthropic_server.api_key = None
    out = cli(
        "run",
        "-m",
        "claude-haiku-4-5",
        "--base-url",
        anthropic_server.base_url,
        "--api",
        "anthropic",
        "--price-as",
        "anthropic",
        "--json",
        "-s",
        "Be brief",
        "Hi",
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) >= {
        "id",
        "status",
        "model",
        "input_tokens",
        "output_tokens",
        "cached_tokens",
        "reasoning_tokens",
        "cost_usd",
        "ttft_ms",
        "duration_ms",
        "tokens_per_s",
    }
    assert data["status"] == "ok" and data["model"] == "claude-haiku-4-5"
    assert data["input_tokens"] == 2 + 1 + 5 and Decimal(data["cost_usd"]) > 0
    assert data["cost_estimated"] is False  # reported usage: an exact cost, marked as such


def test_run_failure_exits_non_zero_with_one_line(openai_server):
    out = cli("run", "-m", "gpt-4o", "--base-url", openai_server.base_url, "Hello")
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("playground: error: key_rejected:")


def test_invalid_option_is_refused_before_sending(openai_server):
    out = cli("run", "-m", "gpt-4o", "--base-url", openai_server.base_url, "-o", "temperature=hot", "Hi")
    assert out.returncode == 1 and "temperature must be a number" in out.stderr
    assert openai_server.received == []


def test_count_and_cost(capsys):
    assert main(["count", "-m", "gpt-4o", "--json", "Hello world"]) == 0
    counted = json.loads(capsys.readouterr().out)
    assert counted["input_tokens"] == 3 + 1 + 2 + 3 and counted["estimated"] is False
    assert main(["cost", "-m", "gpt-4o", "--input", "1000000", "--output", "1000000", "--json"]) == 0
    cost = json.loads(capsys.readouterr().out)
    assert Decimal(cost["cost_usd"]) == Decimal("12.5")


def test_count_reads_a_file_and_marks_claude_estimates(tmp_path, capsys):
    prompt = tmp_path / "prompt.txt"
    prompt.write_text("word " * 1000)
    assert main(["count", "-m", "claude-sonnet-4-6", "-f", str(prompt)]) == 0
    out = capsys.readouterr().out
    assert "(estimate)" in out and "input cost ~$" in out


def test_count_uses_anthropics_endpoint_when_a_key_exists(anthropic_server, capsys):
    main(
        [
            "endpoints",
            "add",
            "ant",
            "--base-url",
            anthropic_server.base_url,
            "--api",
            "anthropic",
            "--key",
            "ant",
            "--price-as",
            "anthropic",
        ]
    )
    import keyring

    keyring.get_keyring().set_password("llm-playground", "ant", anthropic_server.api_key)
    capsys.readouterr()
    assert main(["count", "-m", "claude-sonnet-4-6", "--endpoint", "ant", "--json", "one two three"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == data | {"input_tokens": 8, "estimated": False, "method": "anthropic count_tokens"}


def test_unknown_price_is_an_error_not_zero(capsys):
    assert main(["cost", "-m", "mystery-model", "--input", "10", "--output", "10"]) == 1
    assert "price unknown" in capsys.readouterr().err


def test_endpoints_prices_and_keys(capsys):
    assert main(["endpoints", "add", "ollama", "--base-url", "http://localhost:11434/v1"]) == 0
    assert main(["prices", "set", "ollama", "*", "--free"]) == 0
    assert main(["endpoints", "list"]) == 0
    assert main(["prices", "list"]) == 0
    out = capsys.readouterr().out
    assert "ollama" in out and "ollama/*: free" in out
    assert main(["cost", "-m", "llama3.2", "--endpoint", "ollama", "--input", "5", "--output", "5"]) == 0
    assert capsys.readouterr().out.startswith("$0 ")
    assert main(["endpoints", "remove", "ollama"]) == 0
    assert main(["endpoints", "remove", "ollama"]) == 1
    assert main(["keys", "status", "openai"]) == 1
    assert "openai: missing" in capsys.readouterr().out


def test_endpoints_add_refuses_a_taken_name_unless_told_to_replace_it(capsys):
    assert main(["endpoints", "add", "work", "--base-url", "http://old.example:8000/v1"]) == 0
    capsys.readouterr()
    assert main(["endpoints", "add", "work", "--base-url", "http://new.example:9000/v1"]) == 2
    captured = capsys.readouterr()
    (line,) = captured.err.splitlines()
    assert "an endpoint named 'work' exists" in line and "--replace" in line
    assert captured.out == ""
    assert main(["endpoints", "list"]) == 0
    listed = capsys.readouterr().out
    assert "http://old.example:8000/v1" in listed and "new.example" not in listed  # kept as it was
    assert main(["endpoints", "add", "work", "--base-url", "http://new.example:9000/v1", "--replace"]) == 0
    assert "replaced" in capsys.readouterr().out
    assert main(["endpoints", "list"]) == 0
    listed = capsys.readouterr().out
    assert "http://new.example:9000/v1" in listed and "old.example" not in listed


def test_keys_set_reads_standard_input_when_not_a_terminal(monkeypatch, capsys):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("sk-from-stdin-1234567890\n"))
    assert main(["keys", "set", "openai"]) == 0
    assert main(["keys", "status", "openai"]) == 0
    out = capsys.readouterr().out
    assert "keyring" in out and "sk-from-stdin-1234567890" not in out


def test_spend_csv_and_history_search(openai_server):
    openai_server.api_key = None
    for prompt in ("about walruses", "about otters"):
        assert (
            cli(
                "run", "-m", "gpt-4o", "--base-url", openai_server.base_url, "--price-as", "openai", prompt
            ).returncode
            == 0
        )
    found = json.loads(cli("history", "--search", "walruses", "--json").stdout)
    assert [r["prompt"] for r in found] == ["about walruses"]
    csv_out = cli("spend", "--by", "model", "--csv").stdout.splitlines()
    assert csv_out[0].startswith("model,calls") and csv_out[1].startswith("gpt-4o,2,0,")


@pytest.mark.parametrize(
    "args", [["spend", "--since", "yesterday"], ["run", "-m", "x", "--endpoint", "nope", "hi"]]
)
def test_bad_input_gets_a_clear_message(args):
    out = cli(*args)
    assert out.returncode != 0 and out.stderr.startswith("playground:")
    assert "Traceback" not in out.stderr
