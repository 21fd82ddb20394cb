"""The API styles an endpoint speaks. Apart from endpoints.py so that `playground --help` can list
them without loading dataclasses and the endpoint records."""

from __future__ import annotations

from typing import Literal

Api = Literal["openai", "anthropic", "openai-responses"]
APIS: tuple[Api, ...] = ("openai", "anthropic", "openai-responses")
# The style's name, for the endpoint form, advice and Test connection.
API_TITLES: dict[str, str] = {
    "openai": "OpenAI Chat Completions",
    "anthropic": "Anthropic Messages",
    "openai-responses": "OpenAI Responses",
}
