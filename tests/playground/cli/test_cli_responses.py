"""`playground run --api openai-responses`: the command streams through /v1/responses and records a
priced row like a Chat Completions call."""

import json
from decimal import Decimal

import genai_prices

from tests.playground.cli.cli_proc import cli
from tests.servers.base import Script


def test_run_through_the_responses_api(openai_server):
    openai_server.api_key = None  # a keyless local server, priced as if it were OpenAI
    openai_server.push(Script(text="Streamed as events", prompt_tokens=12))
    base = ("run", "-m", "gpt-4o-mini", "--base-url", openai_server.base_url, "--price-as", "openai")
    out = cli(*base, "--api", "openai-responses", "Hello?")
    assert out.returncode == 0, out.stderr
    assert out.stdout == "Streamed as events\n"
    (sent,) = openai_server.received
    assert sent.path == "/v1/responses" and sent.body["max_output_tokens"] == 1024
    (row,) = json.loads(cli("history", "--json").stdout)
    assert row["status"] == "ok" and row["input_tokens"] == 12 and row["output_tokens"] == 3
    expected = genai_prices.calc_price(
        genai_prices.Usage(input_tokens=12, output_tokens=3), "gpt-4o-mini", provider_id="openai"
    ).total_price
    assert Decimal(row["cost_usd"]) == expected
