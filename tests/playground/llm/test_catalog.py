"""The picker's catalogue: which names are chat models, how entries are arranged and filtered, and
that each built-in model's listed price is the price the counters charge."""

from __future__ import annotations

from decimal import Decimal

import pytest

from playground import formatting
from playground.llm.catalog import (
    ModelEntry,
    ModelKind,
    arrange,
    entries_for,
    kind_of,
    known_models,
    per_million,
)
from playground.llm.endpoints import BUILTIN, Endpoint
from playground.llm.usage import Usage
from playground.pricing.prices import ModelFacts, Pricer


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("gpt-4o-mini", ModelKind.CHAT),
        ("claude-sonnet-4-5", ModelKind.CHAT),
        ("o3-mini", ModelKind.CHAT),
        ("chatgpt-4o-latest", ModelKind.CHAT),
        ("llama3.1:8b", ModelKind.CHAT),
        ("meta-llama/Llama-3.1-8B-Instruct", ModelKind.CHAT),  # open "Instruct" models chat
        ("text-embedding-3-small", ModelKind.EMBEDDING),
        ("nomic-embed-text", ModelKind.EMBEDDING),
        ("bge-m3", ModelKind.EMBEDDING),
        ("dall-e-3", ModelKind.IMAGE),
        ("gpt-image-1", ModelKind.IMAGE),
        ("sora-2", ModelKind.IMAGE),
        ("tts-1-hd", ModelKind.AUDIO),
        ("whisper-1", ModelKind.AUDIO),
        ("gpt-4o-mini-transcribe", ModelKind.AUDIO),
        ("gpt-4o-realtime-preview", ModelKind.AUDIO),
        ("gpt-4o-audio-preview", ModelKind.AUDIO),
        ("omni-moderation-latest", ModelKind.MODERATION),
        ("Llama-Guard-3-8B", ModelKind.MODERATION),
        ("text-davinci-003", ModelKind.COMPLETION),
        ("babbage-002", ModelKind.COMPLETION),
        ("gpt-3.5-turbo-instruct", ModelKind.COMPLETION),
        ("claude-2", ModelKind.COMPLETION),
        ("rerank-english-v3.0", ModelKind.RERANK),
        ("o3-deep-research", ModelKind.TOOL),
        ("computer-use-preview", ModelKind.TOOL),
    ],
)
def test_name_rules_sort_chat_models_from_the_rest(name, kind):
    assert kind_of(name) is kind


OPENAI = Endpoint("openai", "openai", price_as="openai", builtin=True)
LOCAL = Endpoint("local", "openai", "http://127.0.0.1:1/v1")


def entry(endpoint: Endpoint, model: str) -> ModelEntry:
    return ModelEntry(endpoint, model)


ENTRIES = [
    entry(OPENAI, "gpt-4o"),
    entry(OPENAI, "gpt-4o-mini"),
    entry(OPENAI, "text-embedding-3-small"),
    entry(OPENAI, "dall-e-3"),
    entry(LOCAL, "llama3.1:8b"),
    entry(LOCAL, "nomic-embed-text"),
]


def names(groups) -> dict[str, list[str]]:
    return {g.title: [e.model for e in g.entries] for g in groups}


def test_chat_models_by_endpoint_by_default_and_every_model_on_request():
    assert names(arrange(ENTRIES)) == {"local": ["llama3.1:8b"], "openai": ["gpt-4o", "gpt-4o-mini"]}
    every = names(arrange(ENTRIES, show_all=True))
    assert every["openai"] == ["gpt-4o", "gpt-4o-mini", "text-embedding-3-small", "dall-e-3"]
    assert every["local"] == ["llama3.1:8b", "nomic-embed-text"]


def test_filter_is_a_case_insensitive_substring_of_endpoint_or_model():
    assert names(arrange(ENTRIES, query="MINI")) == {"openai": ["gpt-4o-mini"]}
    assert names(arrange(ENTRIES, query="loc")) == {"local": ["llama3.1:8b"]}
    assert names(arrange(ENTRIES, query="openai / gpt-4o-m")) == {"openai": ["gpt-4o-mini"]}
    assert arrange(ENTRIES, query="claude") == []


def test_favourites_then_recents_on_top_even_for_other_kinds():
    groups = arrange(
        ENTRIES,
        favourites=[("local", "llama3.1:8b"), ("openai", "text-embedding-3-small")],
        recents=[("openai", "gpt-4o-mini"), ("gone", "model")],  # an endpoint since removed: left out
    )
    assert [g.title for g in groups] == ["★ Favourites", "Recent", "local", "openai"]
    assert names(groups)["★ Favourites"] == ["llama3.1:8b", "text-embedding-3-small"]
    assert names(groups)["Recent"] == ["gpt-4o-mini"]
    assert names(arrange(ENTRIES, favourites=[("local", "llama3.1:8b")], query="gpt")) == {
        "openai": ["gpt-4o", "gpt-4o-mini"]
    }


def test_unknown_prices_read_unknown_and_free_reads_free_never_zero_dollars():
    assert entry(LOCAL, "x").price_text() == "price unknown"
    free = ModelEntry(LOCAL, "x", ModelFacts(Decimal(0), Decimal(0), None, None, "override"))
    assert free.price_text() == "free"
    per_hour = ModelEntry(OPENAI, "gpt-live-1", ModelFacts(None, None, None, None, "genai-prices"))
    assert per_hour.price_text() == "not priced per token"
    priced = ModelEntry(OPENAI, "m", ModelFacts(Decimal("0.15"), Decimal("0.6"), None, 128_000, "x"))
    assert priced.summary() == "128k context · $0.15 in / $0.60 out per 1M"
    assert "$0" not in entry(LOCAL, "x").summary()


@pytest.mark.parametrize("endpoint", BUILTIN, ids=lambda e: e.name)
def test_each_listed_chat_model_shows_the_price_the_counters_charge(endpoint):
    """The counters price a prompt with Pricer.price; the picker's per-1M figures must agree."""
    pricer = Pricer()
    chat = [e for e in entries_for(endpoint, known_models(endpoint), pricer) if e.kind is ModelKind.CHAT]
    assert len(chat) >= 10
    for item in chat:
        tokens = 1000  # a short prompt: the base tier, as the counters charge it
        charged_in = pricer.price(endpoint, item.model, Usage(input_tokens=tokens)).total
        charged_out = pricer.price(endpoint, item.model, Usage(output_tokens=tokens)).total
        assert charged_in is not None and charged_out is not None, item.model
        assert item.facts is not None, f"{item.model}: the counters price it, the picker must too"
        assert item.facts.input_mtok == per_million(charged_in, tokens), item.model
        assert item.facts.output_mtok == per_million(charged_out, tokens), item.model
        want = f"{formatting.usd(per_million(charged_in, tokens))} in / "
        want += f"{formatting.usd(per_million(charged_out, tokens))} out per 1M"
        assert item.price_text() == want
        assert "price unknown" not in item.summary()


def test_built_in_listing_has_the_other_kinds_for_show_all_but_no_price_list_variants():
    models = known_models(OPENAI)
    assert "text-embedding-3-small" in models and "gpt-4o" in models
    assert not [m for m in models if m.startswith("ft:") or m.endswith(":extended")]


@pytest.mark.parametrize(
    ("window", "text"),
    [
        (8192, "8k context"),
        (128_000, "128k context"),
        (1_000_000, "1M context"),
        (1_050_000, "1.05M context"),
    ],
)
def test_context_windows_read_short(window, text):
    assert ModelEntry(OPENAI, "m", ModelFacts(None, None, None, window, "x")).context_text() == text
