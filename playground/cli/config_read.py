"""The custom endpoints and price overrides, read once with the stdlib sqlite3, read-only: what `cost`
and `count` need of the history, without sqlite-utils (click, pluggy, dateutil: ~90 ms of CPU) or a
migration. A file that is not there is no configuration; one this cannot read is left to the full
storage (which migrates, keeps a damaged file aside, or says why it cannot)."""

from __future__ import annotations

import sqlite3
from dataclasses import fields
from pathlib import Path
from typing import Any

from playground.llm.endpoints import BUILTIN, Endpoint
from playground.llm.errors import ErrorKind, PlaygroundError
from playground.pricing.prices import PriceOverride

READ_TIMEOUT_S = 5.0  # a writer mid-transaction (rollback journal) is waited for, as the storage does
_ENDPOINT_FIELDS = frozenset(f.name for f in fields(Endpoint))


class ReadOnlyConfig:
    """The configuration as it was when read: built-in plus custom endpoints, and the price overrides."""

    def __init__(self, custom: list[Endpoint], overrides: list[PriceOverride]):
        self._endpoints = [*BUILTIN, *custom]
        self._overrides = overrides

    @classmethod
    def read(cls, path: Path) -> ReadOnlyConfig:
        """The configuration in ``path`` (none when it does not exist); sqlite3.Error when unreadable."""
        if not path.exists():
            return cls([], [])
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", timeout=READ_TIMEOUT_S, uri=True)
        try:
            endpoints = _rows(conn, "select * from endpoints order by name")
            prices = _rows(conn, "select * from price_overrides order by endpoint, model")
        finally:
            conn.close()
        custom = [Endpoint(**{k: v for k, v in r.items() if k in _ENDPOINT_FIELDS}) for r in endpoints]
        return cls(custom, [PriceOverride.from_row(r) for r in prices])

    def endpoints(self) -> list[Endpoint]:
        return list(self._endpoints)

    def endpoint(self, name: str) -> Endpoint:
        for endpoint in self._endpoints:
            if endpoint.name == name:
                return endpoint
        known = ", ".join(e.name for e in self._endpoints)
        raise PlaygroundError.of(ErrorKind.UNKNOWN_ENDPOINT, f"No endpoint named {name!r} (known: {known}).")

    def price_overrides(self) -> list[PriceOverride]:
        return list(self._overrides)


def _rows(conn: sqlite3.Connection, sql: str) -> list[dict[str, Any]]:
    cursor = conn.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]
