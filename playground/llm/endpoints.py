"""Endpoints: the built-in OpenAI and Anthropic ones plus the servers a user adds."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal
from urllib.parse import urlparse

Api = Literal["openai", "anthropic"]
APIS: tuple[Api, ...] = ("openai", "anthropic")


@dataclass(frozen=True)
class Endpoint:
    """Where calls go. ``key_name`` names the keyring entry; None means the server needs no key."""

    name: str
    api: Api
    base_url: str | None = None
    key_name: str | None = None
    price_as: str | None = None
    builtin: bool = False

    @property
    def official(self) -> bool:
        """The provider's own server (its parameter rules apply exactly)."""
        return self.builtin

    @property
    def is_local(self) -> bool:
        if not self.base_url:
            return False
        host = urlparse(self.base_url).hostname or ""
        return host in {"localhost", "127.0.0.1", "::1", "0.0.0.0"} or host.startswith("127.")

    def to_row(self) -> dict[str, Any]:
        row = asdict(self)
        row.pop("builtin")
        return row


BUILTIN = (
    Endpoint("openai", "openai", None, "openai", "openai", builtin=True),
    Endpoint("anthropic", "anthropic", None, "anthropic", "anthropic", builtin=True),
)

# Presets for the common OpenAI-compatible servers (the settings window offers them).
PRESETS: dict[str, Endpoint] = {
    "ollama": Endpoint("ollama", "openai", "http://localhost:11434/v1"),
    "lmstudio": Endpoint("lmstudio", "openai", "http://localhost:1234/v1"),
    "vllm": Endpoint("vllm", "openai", "http://localhost:8000/v1"),
    "llamacpp": Endpoint("llamacpp", "openai", "http://localhost:8080/v1"),
    "openrouter": Endpoint("openrouter", "openai", "https://openrouter.ai/api/v1", "openrouter"),
    "groq": Endpoint("groq", "openai", "https://api.groq.com/openai/v1", "groq"),
}
