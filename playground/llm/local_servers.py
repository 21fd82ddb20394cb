"""Find local OpenAI-compatible servers (Ollama, LM Studio) without slowing anything down."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from playground.llm.endpoints import PRESETS, Endpoint

LOCAL_PRESETS = ("ollama", "lmstudio")


@dataclass(frozen=True)
class LocalServer:
    endpoint: Endpoint
    models: tuple[str, ...]


def probe(endpoint: Endpoint, timeout_s: float = 0.5) -> LocalServer | None:
    """The server's model list if something answers at its base URL, else None."""
    if not endpoint.base_url:
        return None  # nowhere to ask
    url = f"{endpoint.base_url.rstrip('/')}/models"
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            data = json.loads(response.read(1_000_000))
    except (OSError, ValueError, urllib.error.URLError):
        return None
    models = tuple(
        sorted(str(m.get("id")) for m in data.get("data", []) if isinstance(m, dict) and m.get("id"))
    )
    return LocalServer(endpoint, models)


def detect(names: tuple[str, ...] = LOCAL_PRESETS, timeout_s: float = 0.5) -> list[LocalServer]:
    """Probe the usual local servers in parallel; call this off the GUI thread."""
    candidates = [PRESETS[n] for n in names]
    with ThreadPoolExecutor(max_workers=len(candidates)) as pool:
        found = pool.map(lambda e: probe(e, timeout_s), candidates)
    return [f for f in found if f is not None]
