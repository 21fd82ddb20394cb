"""Which models an endpoint offers: the server's own listing, else the chat models genai-prices knows."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playground.llm.endpoints import Endpoint
from playground.pricing.prices import ModelFacts, Pricer

# Not chat models: the playground has nothing to show for these.
_NOT_CHAT = re.compile(
    r"(embed|tts|transcribe|whisper|dall-e|image|audio|realtime|moderation|search|computer-use|davinci|"
    r"babbage|curie|^ada|instruct|ft:|\.ft-|:extended|codex|v1$|^claude-2|-latest$|sora|rerank)",
    re.I,
)


def known_models(endpoint: Endpoint) -> list[str]:
    """Chat models genai-prices lists for the endpoint's provider (offline; for built-in endpoints)."""
    provider_id = endpoint.price_as
    if not provider_id:
        return []
    from genai_prices import data_snapshot

    for provider in data_snapshot.get_snapshot().providers:
        if provider.id == provider_id:
            names = [m.id for m in provider.models if not _NOT_CHAT.search(m.id) and not m.deprecated]
            return sorted(names)
    return []


@dataclass(frozen=True)
class ModelEntry:
    """One choice in the model picker, with what a user weighs: context window and prices."""

    endpoint: Endpoint
    model: str
    facts: ModelFacts | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.endpoint.name, self.model)

    def summary(self) -> str:
        f = self.facts
        if f is None:
            return "price unknown"
        parts = []
        if f.context_window:
            parts.append(f"{_short(f.context_window)} context")
        if f.input_mtok is not None and f.output_mtok is not None:
            if f.input_mtok == 0 and f.output_mtok == 0:
                parts.append("free")
            else:
                parts.append(f"${f.input_mtok:g} in / ${f.output_mtok:g} out per 1M")
        return " · ".join(parts) or "price unknown"


def entries_for(endpoint: Endpoint, models: list[str], pricer: Pricer) -> list[ModelEntry]:
    return [ModelEntry(endpoint, m, pricer.facts(endpoint, m)) for m in models]


def _short(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else f"{n // 1000}k"
