"""Calls summed for pricing many at once: by equal token counts (what-if), or by model and price tier
(prompt-cache savings), so a million calls cost a few prices, not a million.

Both read on the calling thread's reader connection (iterate on that thread)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from sqlite_utils import Database

from playground.history.filters import Filters
from playground.history.records import CallRecord, CallStatus
from playground.history.rollups import from_pico

# (endpoint, model) -> the input-token counts above which the model's price per token changes
TierStarts = Mapping[tuple[str, str], Sequence[int]]


@dataclass(frozen=True)
class UsageGroup:
    """Calls of one model with the same token counts: what a what-if prices once for all of them.
    ``recorded`` is their summed recorded cost; None when they cannot be compared (no recorded price,
    or still running)."""

    endpoint: str
    model: str
    input_tokens: int
    output_tokens: int
    cache_read_tokens: int
    cache_write_tokens: int
    cache_write_1h_tokens: int
    calls: int
    recorded: Decimal | None

    @classmethod
    def of(cls, row: CallRecord) -> UsageGroup:
        comparable = row.cost_usd is not None and row.status != CallStatus.RUNNING
        return cls(
            row.endpoint,
            row.model,
            row.input_tokens or 0,
            row.output_tokens or 0,
            row.cache_read_tokens or 0,
            row.cache_write_tokens or 0,
            row.cache_write_1h_tokens or 0,
            1,
            row.cost_usd if comparable else None,
        )


@dataclass(frozen=True)
class CacheGroup:
    """Calls of one model in one price tier that read or wrote the prompt cache, with their summed
    cache tokens (``tier``: how many of the model's tier starts their input is over; ``write_1h_tokens``
    the part of the writes kept for an hour)."""

    endpoint: str
    model: str
    tier: int
    calls: int
    read_tokens: int
    write_tokens: int
    write_1h_tokens: int


def usage_groups(db: Database, filters: Filters) -> Iterator[UsageGroup]:
    """The calls ``filters`` show, grouped by model and token counts, read as they are iterated."""
    where, args = filters.where()
    sql = (
        "select endpoint, model, coalesce(input_tokens, 0), coalesce(output_tokens, 0), "
        "coalesce(cache_read_tokens, 0), coalesce(cache_write_tokens, 0), "
        "coalesce(cache_write_1h_tokens, 0), (cost_pusd is null or status = 'running') as left_out, "
        f"count(*), sum(cost_pusd) from calls {where} group by 1, 2, 3, 4, 5, 6, 7, 8"
    )
    for e, m, tin, tout, cr, cw, cw1h, left_out, calls, pusd in db.execute(sql, args):
        yield UsageGroup(e, m, tin, tout, cr, cw, cw1h, calls, None if left_out else from_pico(pusd))


def cache_groups(db: Database, filters: Filters, starts: TierStarts) -> list[CacheGroup]:
    """The calls ``filters`` show that used the cache, summed per endpoint, model and price tier; models
    missing from ``starts`` are counted as one tier."""
    sql, args = cache_groups_query(filters, starts)
    return [CacheGroup(*row) for row in db.execute(sql, args)]


def cache_groups_query(filters: Filters, starts: TierStarts) -> tuple[str, list[Any]]:
    """The SQL of ``cache_groups`` (it reads m018's partial index, not every call)."""
    where, args = replace(filters, uses_cache=True).where()
    tier, tier_args = _tier_expression(starts)
    group = "1, 2, 3" if tier_args else "1, 2"  # by 1, 2 walks the index in order (no sort)
    sql = (
        f"select endpoint, model, {tier}, count(*), sum(coalesce(cache_read_tokens, 0)),"
        " sum(coalesce(cache_write_tokens, 0)),"
        # each call's one-hour writes are part of its writes (pricing clamps them per call, so here too)
        " sum(min(coalesce(cache_write_1h_tokens, 0), coalesce(cache_write_tokens, 0)))"
        # named: for a date range SQLite's planner preferred a skip-scan of the endpoint index (0.9 s
        # for a year of a million calls, against 0.12 s here)
        f" from calls indexed by idx_calls_cache {where} group by {group}"
    )
    return sql, [*tier_args, *args]


def _tier_expression(starts: TierStarts) -> tuple[str, list[Any]]:
    """SQL counting the tier starts a call's input is over, per model (0 for flat prices)."""
    cases: list[str] = []
    args: list[Any] = []
    for (endpoint, model), points in starts.items():
        if points:
            over = " + ".join(f"(coalesce(input_tokens, 0) > {int(p)})" for p in points)
            cases.append(f"when endpoint = ? and model = ? then {over}")
            args += [endpoint, model]
    return (f"case {' '.join(cases)} else 0 end" if cases else "0"), args
