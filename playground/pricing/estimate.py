"""Before a call: its input tokens, input cost and worst case at max tokens, and the context it uses."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from playground.llm.caching import PARAM as CACHE
from playground.llm.endpoints import Endpoint
from playground.llm.params import MAX_TOKENS
from playground.llm.request import Request
from playground.llm.usage import Usage
from playground.pricing.cache_checks import cache_warnings
from playground.pricing.prices import Cost, ModelFacts, Pricer
from playground.tokens.counter import TokenCount, TokenCounter, count_request


@dataclass(frozen=True)
class Estimate:
    input: TokenCount
    input_cost: Cost
    worst_cost: Cost  # input plus max_tokens of output
    max_tokens: int
    context_window: int | None
    cache_warnings: tuple[str, ...] = ()  # breakpoints that will not cache (playground.pricing.cache_checks)

    @property
    def context_share(self) -> float | None:
        """How much of the context window the prompt and max_tokens take (may exceed 1)."""
        if not self.context_window:
            return None
        return self.input.tokens / self.context_window

    @property
    def too_long(self) -> bool:
        if not self.context_window:
            return False
        return self.input.tokens > self.context_window


@dataclass(frozen=True)
class Rates:
    """Per-token prices for live running costs while streaming (base tier; the final price is exact)."""

    input: Decimal | None
    output: Decimal | None

    @classmethod
    def of(cls, facts: ModelFacts | None) -> Rates:
        if facts is None:
            return cls(None, None)
        per = Decimal(1_000_000)
        return cls(
            facts.input_mtok / per if facts.input_mtok is not None else None,
            facts.output_mtok / per if facts.output_mtok is not None else None,
        )

    def cost(self, input_tokens: int, output_tokens: int) -> Decimal | None:
        if self.input is None or self.output is None:
            return None
        return self.input * input_tokens + self.output * output_tokens


def estimate(request: Request, endpoint: Endpoint, counter: TokenCounter, pricer: Pricer) -> Estimate:
    count = count_request(counter, request, endpoint.api)
    max_tokens = int(request.params.get("max_tokens") or MAX_TOKENS.default)
    input_usage = Usage(input_tokens=count.tokens, input_estimated=count.estimated)
    worst_usage = Usage(
        input_tokens=count.tokens,
        output_tokens=max_tokens,
        input_estimated=count.estimated,
        output_estimated=True,
    )
    facts = pricer.facts(endpoint, request.model)
    return Estimate(
        count,
        pricer.price(endpoint, request.model, input_usage),
        pricer.price(endpoint, request.model, worst_usage),
        max_tokens,
        facts.context_window if facts else None,
        cache_warnings(request, endpoint.api, counter) if request.params.get(CACHE) else (),
    )
