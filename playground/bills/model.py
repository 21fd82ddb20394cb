"""The typed values of a bill: providers, what a page of an admin API brings, and the known failures.

Providers bill in UTC days (their buckets start at 00:00 UTC), so every day here is a UTC day.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from playground.keys import KeyStore


class Provider(StrEnum):
    OPENAI = "openai"
    ANTHROPIC = "anthropic"

    @property
    def label(self) -> str:
        return "OpenAI" if self is Provider.OPENAI else "Anthropic"

    @property
    def key_name(self) -> str:
        """The keyring entry of the provider's admin key (the Keys page keeps it)."""
        return f"{self.value}-admin"

    @property
    def env_var(self) -> str:
        return "OPENAI_ADMIN_KEY" if self is Provider.OPENAI else "ANTHROPIC_ADMIN_KEY"

    @property
    def host(self) -> str:
        """The official API host: calls recorded against it count as this provider's."""
        return "api.openai.com" if self is Provider.OPENAI else "api.anthropic.com"


class Kind(StrEnum):
    COSTS = "costs"
    USAGE = "usage"


class Source(StrEnum):
    API = "api"
    CSV = "csv"


class BillsError(Exception):
    """A known failure of an import (a wrong key, a rate limit, the network, a bad file): one plain
    sentence for the user; never contains the key."""


class Cancelled(BillsError):
    def __init__(self) -> None:
        super().__init__("The import was cancelled; what was fetched is kept, and the next import resumes.")


@dataclass(frozen=True)
class BilledCost:
    day: str  # UTC day, YYYY-MM-DD
    model: str
    cost: Decimal  # USD


@dataclass(frozen=True)
class BilledUsage:
    day: str
    model: str
    input_tokens: int  # cached ones included
    cached_input_tokens: int
    output_tokens: int
    requests: int | None  # None: the provider does not say


@dataclass(frozen=True)
class Page:
    """One page of an admin API: the days its buckets cover (complete, even when empty) and their rows."""

    kind: Kind
    days: tuple[str, ...]
    costs: tuple[BilledCost, ...] = ()
    usage: tuple[BilledUsage, ...] = ()


def admin_key(keys: KeyStore, provider: Provider, environ: Mapping[str, str]) -> str:
    """The provider's admin key from the keyring, else its environment variable; a clear error if none."""
    key = keys.get(provider.key_name) or environ.get(provider.env_var)
    if not key:
        raise BillsError(
            f"No {provider.label} admin key: add one as '{provider.key_name}' on the Keys page "
            f"(or `playground keys set {provider.key_name}`), or set {provider.env_var}. "
            "Without one, import the console's CSV export instead."
        )
    return key


_SNAPSHOT = re.compile(r"-(\d{4}-\d{2}-\d{2}|\d{8}|latest|0)$")


def base_model(name: str) -> str:
    """A model's name without its snapshot date ('gpt-4o-mini-2024-07-18' → 'gpt-4o-mini') or alias tail
    ('claude-sonnet-4-0', '-latest'): providers bill the dated snapshot while calls name the alias, and
    both must meet on one row."""
    return _SNAPSHOT.sub("", name.strip())


def day_range(first: date, last: date) -> list[str]:
    return [date.fromordinal(d).isoformat() for d in range(first.toordinal(), last.toordinal() + 1)]
