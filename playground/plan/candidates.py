"""Which models a plan prices: the ones named, or every chat model of the built-in endpoints."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from playground.llm.catalog import ModelKind, kind_of, known_models
from playground.llm.endpoints import Endpoint
from playground.plan.planner import Candidate
from playground.pricing.prices import Pricer


def named(names: Sequence[str], endpoint_of: Callable[[str], Endpoint]) -> list[Candidate]:
    """``endpoint/model`` or a bare model (anthropic for claude-*, else openai, as `playground cost`)."""
    found = []
    for name in names:
        endpoint, sep, model = name.partition("/")
        if not sep:
            endpoint, model = ("anthropic" if name.lower().startswith("claude") else "openai"), name
        found.append(Candidate(endpoint_of(endpoint), model))
    return found


def all_chat(endpoints: Iterable[Endpoint], pricer: Pricer) -> list[Candidate]:
    """Every current chat model genai-prices lists for these endpoints and prices per token."""
    found = []
    for endpoint in endpoints:
        for model in known_models(endpoint):
            if kind_of(model) is not ModelKind.CHAT:
                continue
            facts = pricer.facts(endpoint, model)
            if facts is not None and facts.input_mtok is not None and facts.output_mtok is not None:
                found.append(Candidate(endpoint, model))
    return found
