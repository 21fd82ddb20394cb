"""The core a command needs: the full one, or for `cost` and `count` one without history when the
data folder cannot be used (they price and count from bundled data, so they keep working)."""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from playground.cli.config_read import ReadOnlyConfig
from playground.cli.errors import CliError
from playground.keys import KeyStore, system_backend
from playground.llm.endpoints import BUILTIN, Endpoint
from playground.llm.errors import ErrorKind, PlaygroundError
from playground.paths import DB_NAME, HOME_ENV, data_dir, resources_dir
from playground.pricing.prices import PriceOverride, Pricer

if TYPE_CHECKING:
    from playground.core import Core
    from playground.llm.request import Request
    from playground.llm.runner import Runner
    from playground.tokens.counter import TokenCount, TokenCounter

NEEDS_NO_HISTORY = frozenset({"cost", "count", "keys", "plan"})
T = TypeVar("T")


def _unusable() -> tuple[type[BaseException], ...]:
    """What says the history cannot be used; imported only once something failed (it brings
    sqlite-utils, which `cost` and `count` never need)."""
    from playground.history.db_open import HistoryUnavailable

    return (OSError, sqlite3.Error, HistoryUnavailable)


class DataFolderUnusable(CliError):
    """The data folder (or its history.db) cannot be used: names the folder and the cause."""

    def __init__(self, folder: Path, cause: str):
        super().__init__(f"cannot use the data folder {folder}: {cause}")
        self.folder = folder
        self.cause = cause


class CommandLog:
    """The log file in the data folder for one command's run (removed after, so tests stay apart)."""

    def __init__(self) -> None:
        self._handlers: list[logging.Handler] = []
        self._level: int | None = None

    def attach(self, home: Path) -> None:
        from playground.logs import setup_logging

        root = logging.getLogger()
        before, self._level = list(root.handlers), root.level
        try:
            setup_logging(home, logging.WARNING)
        except OSError:
            return  # an unwritable log is no reason to refuse the command
        self._handlers = [h for h in root.handlers if h not in before]

    def close(self) -> None:
        root = logging.getLogger()
        for handler in self._handlers:
            root.removeHandler(handler)
            handler.close()
        self._handlers.clear()
        if self._level is not None:
            root.setLevel(self._level)


def open_core(command: str, log: CommandLog) -> Core | OfflineCore:
    """The full core, or for commands that need no history a history-less one if the folder is unusable."""
    try:
        core = _full_core(log)
    except DataFolderUnusable as exc:
        if command not in NEEDS_NO_HISTORY:
            raise
        print(
            f"playground: {exc}; working without history "
            "(custom endpoints and price overrides are not available)",
            file=sys.stderr,
        )
        return OfflineCore.build()
    if core.storage.warning:
        print(f"playground: {core.storage.warning}", file=sys.stderr)
    return core


def _full_core(log: CommandLog) -> Core:
    from playground.core import build_core

    return _in_data_folder(log, lambda home: build_core(home, adopt_system_zone=False))  # no recount


def open_quick_core(command: str, log: CommandLog) -> QuickCore:
    """What `cost` and `count` need (prices with the overrides, endpoints, the counter), without the
    runner, the stores and the SDKs: they answer in about the time of the libraries they use."""
    try:
        core = _in_data_folder(log, QuickCore.open)
    except DataFolderUnusable as exc:
        print(
            f"playground: {exc}; working without history "
            "(custom endpoints and price overrides are not available)",
            file=sys.stderr,
        )
        return QuickCore(BuiltinConfig(), None)
    if core.warning:
        print(f"playground: {core.warning}", file=sys.stderr)
    return core


def _in_data_folder(log: CommandLog, build: Callable[[Path], T]) -> T:
    """``build(home)``, with a data folder or history that cannot be used raised as DataFolderUnusable."""
    try:
        home = data_dir()
    except OSError as exc:
        folder = Path(exc.filename) if exc.filename else Path(os.environ.get(HOME_ENV, "?"))
        raise DataFolderUnusable(folder, exc.strerror or str(exc)) from exc
    try:
        core = build(home)
    except _unusable() as exc:  # evaluated only when build raised
        cause = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise DataFolderUnusable(home, cause) from exc
    log.attach(home)
    return core


