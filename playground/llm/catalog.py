"""Which models an endpoint offers, what kind each is, and how the picker arranges and filters them.

The listing is the server's own, else what genai-prices knows for a built-in endpoint. Kinds come from
name rules (tested one by one): the picker shows chat models unless the user asks for all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from playground import formatting
from playground.llm.endpoints import Endpoint
from playground.pricing.prices import ModelFacts, Pricer

Key = tuple[str, str]  # (endpoint name, model)


class ModelKind(StrEnum):
    """What a model is for; only CHAT models can answer a prompt in the playground."""

    CHAT = "chat"
    EMBEDDING = "embedding"
    IMAGE = "image or video"
    AUDIO = "audio"
    MODERATION = "moderation"
    COMPLETION = "legacy completion"
    RERANK = "rerank"
    TOOL = "agent or tool"  # deep research, computer use, codex, search: not plain chat


# First match wins: "gpt-4o-audio-preview" is audio, "gpt-4o-mini-transcribe" audio, not chat.
_RULES: tuple[tuple[re.Pattern[str], ModelKind], ...] = tuple(
    (re.compile(pattern, re.I), kind)
    for pattern, kind in (
        (r"embed|^(bge|e5|gte)-", ModelKind.EMBEDDING),
        (r"rerank", ModelKind.RERANK),
        (r"moderation|guard(?!rail)", ModelKind.MODERATION),
        (r"dall-e|image|sora|imagen|stable-diffusion|flux", ModelKind.IMAGE),
        (r"tts|whisper|transcri|audio|realtime|speech|gpt-live", ModelKind.AUDIO),
        # Open models named "-Instruct" are chat models; OpenAI's "-instruct" is completion-only.
        (r"davinci|babbage|curie|^ada(-|$)|^gpt-3\.5-turbo-instruct", ModelKind.COMPLETION),
        (r"^claude-(v1|2|instant)", ModelKind.COMPLETION),
        (r"computer-use|codex|deep-research|search", ModelKind.TOOL),
    )
)

# Price-list variants that are not names an API accepts: fine-tune templates, "extended" tiers.
_NOT_A_NAME = re.compile(r"(^ft:|\.ft-|:extended$)", re.I)


def kind_of(model: str) -> ModelKind:
    for pattern, kind in _RULES:
        if pattern.search(model):
            return kind
    return ModelKind.CHAT


def known_models(endpoint: Endpoint) -> list[str]:
    """Every current model genai-prices lists for the endpoint's provider (offline; built-in endpoints)."""
    provider_id = endpoint.price_as
    if not provider_id:
        return []
    from genai_prices import data_snapshot

    for provider in data_snapshot.get_snapshot().providers:
        if provider.id == provider_id:
            return sorted(m.id for m in provider.models if not m.deprecated and not _NOT_A_NAME.search(m.id))
    return []


@dataclass(frozen=True)
class ModelEntry:
    """One choice in the model picker, with what a user weighs: context window and prices."""

    endpoint: Endpoint
    model: str
    facts: ModelFacts | None = None

    @property
    def key(self) -> Key:
        return (self.endpoint.name, self.model)

    @property
    def kind(self) -> ModelKind:
        return kind_of(self.model)

    @property
    def label(self) -> str:
        return f"{self.endpoint.name} / {self.model}"

    def context_text(self) -> str:
        window = self.facts.context_window if self.facts else None
        return f"{_short(window)} context" if window else ""

    def price_text(self) -> str:
        """Per million tokens, from the pricer the counters use; unknown is said, never $0."""
        f = self.facts
        if f is None:
            return "price unknown"
        if f.input_mtok is None and f.output_mtok is None:
            return "not priced per token"  # per image, audio hour, character…
        if not f.input_mtok and not f.output_mtok:
            return "free"
        parts = [f"{formatting.usd(f.input_mtok)} in" if f.input_mtok is not None else "input price unknown"]
        if f.output_mtok is not None:
            parts.append(f"{formatting.usd(f.output_mtok)} out")
        return " / ".join(parts) + " per 1M"

    def summary(self) -> str:
        return " · ".join(t for t in (self.context_text(), self.price_text()) if t)


def entries_for(endpoint: Endpoint, models: list[str], pricer: Pricer) -> list[ModelEntry]:
    return [ModelEntry(endpoint, m, pricer.facts(endpoint, m)) for m in models]


def per_million(amount: Decimal | None, tokens: int) -> Decimal | None:
    """A cost for ``tokens`` tokens as a price per million (to compare with the pricer's rates)."""
    return None if amount is None else amount * 1_000_000 / tokens


# arranging the picker


@dataclass(frozen=True)
class Group:
    """A heading in the picker and its entries, in order."""

    title: str
    entries: tuple[ModelEntry, ...]


def matches(entry: ModelEntry, query: str) -> bool:
    """Each word of the query is found (any case) in "endpoint / model"."""
    text = entry.label.casefold()
    return all(word in text for word in query.casefold().split())


def arrange(
    entries: Iterable[ModelEntry],
    favourites: Sequence[Key] = (),
    recents: Sequence[Key] = (),
    query: str = "",
    show_all: bool = False,
) -> list[Group]:
    """Favourites, then recent models, then each endpoint's models; empty groups are left out.
    Favourites and recents show whatever their kind (the user chose them), if they are listed."""
    entries = list(entries)
    shown = [e for e in entries if (show_all or e.kind is ModelKind.CHAT) and matches(e, query)]
    by_key = {e.key: e for e in entries}

    def pinned(keys: Sequence[Key]) -> tuple[ModelEntry, ...]:
        found = (by_key.get(k) for k in keys)
        return tuple(e for e in found if e is not None and matches(e, query))

    groups = [Group("★ Favourites", pinned(favourites)), Group("Recent", pinned(recents))]
    endpoints: dict[str, list[ModelEntry]] = {}
    for entry in shown:
        endpoints.setdefault(entry.endpoint.name, []).append(entry)
    groups += [Group(name, tuple(endpoints[name])) for name in sorted(endpoints)]
    return [g for g in groups if g.entries]


def _short(n: int) -> str:
    """128k, 8k (8,192), 1.05M: the exact count is in the row's tooltip."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:.3g}M"
    return f"{round(n / 1000)}k"
