from decimal import Decimal

import genai_prices
import pytest

from playground.llm.endpoints import BUILTIN, Endpoint
from playground.llm.usage import Usage
from playground.pricing.prices import PriceOverride, Pricer

OPENAI, ANTHROPIC = BUILTIN


@pytest.mark.parametrize(
    ("endpoint", "model", "usage"),
    [
        (OPENAI, "gpt-4o", Usage(1000, 500, cache_read_tokens=200)),
        (OPENAI, "gpt-4o-mini", Usage(123_456, 7_890)),
        (ANTHROPIC, "claude-sonnet-4-6", Usage(5000, 800, cache_read_tokens=1000, cache_write_tokens=500)),
        (ANTHROPIC, "claude-sonnet-4-5", Usage(300_000, 1000)),  # long-context tier
    ],
)
def test_prices_match_genai_prices_called_directly(endpoint, model, usage):
    cost = Pricer().price(endpoint, model, usage)
    expected = genai_prices.calc_price(
        genai_prices.Usage(
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            cache_read_tokens=usage.cache_read_tokens,
            cache_write_tokens=usage.cache_write_tokens,
        ),
        model,
        provider_id=endpoint.price_as,
    )
    assert cost.total == expected.total_price
    assert cost.input == expected.input_price and cost.output == expected.output_price
    assert isinstance(cost.total, Decimal)
    assert f"{endpoint.price_as}/" in cost.source


def test_long_context_tier_costs_more_per_token():
    pricer = Pricer()
    short = pricer.price(ANTHROPIC, "claude-sonnet-4-5", Usage(100_000, 0)).total
    long = pricer.price(ANTHROPIC, "claude-sonnet-4-5", Usage(300_000, 0)).total
    assert long / 300_000 > short / 100_000


def test_unknown_model_stays_unknown_never_zero():
    cost = Pricer().price(OPENAI, "no-such-model-xyz", Usage(1000, 1000))
    assert cost.total is None and not cost.known
    assert "unknown" in cost.source


@pytest.mark.parametrize("model", ["tts-1", "gpt-live-1", "whisper-1"])
def test_a_model_priced_per_character_or_audio_hour_is_unknown_not_free(model):
    """genai-prices knows these, in units our token counts cannot fill: $0 would be a wrong figure."""
    raw = genai_prices.Usage(input_tokens=1000, output_tokens=1000)
    assert genai_prices.calc_price(raw, model, provider_id="openai").total_price == 0
    cost = Pricer().price(OPENAI, model, Usage(1000, 1000))
    assert cost.total is None and not cost.known


def test_a_model_listed_with_no_price_is_free():
    cost = Pricer().price(OPENAI, "omni-moderation-latest", Usage(1000, 0))
    assert cost.known and cost.total == 0


def test_local_server_is_unknown_until_the_user_says_free():
    local = Endpoint("ollama", "openai", "http://localhost:11434/v1")
    overrides: list[PriceOverride] = []
    pricer = Pricer(lambda: overrides)
    assert pricer.price(local, "llama3.2", Usage(10, 10)).total is None
    overrides.append(PriceOverride("ollama", "*", Decimal(0), Decimal(0)))
    cost = pricer.price(local, "llama3.2", Usage(10, 10))
    assert cost.total == 0 and "free" in cost.source


def test_override_for_one_model_wins_over_the_wildcard_and_prices_cache():
    local = Endpoint("vllm", "openai", "http://127.0.0.1:8000/v1")
    overrides = [
        PriceOverride("vllm", "*", Decimal(0), Decimal(0)),
        PriceOverride("vllm", "big", Decimal("2"), Decimal("8"), cache_read_mtok=Decimal("0.5")),
    ]
    cost = Pricer(lambda: overrides).price(local, "big", Usage(1_000_000, 500_000, cache_read_tokens=400_000))
    assert cost.input == Decimal("1.2") + Decimal("0.2")
    assert cost.output == Decimal("4")


def test_hosted_compatible_servers_are_priced_by_their_url():
    groq = Endpoint("groq", "openai", "https://api.groq.com/openai/v1", "groq")
    cost = Pricer().price(groq, "llama-3.3-70b-versatile", Usage(1000, 1000))
    assert cost.known and "groq/" in cost.source


def test_estimated_usage_gives_an_estimated_cost():
    assert Pricer().price(OPENAI, "gpt-4o", Usage(10, 10, output_estimated=True)).estimated


def test_facts_give_prices_per_million_and_context_window():
    facts = Pricer().facts(ANTHROPIC, "claude-sonnet-4-6")
    assert facts.input_mtok == Decimal("3") and facts.output_mtok == Decimal("15")
    assert facts.context_window and facts.context_window >= 200_000
