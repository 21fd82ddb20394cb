"""Endpoints: the built-in OpenAI and Anthropic ones plus the servers a user adds."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlparse, urlsplit, urlunsplit

from playground.llm.apis import APIS as APIS  # re-exported: callers import both from here
from playground.llm.apis import Api as Api

OPENAI_URL = "https://api.openai.com/v1"  # an endpoint added with it follows OpenAI's own rules


@dataclass(frozen=True)
class Endpoint:
    """Where calls go. ``key_name`` names the keyring entry; None means the server needs no key.
    ``key_env`` names the environment variable read when no key is saved (None: the standard one
    for built-in key names, OPENAI_API_KEY and the like). ``price_as`` is a genai-prices provider
    ("openai") or one of its models ("openai/gpt-4o-mini")."""

    name: str
    api: Api
    base_url: str | None = None
    key_name: str | None = None
    price_as: str | None = None
    builtin: bool = False
    key_env: str | None = None

    @property
    def official(self) -> bool:
        """The provider's own server (its parameter rules apply exactly)."""
        return self.builtin or (self.base_url or "").rstrip("/") == OPENAI_URL

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
    Endpoint("openai", "openai", None, "openai", "openai", builtin=True, key_env="OPENAI_API_KEY"),
    Endpoint(
        "anthropic", "anthropic", None, "anthropic", "anthropic", builtin=True, key_env="ANTHROPIC_API_KEY"
    ),
)

# Presets for the common OpenAI-compatible servers (the settings window offers them).
PRESETS: dict[str, Endpoint] = {
    "ollama": Endpoint("ollama", "openai", "http://localhost:11434/v1"),
    "lmstudio": Endpoint("lmstudio", "openai", "http://localhost:1234/v1"),
    "vllm": Endpoint("vllm", "openai", "http://localhost:8000/v1"),
    "llamacpp": Endpoint("llamacpp", "openai", "http://localhost:8080/v1"),
    "openrouter": Endpoint(
        "openrouter", "openai", "https://openrouter.ai/api/v1", "openrouter", key_env="OPENROUTER_API_KEY"
    ),
    "groq": Endpoint("groq", "openai", "https://api.groq.com/openai/v1", "groq", key_env="GROQ_API_KEY"),
    # OpenAI itself through the Responses API (the built-in endpoint stays on Chat Completions).
    "openai-responses": Endpoint(
        "openai-responses",
        "openai-responses",
        OPENAI_URL,
        "openai-responses",
        "openai",
        key_env="OPENAI_API_KEY",
    ),
}


def public_url(url: str) -> str:
    """The URL without a user, password or query (where a token could hide): safe to show or save."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", ""))


def guess_api(base_url: str) -> Api:
    """The API style a URL suggests: Anthropic's own host or a path naming it, else OpenAI-compatible."""
    return "anthropic" if "anthropic" in base_url.lower() else "openai"


def url_problem(url: str) -> str | None:
    """What is wrong with a base URL, in words (None: it can be tried). A space in the host or a port
    over 65535 was saved, and the run then blamed the network."""
    if not url.startswith(("http://", "https://")):
        return "The base URL must start with http:// or https://."
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a port that is not a number in 0-65535
    except ValueError:
        port = 0
    if port == 0:
        return f"{url!r} is not a valid URL: check the port (a number from 1 to 65535)."
    if not parts.hostname or any(c.isspace() for c in url):
        return f"{url!r} is not a valid URL: it needs a host, with no spaces (e.g. http://localhost:8000/v1)."
    return None
