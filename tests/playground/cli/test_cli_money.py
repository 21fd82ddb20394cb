"""The CLI's money: unknown stays unknown in spend and CSV, and every request bounds its cost."""

import csv
import io
import json
from decimal import Decimal

import pytest

from playground.cli.entry import main
from tests.servers.base import Script


def run(server, *extra, price_as="openai", model="gpt-4o"):
    price = ["--price-as", price_as] if price_as else []
    return main(["run", "-m", model, "--base-url", server.base_url, *price, *extra, "Hi"])


def test_spend_keeps_unpriced_calls_unknown_in_text_and_csv(openai_server, capsys):
    openai_server.api_key = None
    assert run(openai_server) == 0  # priced as OpenAI's gpt-4o
    assert run(openai_server, model="my-local-model", price_as=None) == 0  # a local server: no price
    capsys.readouterr()
    assert main(["spend", "--by", "model"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert "unknown · 1 call unpriced" in lines["my-local-model"] and "$0" not in lines["my-local-model"]
    assert "1 call unpriced" not in lines["gpt-4o"] and "$0." in lines["gpt-4o"]
    assert lines["total"].endswith("· 1 call unpriced") and "at least $0." in lines["total"]
    assert main(["spend", "--by", "model", "--csv"]) == 0
    rows = {r["model"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert rows["my-local-model"]["cost_usd"] == "" and rows["my-local-model"]["unpriced_calls"] == "1"
    assert Decimal(rows["gpt-4o"]["cost_usd"]) > 0 and rows["gpt-4o"]["unpriced_calls"] == "0"
    assert main(["export", "--format", "csv"]) == 0
    calls = {r["model"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert calls["my-local-model"]["cost_usd"] == "" and Decimal(calls["gpt-4o"]["cost_usd"]) > 0


@pytest.mark.parametrize("api", ["openai", "anthropic"])
def test_every_request_sends_max_tokens_and_json_shows_it(api, openai_server, anthropic_server, capsys):
    server = openai_server if api == "openai" else anthropic_server
    server.api_key = None
    model = "gpt-4o" if api == "openai" else "claude-haiku-4-5"
    args = ["--api", api, "--json"]
    assert run(server, *args, model=model, price_as=api) == 0
    assert run(server, *args, "-o", "max_tokens=200", model=model, price_as=api) == 0
    shown = [json.loads(line)["max_tokens"] for line in capsys.readouterr().out.splitlines()]
    sent = [r.body["max_tokens"] for r in server.received if r.body and "messages" in r.body]
    assert shown == sent == [1024, 200]


def test_csv_export_neutralises_formulas_but_not_numbers(openai_server, capsys, tmp_path):
    openai_server.api_key = None
    openai_server.push(Script(text='=HYPERLINK("http://evil.example","click")'))
    assert (
        main(
            [
                "run",
                "-m",
                "gpt-4o",
                "--base-url",
                openai_server.base_url,
                "--price-as",
                "openai",
                "--tag",
                "@SUM(A1:A9)",
                "--system=-2+3",
                "+1 tab",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["export", "--format", "csv"]) == 0
    (row,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert row["output"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["tag"] == "'@SUM(A1:A9)" and row["system"] == "'-2+3"
    assert Decimal(row["cost_usd"]) > 0 and int(row["input_tokens"]) > 0  # numbers stay numbers
    assert main(["export", "--format", "json"]) == 0
    (call,) = json.loads(capsys.readouterr().out)["calls"]
    assert call["output"].startswith("=HYPERLINK") and call["tag"] == "@SUM(A1:A9)"  # JSON unchanged


def test_spend_csv_says_how_much_of_a_cost_is_our_estimate(openai_server, capsys):
    """A stream cut mid-answer is priced on our count of what arrived: its cost is an estimate."""
    openai_server.api_key = None
    openai_server.push(Script(text="one two three four five six", cut_after=3))
    run(openai_server, model="gpt-4o-mini")
    assert run(openai_server) == 0  # gpt-4o, reported in full
    capsys.readouterr()
    assert main(["spend", "--by", "model", "--csv"]) == 0
    rows = {r["model"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    cut, whole = rows["gpt-4o-mini"], rows["gpt-4o"]
    assert Decimal(cut["cost_usd"]) > 0 and cut["estimated_cost_usd"] == cut["cost_usd"]
    assert Decimal(whole["cost_usd"]) > 0 and Decimal(whole["estimated_cost_usd"]) == 0
