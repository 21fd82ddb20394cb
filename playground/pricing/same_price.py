"""Each model price once in a list of models to price on (What if…, Plan's every chat model).

An endpoint priced as a provider ("local", an OpenAI-compatible server priced as "openai") lists every
model of that provider at that provider's prices, so "local / gpt-4o-mini" repeated "openai /
gpt-4o-mini" figure for figure: two lines that look the same and answer the same."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from playground.llm.endpoints import Endpoint
from playground.pricing.prices import ModelFacts, Pricer

OVERRIDE = "override"  # the source Pricer.facts gives a price set in Settings ▸ Prices


@dataclass(frozen=True)
class PricedModel:
    """A model on an endpoint, with its prices per million tokens (both known)."""

    endpoint: Endpoint
    model: str
    input_mtok: Decimal
    output_mtok: Decimal
    facts: ModelFacts

    @property
    def key(self) -> tuple[str, str]:
        return (self.endpoint.name, self.model)

    @property
    def same_price(self) -> Hashable:
        """Equal for two entries priced from one genai-prices entry (its source names it). A price
        override is its endpoint's own: never the same as another endpoint's."""
        if self.facts.source == OVERRIDE:
            return (self.endpoint.name, self.model)
        return (self.model, self.facts)


def priced_once(
    models: Iterable[tuple[Endpoint, str]], pricer: Pricer, keep: tuple[str, str] | None = None
) -> list[PricedModel]:
    """The ``models`` priced per token, each price once, in the order first seen. Of entries with the
    same price the one kept is ``keep`` (endpoint, model: the one in use) when among them, else the
    provider's own (a built-in endpoint), else the first."""
    chosen: dict[Hashable, PricedModel] = {}
    for endpoint, model in models:
        facts = pricer.facts(endpoint, model)
        if facts is None or facts.input_mtok is None or facts.output_mtok is None:
            continue
        entry = PricedModel(endpoint, model, facts.input_mtok, facts.output_mtok, facts)
        held = chosen.get(entry.same_price)
        if held is None or _rather(entry, held, keep):
            chosen[entry.same_price] = entry  # a replaced value keeps its place
    return list(chosen.values())


def _rather(entry: PricedModel, held: PricedModel, keep: tuple[str, str] | None) -> bool:
    if held.key == keep:
        return False
    return entry.key == keep or (entry.endpoint.builtin and not held.endpoint.builtin)
