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

from playground.cli.errors import CliError
from playground.history import storage as db_module
from playground.history.config_store import ConfigStore
from playground.keys import KeyStore, system_backend
from playground.llm.endpoints import BUILTIN, Endpoint
from playground.llm.errors import ErrorKind, PlaygroundError
from playground.paths import DB_NAME, HOME_ENV, data_dir, resources_dir
from playground.pricing.prices import PriceOverride, Pricer
from playground.tokens.counter import TokenCount, TokenCounter

if TYPE_CHECKING:
    from playground.core import Core
    from playground.llm.request import Request
    from playground.llm.runner import Runner

NEEDS_NO_HISTORY = frozenset({"cost", "count", "keys", "plan"})
T = TypeVar("T")
# The storage owner is adding a typed error for "cannot open now"; caught by name once it exists.
_TYPED = getattr(db_module, "HistoryUnavailable", None)
_UNUSABLE: tuple[type[BaseException], ...] = (
    OSError,
    sqlite3.Error,
    *((_TYPED,) if isinstance(_TYPED, type) else ()),
)


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
        return QuickCore(None, BuiltinConfig(), None)
    if core.storage is not None and core.storage.warning:
        print(f"playground: {core.storage.warning}", file=sys.stderr)
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
    except _UNUSABLE as exc:
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
    """Pricing, counting and the endpoints, on the history's storage (or the built-in configuration
    when there is none); the keyring and the runner load only for an Anthropic exact count."""

    def __init__(
        self, storage: db_module.Storage | None, config: ConfigStore | BuiltinConfig, home: Path | None
    ):
        from playground.tokens.encodings import Encodings

        self.storage = storage
        self.config = config
        self.pricer = Pricer(config.price_overrides, home)
        self.counter = TokenCounter(Encodings(resources_dir() / "tiktoken"))
        self.keys = KeyStore(system_backend, os.environ)

    @classmethod
    def open(cls, home: Path) -> QuickCore:
        storage = db_module.Storage(home / DB_NAME)
        return cls(storage, ConfigStore(storage), home)

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
        if self.storage is not None:
            self.storage.close()
