"""Which models an endpoint offers: the server's own listing, else the chat models genai-prices knows."""

from __future__ import annotations

import re

from playground.endpoints import Endpoint

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
