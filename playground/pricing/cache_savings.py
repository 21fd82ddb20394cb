"""What prompt caching saved or cost on a call: its price against the same usage without caching.

Without caching every cached read and write token would have been a plain input token, so the baseline
is the same usage with the cache counts set to zero (``Usage.input_tokens`` already holds them). Reads
are cheaper than input (a saving); writes dearer (Anthropic: 1.25x for five minutes, 2x for an hour),
so a call that only writes costs extra. Unpriced models give unknown, never $0.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from playground.llm.usage import Usage
from playground.pricing.money import Money

if TYPE_CHECKING:
    from playground.llm.endpoints import Endpoint
    from playground.pricing.prices import Cost, Pricer


@dataclass(frozen=True)
class CacheSavings:
    """``saved``: the uncached price minus the price paid (negative: caching cost extra); None unknown."""

    saved: Decimal | None
    paid: Decimal | None
    uncached: Decimal | None

    @property
    def known(self) -> bool:
        return self.saved is not None

    def words(self) -> str:
        """'saved $x', 'cost $x extra', 'no effect' or 'unknown' (the figure for a call's detail)."""
        from playground.formatting import usd

        if self.saved is None:
            return "unknown (no price for this model)"
        if self.saved > 0:
            return f"saved {usd(self.saved)}"
        if self.saved < 0:
            return f"cost {usd(-self.saved)} extra"
        return "no effect"


def uncached(usage: Usage) -> Usage:
    """The same call as if nothing had been cached: every cached token a plain input token."""
    return replace(usage, cache_read_tokens=0, cache_write_tokens=0, cache_write_1h_tokens=0)


def uses_cache(usage: Usage) -> bool:
    return bool(usage.cache_read_tokens or usage.cache_write_tokens)


def compare(paid: Cost, without: Cost) -> CacheSavings:
    """Savings from the two prices of one call."""
    if paid.total is None or without.total is None:
        return CacheSavings(None, paid.total, without.total)
    return CacheSavings(without.total - paid.total, paid.total, without.total)


def savings(
    pricer: Pricer, endpoint: Endpoint, model: str, usage: Usage, when: datetime | None = None
) -> CacheSavings:
    """Priced twice with the same prices (overrides, tiers and date included)."""
    return compare(
        pricer.price(endpoint, model, usage, when), pricer.price(endpoint, model, uncached(usage), when)
    )


def total(items: list[CacheSavings]) -> Money:
    """The savings of many calls; unknown ones are counted apart, never as $0."""
    return Money.of_costs(s.saved for s in items)
