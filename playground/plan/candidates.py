"""Which models a plan prices: the ones named, or every chat model the endpoints are priced for, each
price once."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from playground.llm.catalog import ModelKind, kind_of, known_models
from playground.llm.endpoints import Endpoint
from playground.plan.planner import Candidate
from playground.pricing.prices import Pricer
from playground.pricing.same_price import priced_once


def named(names: Sequence[str], endpoint_of: Callable[[str], Endpoint]) -> list[Candidate]:
    """``endpoint/model`` or a bare model (anthropic for claude-*, else openai, as `playground cost`)."""
    found = []
    for name in names:
        endpoint, sep, model = name.partition("/")
        if not sep:
            endpoint, model = ("anthropic" if name.lower().startswith("claude") else "openai"), name
        found.append(Candidate(endpoint_of(endpoint), model))
    return found


def all_chat(endpoints: Iterable[Endpoint], pricer: Pricer, keep: str | None = None) -> list[Candidate]:
    """Every current chat model genai-prices lists for these endpoints and prices per token, each price
    once: a server priced as OpenAI adds no second row of OpenAI's figures (the row kept is ``keep``,
    the current model's "endpoint/model", when it is one of them; else the provider's own)."""
    chat = ((e, m) for e in endpoints for m in known_models(e) if kind_of(m) is ModelKind.CHAT)
    endpoint, _, model = (keep or "").partition("/")
    found = priced_once(chat, pricer, (endpoint, model) if keep else None)
    return [Candidate(p.endpoint, p.model) for p in found]
