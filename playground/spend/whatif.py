"""What-if: re-price recorded calls at today's prices, or as if they had run on another model."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from playground.history.records import CallRecord, CallStatus
from playground.llm.endpoints import Endpoint
from playground.llm.errors import PlaygroundError
from playground.llm.usage import Usage
from playground.pricing.money import Money
from playground.pricing.prices import Pricer

MAX_CALLS = 20_000  # ~0.4 ms of genai-prices per call: a few seconds at most, off the GUI thread


@dataclass(frozen=True)
class WhatIf:
    calls: int
    recorded: Decimal  # what the calls priced both ways cost when they ran
    repriced: Decimal  # the same calls now (or on the target model)
    unpriced: int  # calls left out: no recorded price, or no price now
    target: str | None

    @property
    def recorded_total(self) -> Money:
        """All the calls as recorded: the compared ones' sum, the left-out ones unknown."""
        return Money(self.recorded, self.unpriced)

    @property
    def repriced_total(self) -> Money:
        return Money(self.repriced, self.unpriced)

    def describe(self) -> str:
        where = f"on {self.target}" if self.target else "at today's prices"
        skipped = f" ({self.unpriced} calls without a price left out)" if self.unpriced else ""
        from playground.formatting import usd

        change = ""
        if self.recorded:
            change = f", {float((self.repriced - self.recorded) / self.recorded):+.0%}"
        if self.calls == self.unpriced:
            return f"Nothing to compare: {self.unpriced:,} calls without a price both ways left out."
        return (
            f"{self.calls - self.unpriced:,} calls cost {usd(self.recorded)} as recorded; {where} they would "
            f"cost {usd(self.repriced)}{change}{skipped}."
        )


def reprice(
    rows: Iterable[CallRecord],
    pricer: Pricer,
    endpoint_of: Callable[[str], Endpoint],
    target: tuple[str, str] | None = None,
) -> WhatIf:
    """Price each call's recorded token counts again; only calls priced both ways are compared."""
    calls = 0
    recorded: list[Money] = []
    repriced: list[Money] = []
    endpoints: dict[str, Endpoint | None] = {}

    def endpoint(name: str) -> Endpoint | None:
        if name not in endpoints:
            try:
                endpoints[name] = endpoint_of(name)
            except PlaygroundError:
                endpoints[name] = None
        return endpoints[name]

    for row in rows:
        calls += 1
        if row.cost_usd is None or row.status == CallStatus.RUNNING:
            recorded.append(Money.of(None))
            repriced.append(Money.of(None))
            continue
        usage = Usage(
            row.input_tokens or 0,
            row.output_tokens or 0,
            row.cache_read_tokens or 0,
            row.cache_write_tokens or 0,
            cache_write_1h_tokens=row.cache_write_1h_tokens or 0,
        )
        name, model = target or (row.endpoint, row.model)
        where = endpoint(name)
        cost = pricer.price(where, model, usage) if where else None
        if cost is None or cost.total is None:
            recorded.append(Money.of(None))
            repriced.append(Money.of(None))
            continue
        recorded.append(Money.of(row.cost_usd))
        repriced.append(Money.of(cost.total))
    label = f"{target[0]} / {target[1]}" if target else None
    was, now = Money.sum(recorded), Money.sum(repriced)
    return WhatIf(calls, was.priced, now.priced, was.unpriced, label)
