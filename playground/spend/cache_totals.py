"""Prompt caching over many calls: cached tokens and what caching saved, for History's filters and
Spend's range; and one recorded call's savings for its detail.

The rollups keep no cache writes and no uncached price, so this reads the calls that used the cache
(``Filters.uses_cache``). Savings depend only on the cached tokens and the price tier (the plain input
and the output cost the same either way), and within a tier they are linear in the cached tokens. So
the calls are summed per model and tier in SQL, and each sum is priced at that tier's per-token saving:
a million calls cost a few prices (pricing each call took minutes and starved the GUI thread of the
GIL). Sums are priced at today's prices (they span days); one call is priced at its own date, like
its recorded cost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from playground.history.filters import Filters
from playground.llm.errors import PlaygroundError
from playground.llm.usage import Usage
from playground.pricing.cache_savings import CacheSavings, savings
from playground.pricing.money import Money

if TYPE_CHECKING:
    from playground.history.calls import HistoryStore
    from playground.history.records import CallRecord
    from playground.history.usage_sums import CacheGroup, TierStarts
    from playground.llm.endpoints import Endpoint
    from playground.pricing.prices import Pricer

EndpointOf = Callable[[str], "Endpoint"]


@dataclass(frozen=True)
class CacheTotals:
    """Calls that read or wrote the cache, their cached tokens, and the savings (negative: extra cost;
    calls we cannot price are counted apart in ``saved.unpriced``)."""

    calls: int = 0
    read_tokens: int = 0
    write_tokens: int = 0
    saved: Money = field(default_factory=Money)

    def text(self) -> str:
        """'12 calls used the cache · 30,000 read · 9,000 written · saved $0.0123 (today's prices)'."""
        if not self.calls:
            return "no calls used the prompt cache"
        calls = "call" if self.calls == 1 else "calls"
        tokens = f"{self.read_tokens:,} read · {self.write_tokens:,} written"
        return f"{self.calls:,} {calls} used the cache · {tokens} · {saved_text(self.saved)}"


def saved_text(saved: Money) -> str:
    """'saved $x', 'cost $x extra', with 'at least'/unpriced marks from Money; unknown if none priced."""
    from playground.formatting import usd

    if saved.unpriced and not saved.priced:
        return "savings unknown (no price)"
    word = "saved" if saved.priced >= 0 else "cost extra"
    # "N calls unpriced" beside a cost column showing those calls at $0 (a model priced free)
    # read as a contradiction: it is their cache savings that have no price.
    calls = "1 call" if saved.unpriced == 1 else f"{saved.unpriced:,} calls"
    unpriced = f" · savings of {calls} unknown (no cache price)" if saved.unpriced else ""
    return f"{word} {usd(abs(saved.priced))}{unpriced}"


def usage_of_row(row: CallRecord) -> Usage:
    return replace(
        Usage(row.input_tokens or 0, row.output_tokens or 0),
        cache_read_tokens=row.cache_read_tokens or 0,
        cache_write_tokens=row.cache_write_tokens or 0,
        cache_write_1h_tokens=row.cache_write_1h_tokens or 0,
    )


@dataclass(frozen=True)
class _Rates:
    """What one cached token saves in one tier: read, written (5 minutes), and written for an hour on
    top of a 5-minute write (None: the model has no price)."""

    read: Decimal | None
    write: Decimal | None
    write_1h: Decimal | None


def tier_rates(pricer: Pricer, endpoint: Endpoint, model: str, tier: int, starts: Sequence[int]) -> _Rates:
    """Each saving priced once, on a probe call whose input lies in ``tier`` (linear there)."""
    size = (starts[tier - 1] if tier else 0) + 2  # just over the tier's start, room for one cached token

    def saved(read: int = 0, write: int = 0, hour: int = 0) -> Decimal | None:
        probe = Usage(size, 0, cache_read_tokens=read, cache_write_tokens=write, cache_write_1h_tokens=hour)
        return savings(pricer, endpoint, model, probe).saved

    write = saved(write=1)
    both = saved(write=1, hour=1)
    return _Rates(saved(read=1), write, None if both is None or write is None else both - write)


def add_up(
    groups: Iterable[CacheGroup],
    pricer: Pricer,
    endpoints: dict[str, Endpoint | None],
    endpoint_of: EndpointOf,
    starts: TierStarts,
) -> CacheTotals:
    """Totals of ``groups`` (each priced once for all its calls, at its tier's rates); ``endpoints``
    caches ``endpoint_of``'s answers (None: the endpoint is gone)."""
    rates: dict[tuple[str, str, int], _Rates] = {}
    calls = read = write = 0
    saved = Money()
    for group in groups:
        calls += group.calls
        read += group.read_tokens
        write += group.write_tokens
        endpoint = _endpoint(endpoints, endpoint_of, group.endpoint)
        if endpoint is None:
            saved += Money(unpriced=group.calls)
            continue
        key = (group.endpoint, group.model, group.tier)
        if key not in rates:
            rates[key] = tier_rates(pricer, endpoint, group.model, group.tier, starts.get(key[:2], ()))
        r = rates[key]
        if r.read is None or r.write is None or r.write_1h is None:
            saved += Money(unpriced=group.calls)
            continue
        saved += Money.of(
            group.read_tokens * r.read + group.write_tokens * r.write + group.write_1h_tokens * r.write_1h
        )
    return CacheTotals(calls, read, write, saved)


def totals(store: HistoryStore, filters: Filters, pricer: Pricer, endpoint_of: EndpointOf) -> CacheTotals:
    """The cache totals of every call ``filters`` show (run on a background thread): one scan of the
    calls, two when a model with price tiers used the cache (its calls are then split by tier)."""
    groups = store.cache_groups(filters, {})
    endpoints: dict[str, Endpoint | None] = {}
    starts: dict[tuple[str, str], tuple[int, ...]] = {}
    for group in groups:
        endpoint = _endpoint(endpoints, endpoint_of, group.endpoint)
        points = () if endpoint is None else pricer.tier_starts(endpoint, group.model)
        if points:
            starts[(group.endpoint, group.model)] = points
    if starts:
        groups = store.cache_groups(filters, starts)
    return add_up(groups, pricer, endpoints, endpoint_of, starts)


def call_savings(row: CallRecord, pricer: Pricer, endpoint_of: EndpointOf) -> CacheSavings:
    """One recorded call's savings, priced at its own date (unknown if its endpoint is gone)."""
    try:
        endpoint = endpoint_of(row.endpoint)
    except PlaygroundError:
        return CacheSavings(None, row.cost_usd, None)
    return savings(pricer, endpoint, row.model, usage_of_row(row), row.started_at)


def _endpoint(cache: dict[str, Endpoint | None], endpoint_of: EndpointOf, name: str) -> Endpoint | None:
    if name not in cache:
        try:
            cache[name] = endpoint_of(name)
        except PlaygroundError:
            cache[name] = None
    return cache[name]
