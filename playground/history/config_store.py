"""User-defined endpoints and price overrides, kept in the history database (never keys)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from sqlite_utils import Database

from playground.history.storage import OfflineStorage, Storage
from playground.llm.endpoints import APIS, BUILTIN, Endpoint
from playground.llm.errors import ErrorKind, PlaygroundError
from playground.pricing.prices import PriceOverride

ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class ConfigStore:
    def __init__(self, storage: Storage | OfflineStorage):
        self._storage = storage

    # endpoints

    def endpoints(self) -> list[Endpoint]:
        rows = self._storage.read().query("select * from endpoints order by name")
        return [*BUILTIN, *(Endpoint(**r) for r in rows)]

    def endpoint(self, name: str) -> Endpoint:
        for endpoint in self.endpoints():
            if endpoint.name == name:
                return endpoint
        known = ", ".join(e.name for e in self.endpoints())
        raise PlaygroundError.of(ErrorKind.UNKNOWN_ENDPOINT, f"No endpoint named {name!r} (known: {known}).")

    def add_endpoint(self, endpoint: Endpoint, free: bool = False) -> None:
        """Add or replace ``endpoint``; ``free`` also prices all its models at zero, in the same
        transaction (a reader never sees the endpoint without its zero price)."""
        _check(endpoint)
        row = _price_row(PriceOverride(endpoint.name, "*", Decimal(0), Decimal(0)))

        def write(db: Database) -> None:
            db.table("endpoints").upsert(endpoint.to_row(), pk="name")
            if free:
                db.table("price_overrides").upsert(row, pk=("endpoint", "model"))

        self._storage.writer.call(write)

    def adopt_local(self, endpoint: Endpoint) -> None:
        """A local server found running: kept as an endpoint that costs nothing."""
        self.add_endpoint(endpoint, free=True)

    def remove_endpoint(self, name: str) -> bool:
        def delete(db: Database) -> bool:
            removed: int = db.execute("delete from endpoints where name = ?", [name]).rowcount
            return removed > 0

        return self._storage.writer.call(delete)

    # price overrides

    def price_overrides(self) -> list[PriceOverride]:
        rows = self._storage.read().query("select * from price_overrides order by endpoint, model")
        return [PriceOverride.from_row(r) for r in rows]

    def set_price(self, override: PriceOverride) -> None:
        row = _price_row(override)
        self._storage.writer.call(
            lambda db: db.table("price_overrides").upsert(row, pk=("endpoint", "model"))
        )

    def remove_price(self, endpoint: str, model: str) -> bool:
        def delete(db: Database) -> bool:
            sql = "delete from price_overrides where endpoint = ? and model = ?"
            removed: int = db.execute(sql, [endpoint, model]).rowcount
            return removed > 0

        return self._storage.writer.call(delete)


def _check(endpoint: Endpoint) -> None:
    if any(b.name == endpoint.name for b in BUILTIN):
        raise _bad(f"{endpoint.name!r} is a built-in endpoint; choose another name.")
    if endpoint.api not in APIS:
        raise _bad(f"API style must be one of {', '.join(APIS)}, not {endpoint.api!r}.")
    if not endpoint.base_url or not endpoint.base_url.startswith(("http://", "https://")):
        raise _bad("The base URL must start with http:// or https://.")
    if endpoint.key_env is not None and not ENV_NAME.fullmatch(endpoint.key_env):
        raise _bad(
            f"{endpoint.key_env!r} is not an environment variable name (letters, digits and _, "
            "not starting with a digit)."
        )


def _price_row(override: PriceOverride) -> dict[str, str | None]:
    return {
        "endpoint": override.endpoint,
        "model": override.model,
        "input_mtok": str(override.input_mtok),
        "output_mtok": str(override.output_mtok),
        "cache_read_mtok": _str(override.cache_read_mtok),
        "cache_write_mtok": _str(override.cache_write_mtok),
    }


MAX_PRICE_MTOK = Decimal(100_000)  # far above any model's price; keeps every cost within the rollups' range


def parse_price(text: str, what: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise _bad(f"{what} must be a number of USD per million tokens, not {text!r}.") from None
    if value < 0 or not value.is_finite():
        raise _bad(f"{what} cannot be negative.")
    if value > MAX_PRICE_MTOK:
        raise _bad(
            f"{what} of {text} USD per million tokens is beyond any real price (at most {MAX_PRICE_MTOK})."
        )
    return value


def _str(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _bad(message: str) -> PlaygroundError:
    return PlaygroundError.of(ErrorKind.BAD_REQUEST, message)
