"""Before a comparison runs: its input cost, worst case at max tokens, and typical cost from history."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from playground.compare.columns import Column
from playground.llm.endpoints import Endpoint
from playground.llm.params import MAX_TOKENS
from playground.llm.request import Message
from playground.llm.usage import Usage
from playground.pricing.money import Money
from playground.pricing.prices import Pricer
from playground.tokens.counter import TokenCounter


@dataclass(frozen=True)
class ColumnForecast:
    column: Column
    input_tokens: int
    input_estimated: bool
    input_cost: Decimal | None
    worst_cost: Decimal | None
    typical_cost: Decimal | None  # median of past calls of this model, None with no history
    typical_calls: int


@dataclass(frozen=True)
class Forecast:
    columns: list[ColumnForecast]
    repeats: int

    def money(self, pick: Callable[[ColumnForecast], Decimal | None]) -> Money:
        """The priced columns' sum with the unknown ones counted, times the repeats."""
        return Money.of_costs(pick(c) for c in self.columns) * self.repeats

    def _total(self, pick: Callable[[ColumnForecast], Decimal | None]) -> Decimal | None:
        return self.money(pick).exact  # unknown when any column's price is

    @property
    def input_total(self) -> Decimal | None:
        return self._total(lambda c: c.input_cost)

    @property
    def worst_total(self) -> Decimal | None:
        return self._total(lambda c: c.worst_cost)

    @property
    def typical_total(self) -> Decimal | None:
        return self._total(lambda c: c.typical_cost)

    @property
    def unknown_columns(self) -> list[Column]:
        return [c.column for c in self.columns if c.worst_cost is None]

    def crosses(self, budget: Decimal | None) -> bool:
        """True when the worst case could go over ``budget`` (an unknown price counts as could)."""
        if budget is None:
            return False
        worst = self.worst_total
        return worst is None or worst > budget


def forecast(
    columns: Sequence[Column],
    system: str,
    messages: Sequence[Message],
    shared: dict[str, Any],
    repeats: int,
    endpoint_of: Callable[[str], Endpoint],
    counter: TokenCounter,
    pricer: Pricer,
    typical: Callable[[str, str], tuple[Decimal | None, int]],
) -> Forecast:
    out = []
    for column in columns:
        request = column.request(system, messages, shared)
        endpoint = endpoint_of(column.endpoint)
        count = counter.count_prompt(column.model, system, messages)
        max_tokens = int(request.params.get("max_tokens") or MAX_TOKENS.default)
        inp = pricer.price(endpoint, column.model, Usage(count.tokens, input_estimated=count.estimated))
        worst = pricer.price(endpoint, column.model, Usage(count.tokens, max_tokens, output_estimated=True))
        median, calls = typical(column.endpoint, column.model)
        out.append(
            ColumnForecast(column, count.tokens, count.estimated, inp.total, worst.total, median, calls)
        )
    return Forecast(out, repeats)
