"""The plan's Writes column is every written prefix token at the cache-write price, checked against a
figure worked out here from genai-prices' own price data (not through the Pricer).

Anthropic bills a 5-minute cache write at 1.25x input; OpenAI lists no cache-write price at all
(writing costs the plain input price), and discounts only the reads."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D

from genai_prices import data_snapshot

from playground.llm.endpoints import BUILTIN
from playground.plan.candidates import named
from playground.plan.moves import moves
from playground.plan.planner import plan
from playground.plan.workload import Tokens, Workload
from playground.pricing.prices import Pricer

ENDPOINTS = {e.name: e for e in BUILTIN}
# 500 requests a day (15,000 a month), 4,000 input tokens of which 3,000 a shared prefix, 60% found cached
W = Workload(
    D(500), Tokens.fixed(4000), Tokens.fixed(200), cacheable_share=D("0.75"), cache_hit_rate=D("0.6")
)
REQUESTS, PREFIX, MISSES, HITS = 15_000, 3_000, D("0.4"), D("0.6")


def _published(provider: str, model: str) -> dict[str, D | None]:
    """The model's base prices per million tokens, straight from genai-prices' data."""
    _, info = data_snapshot.get_snapshot().find_provider_model(model, None, provider, None)
    prices = info.get_prices(datetime.now(UTC))

    def base(key: str) -> D | None:
        value = getattr(prices, key, None)
        return getattr(value, "base", value)

    return {k: base(k) for k in ("input_mtok", "cache_read_mtok", "cache_write_mtok")}


def _row_and_cache_move(label: str):
    result = plan(W, named([label], ENDPOINTS.__getitem__), Pricer())
    cache = next(m for m in moves(result) if m.name.startswith("cache"))
    return result.rows[0], cache


def test_anthropic_writes_are_the_written_tokens_at_the_cache_write_price():
    published = _published("anthropic", "claude-sonnet-4-5")
    assert published["cache_write_mtok"] == D("1.25") * published["input_mtok"]  # 5-minute writes
    row, cache = _row_and_cache_move("anthropic/claude-sonnet-4-5")
    writes = REQUESTS * MISSES * PREFIX * published["cache_write_mtok"] / 1_000_000
    assert row.monthly.cache_writes == writes == D("67.5")  # 18M tokens written at $3.75/MTok
    reads = REQUESTS * HITS * PREFIX * published["cache_read_mtok"] / 1_000_000
    assert row.monthly.cached_input == reads
    assert row.cache_write_ratio == D("1.25")
    assert cache.detail.endswith("(cache writes cost 1.25× plain input)")


def test_openai_writes_cost_the_plain_input_price_and_the_move_says_so():
    published = _published("openai", "gpt-4o-mini")
    assert published["cache_write_mtok"] is None  # OpenAI charges nothing extra to write
    row, cache = _row_and_cache_move("openai/gpt-4o-mini")
    writes = REQUESTS * MISSES * PREFIX * published["input_mtok"] / 1_000_000
    assert row.monthly.cache_writes == writes == D("2.70")  # 18M tokens at $0.15/MTok: not $0
    reads = REQUESTS * HITS * PREFIX * published["cache_read_mtok"] / 1_000_000
    assert row.monthly.cached_input == reads
    assert row.cache_write_ratio == 1 and row.break_even_hit_rate == 0
    assert cache.detail == (
        "hit rate 60%; cache writes are billed at the plain input price (no write premium), "
        "so every hit saves"
    )
