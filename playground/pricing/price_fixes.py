"""Corrections to genai-prices data we know to be wrong, each with its source, until upstream fixes it.

A fix applies only while the data still lacks it: once genai-prices carries tiers for the model, its own
prices are used again.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class LongContextFix:
    """Prices per million tokens for a request whose input is over ``threshold`` tokens (all tokens)."""

    provider: str
    model: str  # genai-prices' model id
    threshold: int
    rates: dict[str, Decimal]  # genai-prices price key → the long-context rate
    source: str


FIXES = (
    # genai-prices 0.2.3 prices claude-sonnet-4-0 at $3/$15 at any length, without the long-context tier.
    LongContextFix(
        "anthropic",
        "claude-sonnet-4-0",
        200_000,
        {
            "input_mtok": Decimal("6"),
            "output_mtok": Decimal("22.50"),
            "cache_read_mtok": Decimal("0.60"),  # 0.1 x input, as every cache multiplier applies on top
            "cache_write_mtok": Decimal("7.50"),  # 1.25 x input (5-minute writes)
            "cache_write_1h_mtok": Decimal("12"),  # 2 x input (one-hour writes)
        },
        "Anthropic pricing, long context: Claude Sonnet 4 input > 200K tokens $6/MTok, output $22.50/MTok "
        "(https://docs.anthropic.com/en/docs/about-claude/pricing#long-context-pricing)",
    ),
)


def thresholds(provider_id: str, model_id: str) -> tuple[int, ...]:
    """The input sizes where a fix starts a tier for this genai-prices model."""
    return tuple(f.threshold for f in FIXES if (f.provider, f.model) == (provider_id, model_id))


def long_context(provider_id: str, model_id: str, model_price: Any, usage: Any) -> tuple[Any, str] | None:
    """genai-prices' price of ``usage`` with our long-context tiers added (and the fix's source), or None."""
    from genai_prices.types import ModelPrice, Tier, TieredPrices

    for fix in FIXES:
        if (fix.provider, fix.model) != (provider_id, model_id) or usage.input_tokens <= fix.threshold:
            continue
        if any(isinstance(v, TieredPrices) for v in vars(model_price).values()):
            return None  # upstream has tiers now: trust them
        prices = dict(vars(model_price))
        for key, rate in fix.rates.items():
            base = prices.get(key)
            if base is not None:
                prices[key] = TieredPrices(base=base, tiers=[Tier(start=fix.threshold, price=rate)])
        return ModelPrice(**prices).calc_price(usage), fix.source
    return None