class BuiltinConfig:
    """The built-in endpoints and no price overrides: the configuration when history is unusable."""

    def endpoints(self) -> list[Endpoint]:
        return list(BUILTIN)

    def endpoint(self, name: str) -> Endpoint:
        for endpoint in BUILTIN:
            if endpoint.name == name:
                return endpoint
        raise PlaygroundError.of(
            ErrorKind.UNKNOWN_ENDPOINT,
            f"No endpoint named {name!r}: only the built-in ones (openai, anthropic) work without history.",
        )

    def price_overrides(self) -> list[PriceOverride]:
        return []


@dataclass
class OfflineCore:
    """What `cost` and `count` use: pricing, counting and keys, no storage."""

    config: BuiltinConfig
    keys: KeyStore
    pricer: Pricer
    counter: TokenCounter
    runner: Runner

    @classmethod
    def build(cls) -> OfflineCore:
        from playground.llm.runner import Runner
        from playground.tokens.counter import TokenCounter
        from playground.tokens.encodings import Encodings

        config = BuiltinConfig()
        keys = KeyStore(system_backend, os.environ)
        pricer = Pricer(config.price_overrides)
        counter = TokenCounter(Encodings(resources_dir() / "tiktoken"))
        runner = Runner(
            history=None,  # type: ignore[arg-type]  # count never records a call
            config=config,  # type: ignore[arg-type]  # BuiltinConfig has what Runner reads of a ConfigStore
            keys=keys,
            pricer=pricer,
            counter=counter,
        )
        return cls(config, keys, pricer, counter, runner)

    def close(self) -> None:
        pass


class QuickCore:
    """Pricing, counting and the endpoints, from the configuration read at start (or the built-in one
    when there is none); the tokenizer loads when counting, the keyring and the runner only for an
    Anthropic exact count."""

    def __init__(self, config: ReadOnlyConfig | BuiltinConfig, home: Path | None, warning: str | None = None):
        self.config = config
        self.pricer = Pricer(config.price_overrides, home)
        self.keys = KeyStore(system_backend, os.environ)
        self.warning = warning

    @classmethod
    def open(cls, home: Path) -> QuickCore:
        """Read-only through sqlite3; a history it cannot read opens as the full storage would
        (migrated, a damaged file kept aside, or DataFolderUnusable with the reason)."""
        try:
            return cls(ReadOnlyConfig.read(home / DB_NAME), home)
        except sqlite3.Error:
            return cls._through_storage(home)

    @classmethod
    def _through_storage(cls, home: Path) -> QuickCore:
        from playground.history.config_store import ConfigStore
        from playground.history.storage import Storage

        storage = Storage(home / DB_NAME)
        try:
            store = ConfigStore(storage)
            custom = [e for e in store.endpoints() if e not in BUILTIN]
            config = ReadOnlyConfig(custom, store.price_overrides())
            return cls(config, home, storage.warning)
        finally:
            storage.close()

    @cached_property
    def counter(self) -> TokenCounter:
        from playground.tokens.counter import TokenCounter
        from playground.tokens.encodings import Encodings

        return TokenCounter(Encodings(resources_dir() / "tiktoken"))

    @cached_property
    def runner(self) -> Runner:
        from playground.llm.runner import Runner

        return Runner(
            history=None,  # type: ignore[arg-type]  # counting never records a call
            config=self.config,  # type: ignore[arg-type]
            keys=self.keys,
            pricer=self.pricer,
            counter=self.counter,
        )

    def count_input(self, request: Request, endpoint: Endpoint) -> TokenCount:
        """Our count, or the provider's exact one where it offers one (Anthropic: the runner)."""
        if endpoint.api == "anthropic":
            return self.runner.count_input(request, endpoint)
        return self.counter.count_prompt(request.model, request.system, request.messages)

    def close(self) -> None:
        pass
