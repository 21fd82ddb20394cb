"""The two API styles an endpoint speaks. Apart from endpoints.py so that `playground --help` can list
them without loading dataclasses and the endpoint records."""

from __future__ import annotations

from typing import Literal

Api = Literal["openai", "anthropic"]
APIS: tuple[Api, ...] = ("openai", "anthropic")
