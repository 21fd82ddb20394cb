"""Batch API discounts: genai-prices does not model them, so they are settings with their source."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class BatchDiscount:
    """The share taken off a request sent through the provider's batch API, and where it is stated."""

    rate: Decimal  # 0.5 = half price
    source: str


DEFAULT_BATCH_DISCOUNTS: Mapping[str, BatchDiscount] = {
    "openai": BatchDiscount(
        Decimal("0.5"),
        "OpenAI Batch API: 50% lower costs than the synchronous APIs "
        "(https://platform.openai.com/docs/guides/batch)",
    ),
    "anthropic": BatchDiscount(
        Decimal("0.5"),
        "Anthropic Message Batches API: 50% of the standard API prices "
        "(https://docs.anthropic.com/en/docs/build-with-claude/batch-processing#pricing)",
    ),
}


def with_rate(discounts: Mapping[str, BatchDiscount], rate: Decimal) -> dict[str, BatchDiscount]:
    """Every provider's discount set to ``rate`` by the user (the source then says so)."""
    if not 0 <= rate <= 1:
        raise ValueError(f"a batch discount is between 0 and 1, not {rate}")
    return {
        p: BatchDiscount(rate, f"set by you ({rate:%}); documented: {d.source}") for p, d in discounts.items()
    }
