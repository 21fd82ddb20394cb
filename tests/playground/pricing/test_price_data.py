"""Prices: one-hour cache writes, the Sonnet 4 long-context tier, and which price data priced a call."""

import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import genai_prices
import pytest

from playground.cli.entry import main
from playground.llm.endpoints import BUILTIN
from playground.llm.request import Request
from playground.llm.usage import Usage
from playground.pricing import price_data
from playground.pricing.prices import Pricer
from tests.servers.base import Script

OPENAI, ANTHROPIC = BUILTIN
MTOK = Decimal(1_000_000)
# A whole genai-prices payload in its own format: one provider, gpt-4o at $100/$200 per MTok.
PAYLOAD = [
    {
        "id": "openai",
        "name": "OpenAI",
        "api_pattern": r"https://api\.openai\.com",
        "models": [
            {"id": "gpt-4o", "match": {"equals": "gpt-4o"}, "prices": {"input_mtok": 100, "output_mtok": 200}}
        ],
    }
]


@pytest.fixture(autouse=True)
def bundled_prices():
    price_data.forget()
    yield
    price_data.forget()


@pytest.fixture
def prices_server(monkeypatch):
    """A local stand-in for genai-prices' update URL; ``body`` is what it serves."""
    state = {"body": json.dumps(PAYLOAD).encode(), "hits": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            state["hits"] += 1
            self.send_response(200)
            self.send_header("Content-Length", str(len(state["body"])))
            self.end_headers()
            self.wfile.write(state["body"])

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(price_data, "PRICES_URL", f"http://127.0.0.1:{server.server_port}/data.json")
    yield state
    server.shutdown()
    server.server_close()
    thread.join()


def test_one_hour_cache_writes_cost_their_own_rate():
    five_min = Pricer().price(ANTHROPIC, "claude-sonnet-4-0", Usage(10_000, 0, cache_write_tokens=1000))
    one_hour = Pricer().price(
        ANTHROPIC, "claude-sonnet-4-0", Usage(10_000, 0, cache_write_tokens=1000, cache_write_1h_tokens=1000)
    )
    # Anthropic: Sonnet 4 input $3, 5-minute writes $3.75, one-hour writes $6 per MTok.
    assert five_min.total == (9000 * 3 + Decimal("1000") * Decimal("3.75")) / MTOK
    assert one_hour.total == (9000 * 3 + 1000 * 6) / MTOK
    mixed = Pricer().price(
        ANTHROPIC, "claude-sonnet-4-0", Usage(10_000, 0, cache_write_tokens=1000, cache_write_1h_tokens=400)
    )
    assert mixed.total == (9000 * 3 + 600 * Decimal("3.75") + 400 * 6) / MTOK


def test_sonnet_4_above_200k_input_is_priced_at_anthropics_long_context_rates():
    usage = Usage(300_000, 1000)
    cost = Pricer().price(ANTHROPIC, "claude-sonnet-4-20250514", usage)
    assert cost.total == (300_000 * 6 + 1000 * Decimal("22.50")) / MTOK  # $6 / $22.50 above 200K
    assert "long-context" in cost.source and "anthropic.com" in cost.source
    upstream = genai_prices.calc_price(
        genai_prices.Usage(input_tokens=300_000, output_tokens=1000),
        "claude-sonnet-4-0",
        provider_id="anthropic",
    )
    assert upstream.total_price != cost.total  # the bundled data lacks the tier (reported upstream)
    short = Pricer().price(ANTHROPIC, "claude-sonnet-4-0", Usage(200_000, 1000))
    assert short.total == (200_000 * 3 + 1000 * 15) / MTOK and "long-context" not in short.source


def test_each_call_records_which_price_data_priced_it(core, local_openai):
    local_openai.push(Script(text="hello there", prompt_tokens=12))
    core.runner.run(Request.single("local", "gpt-4o", "q"))
    (row,) = core.history.recent(limit=1)
    assert row.price_source.startswith(f"genai-prices {genai_prices.__version__} bundled: openai/gpt-4o")


def test_prices_list_shows_the_data_version_and_date(core, capsys):
    assert main(["prices", "list"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert f"genai-prices {genai_prices.__version__}, bundled data (prices checked up to 20" in first


def test_update_offline_fails_with_one_line_and_keeps_the_bundled_prices(core, capsys, monkeypatch):
    monkeypatch.setattr(price_data, "PRICES_URL", "http://127.0.0.1:9/data.json")  # nothing listens there
    before = core.pricer.price(OPENAI, "gpt-4o", Usage(1000, 1000))
    assert main(["prices", "update"]) == 1
    out = capsys.readouterr()
    assert len(out.err.strip().splitlines()) == 1 and "could not fetch new prices" in out.err
    assert "still using genai-prices" in out.err and "Traceback" not in out.err
    assert core.pricer.price(OPENAI, "gpt-4o", Usage(1000, 1000)) == before
    assert not price_data.saved_path(core.home).exists()


def test_update_fetches_saves_and_uses_newer_data(core, capsys, prices_server):
    assert main(["prices", "update"]) == 0
    assert "data fetched" in capsys.readouterr().out and prices_server["hits"] == 1
    cost = core.pricer.price(OPENAI, "gpt-4o", Usage(1_000_000, 0))
    assert cost.total == 100 and " fetched " in cost.source
    price_data.forget()  # as a new process would: the saved copy is loaded again
    assert core.pricer.price(OPENAI, "gpt-4o", Usage(1_000_000, 0)).total == 100
    price_data.saved_path(core.home).write_text("not json")  # damaged: the bundled copy prices again
    price_data.forget()
    cost = core.pricer.price(OPENAI, "gpt-4o", Usage(1_000_000, 0))
    assert cost.total == Decimal("2.5") and "bundled" in cost.source


def test_an_invalid_payload_changes_nothing(core, capsys, prices_server):
    prices_server["body"] = b'{"not": "a list"}'
    assert main(["prices", "update"]) == 1
    assert "not valid" in capsys.readouterr().err
    assert "bundled" in core.pricer.price(OPENAI, "gpt-4o", Usage(10, 10)).source


def test_what_if_reprices_recorded_one_hour_writes_at_their_rate():
    from playground.history.records import from_row
    from playground.spend.whatif import reprice

    row = {
        "id": 1,
        "started_at": "2026-10-01T10:00:00.000+00:00",
        "status": "ok",
        "endpoint": "anthropic",
        "model": "claude-sonnet-4-0",
        "cost_usd": "0.03075",  # as if priced at the five-minute rate when it ran
        "input_tokens": 10_000,
        "output_tokens": 0,
        "cache_read_tokens": 0,
        "cache_write_tokens": 1000,
        "cache_write_1h_tokens": 1000,
    }
    result = reprice([from_row(row)], Pricer(), lambda name: ANTHROPIC)
    assert result.repriced == (9000 * 3 + 1000 * 6) / MTOK and result.recorded == Decimal("0.03075")
