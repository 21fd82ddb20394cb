"""How a plan's monthly bill moves with the request rate and the cache hit rate, for its top models.

Every point is a whole plan from the same planner (not a line drawn through two figures), so a
long-context tier, a cache write premium or a batch discount bends the curve as it bends the bill.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from playground.plan.discounts import DEFAULT_BATCH_DISCOUNTS, BatchDiscount
from playground.plan.planner import Candidate, Plan, plan
from playground.pricing.prices import Pricer

TOP = 5
HIT_STEPS = 20  # 0 %, 5 %, ... 100 %
DECADES = 2  # requests per day from 1/100 to 100 times the workload's own
PER_DECADE = 4


@dataclass(frozen=True)
class Series:
    """One model's monthly cost (USD; None where unpriced) at each x."""

    model: str
    xs: tuple[Decimal, ...]
    ys: tuple[Decimal | None, ...]

    def at(self, x: Decimal) -> Decimal | None:
        return self.ys[self.xs.index(x)]


@dataclass(frozen=True)
class Sensitivity:
    by_rate: tuple[Series, ...]  # x: requests per day (log scale)
    by_hit_rate: tuple[Series, ...]  # x: cache hit rate, 0 to 1
    rate: Decimal  # the workload's own requests per day (one of the by_rate xs)
    hit_rate: Decimal  # the workload's own hit rate (one of the by_hit_rate xs)


def rate_points(own: Decimal) -> tuple[Decimal, ...]:
    """Log-spaced rates around ``own`` (which is always one of them); 1 to 1,000,000 when it is 0."""
    if own <= 0:
        return tuple(Decimal(10) ** e for e in range(7))
    steps = range(-DECADES * PER_DECADE, DECADES * PER_DECADE + 1)
    found = {own} | {_round(own * Decimal(10) ** (Decimal(k) / PER_DECADE)) for k in steps if k}
    return tuple(sorted(found))


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1)) if value >= 10 else round(value, 2)


def hit_points(own: Decimal) -> tuple[Decimal, ...]:
    return tuple(sorted({own} | {Decimal(k) / HIT_STEPS for k in range(HIT_STEPS + 1)}))


def sensitivity(
    base: Plan,
    pricer: Pricer,
    batch_discounts: Mapping[str, BatchDiscount] = DEFAULT_BATCH_DISCOUNTS,
    top: int = TOP,
) -> Sensitivity:
    """The ``top`` cheapest priced models of ``base``, re-planned at other rates and hit rates."""
    chosen = [r.candidate for r in base.rows if r.total is not None][:top]
    w = base.workload
    rates = rate_points(w.requests_per_day)
    hits = hit_points(w.cache_hit_rate)
    by_rate = _series(
        chosen, rates, [plan(replace(w, requests_per_day=x), chosen, pricer, batch_discounts) for x in rates]
    )
    by_hit = _series(
        chosen, hits, [plan(replace(w, cache_hit_rate=x), chosen, pricer, batch_discounts) for x in hits]
    )
    return Sensitivity(by_rate, by_hit, w.requests_per_day, w.cache_hit_rate)


def _series(
    chosen: Sequence[Candidate], xs: tuple[Decimal, ...], plans: Sequence[Plan]
) -> tuple[Series, ...]:
    found = []
    for candidate in chosen:
        ys = []
        for p in plans:
            row = next((r for r in p.rows if r.candidate == candidate), None)
            ys.append(row.total if row is not None else None)
        found.append(Series(candidate.label, xs, tuple(ys)))
    return tuple(found)
