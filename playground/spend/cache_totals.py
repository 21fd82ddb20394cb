"""Prompt caching over many calls: cached tokens and what caching saved, for History's filters and
Spend's range; and one recorded call's savings for its detail.

The rollups keep no cache writes and no uncached price, so this reads the calls that used the cache
(``Filters.uses_cache``) grouped by model and token counts, and prices each group twice: as used and
as if nothing had been cached (playground.pricing.cache_savings). Groups are priced at today's prices
(a group spans days); one call is priced at its own date, like its recorded cost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from playground.history.filters import Filters
from playground.llm.errors import PlaygroundError
from playground.llm.usage import Usage
from playground.pricing.cache_savings import CacheSavings, savings
from playground.pricing.money import Money

if TYPE_CHECKING:
    from playground.history.calls import HistoryStore, UsageGroup
    from playground.history.records import CallRecord
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
    calls = "call" if saved.unpriced == 1 else "calls"
    unpriced = f" · {saved.unpriced} {calls} unpriced" if saved.unpriced else ""
    return f"{word} {usd(abs(saved.priced))}{unpriced}"


def usage_of_group(group: UsageGroup) -> Usage:
    return Usage(
        input_tokens=group.input_tokens,
        output_tokens=group.output_tokens,
        cache_read_tokens=group.cache_read_tokens,
        cache_write_tokens=group.cache_write_tokens,
        cache_write_1h_tokens=group.cache_write_1h_tokens,
    )


def usage_of_row(row: CallRecord) -> Usage:
    return replace(
        Usage(row.input_tokens or 0, row.output_tokens or 0),
        cache_read_tokens=row.cache_read_tokens or 0,
        cache_write_tokens=row.cache_write_tokens or 0,
        cache_write_1h_tokens=row.cache_write_1h_tokens or 0,
    )


def add_up(groups: Iterable[UsageGroup], pricer: Pricer, endpoint_of: EndpointOf) -> CacheTotals:
    """Totals of ``groups`` (each priced once for all its calls)."""
    endpoints: dict[str, Endpoint | None] = {}
    calls = read = write = 0
    saved = Money()
    for group in groups:
        if not (group.cache_read_tokens or group.cache_write_tokens):
            continue
        calls += group.calls
        read += group.cache_read_tokens * group.calls
        write += group.cache_write_tokens * group.calls
        endpoint = _endpoint(endpoints, endpoint_of, group.endpoint)
        if endpoint is None:
            saved += Money(unpriced=group.calls)
            continue
        one = savings(pricer, endpoint, group.model, usage_of_group(group))
        saved += Money.of(one.saved) * group.calls
    return CacheTotals(calls, read, write, saved)


def totals(store: HistoryStore, filters: Filters, pricer: Pricer, endpoint_of: EndpointOf) -> CacheTotals:
    """The cache totals of every call ``filters`` show (run on a background thread)."""
    return add_up(store.usage_groups(replace(filters, uses_cache=True)), pricer, endpoint_of)


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
