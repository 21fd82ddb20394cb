"""The composition root: builds the store, keys, pricing, counting and runner in one place."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from playground.compare.votes import VoteStore
from playground.history.calls import HistoryStore
from playground.history.config_store import ConfigStore
from playground.history.general_settings import GeneralSettings
from playground.history.storage import (
    BUSY_TIMEOUT_S,
    CLOSE_TIMEOUT_S,
    HistoryUnavailable,
    OfflineStorage,
    Storage,
)
from playground.keys import KeyStore, system_backend
from playground.llm.interrupted import price_interrupted
from playground.llm.providers import make_provider
from playground.llm.providers.base import DEFAULT_TIMEOUT_S
from playground.llm.runner import ProviderFactory, RetryPolicy, Runner
from playground.paths import DB_NAME, data_dir, resources_dir
from playground.pricing.prices import Pricer
from playground.spend.budgets import BudgetStore
from playground.spend.reports import Reports
from playground.tokens.counter import TokenCounter
from playground.tokens.encodings import Encodings

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

_SYSTEM = object()


@dataclass
class Core:
    home: Path
    storage: Storage | OfflineStorage
    history: HistoryStore
    config: ConfigStore
    keys: KeyStore
    pricer: Pricer
    counter: TokenCounter
    runner: Runner
    votes: VoteStore
    reports: Reports
    budgets: BudgetStore
    general: GeneralSettings

    @property
    def unavailable(self) -> HistoryUnavailable | None:
        """Why the history is not in use (an offline core), or None."""
        return self.storage.unavailable

    @property
    def not_recorded(self) -> str | None:
        """Why nothing can be written (calls, settings), in one line for a page to show; None when
        the history is writable."""
        refusal = self.storage.writer.refusal
        if refusal is None:
            return None
        if isinstance(self.storage, OfflineStorage):
            where = f"{refusal.folder}: {refusal.cause}"
            return f"The history cannot be used ({where}): calls cannot be recorded."
        return f"The history is read-only ({refusal.folder}): calls cannot be recorded."

    def close(self) -> None:
        self.storage.close()


def build_core(
    home: Path | None = None,
    *,
    keyring_backend: KeyringBackend | object | None = _SYSTEM,
    environ: Mapping[str, str] | None = None,
    provider_factory: ProviderFactory = make_provider,
    retry: RetryPolicy | None = None,
    timeout_s: float | None = None,
    encodings: Encodings | None = None,
    busy_timeout_s: float = BUSY_TIMEOUT_S,
    close_timeout_s: float = CLOSE_TIMEOUT_S,
    adopt_system_zone: bool = True,
) -> Core:
    """Everything the CLI and the GUI need; tests pass their own home, keyring and retry policy.
    Raises HistoryUnavailable (naming the folder and the cause; nothing moved) when the history
    cannot be opened now: then ``build_offline_core(error)`` gives the parts that need no history."""
    environ = os.environ if environ is None else environ
    home = home or data_dir(environ)
    storage = Storage(home / DB_NAME, busy_timeout_s=busy_timeout_s, close_timeout_s=close_timeout_s)
    return _assemble(
        home,
        storage,
        keyring_backend,
        environ,
        provider_factory,
        retry,
        timeout_s,
        encodings,
        adopt_system_zone,
    )


def build_offline_core(
    reason: HistoryUnavailable,
    *,
    keyring_backend: KeyringBackend | object | None = _SYSTEM,
    environ: Mapping[str, str] | None = None,
    provider_factory: ProviderFactory = make_provider,
    retry: RetryPolicy | None = None,
    timeout_s: float | None = None,
    encodings: Encodings | None = None,
) -> Core:
    """A core without the history, for when ``build_core`` raised ``reason``: keys, pricing, counting
    and the built-in endpoints work (``cost``, ``count``); reads see an empty history; every write
    (a run's record, an endpoint, a price) raises ``reason``. ``core.unavailable`` is ``reason``."""
    environ = os.environ if environ is None else environ
    storage = OfflineStorage(reason)
    return _assemble(
        reason.folder, storage, keyring_backend, environ, provider_factory, retry, timeout_s, encodings
    )


def build_read_only_core(
    reason: HistoryUnavailable,
    *,
    keyring_backend: KeyringBackend | object | None = _SYSTEM,
    environ: Mapping[str, str] | None = None,
    provider_factory: ProviderFactory = make_provider,
    retry: RetryPolicy | None = None,
    timeout_s: float | None = None,
    encodings: Encodings | None = None,
    busy_timeout_s: float = BUSY_TIMEOUT_S,
) -> Core:
    """For when ``build_core`` raised ``reason`` (a read-only folder): the history in that folder
    read as it is, writes raising ``reason`` (``core.not_recorded`` says so), nothing written; if
    it cannot even be read, ``build_offline_core(reason)``. The app reads past calls this way."""
    environ = os.environ if environ is None else environ
    storage: Storage | OfflineStorage
    try:
        storage = Storage(reason.folder / DB_NAME, busy_timeout_s=busy_timeout_s, only_read=reason)
        storage.unavailable = reason
    except HistoryUnavailable:
        storage = OfflineStorage(reason)  # not even readable: an empty history, as build_offline_core
    return _assemble(
        reason.folder,
        storage,
        keyring_backend,
        environ,
        provider_factory,
        retry,
        timeout_s,
        encodings,
        # a history read as stored keeps its days: recounting them in the system's zone would write
        adopt_system_zone=isinstance(storage, OfflineStorage),
    )


def _assemble(
    home: Path,
    storage: Storage | OfflineStorage,
    keyring_backend: KeyringBackend | object | None,
    environ: Mapping[str, str],
    provider_factory: ProviderFactory,
    retry: RetryPolicy | None,
    timeout_s: float | None,
    encodings: Encodings | None,
    adopt_system_zone: bool = True,  # the app follows the system's zone; a command keeps the stored one
) -> Core:
    try:
        history = HistoryStore(storage)
        config = ConfigStore(storage)
        backend = system_backend if keyring_backend is _SYSTEM else keyring_backend  # loads on first use
        keys = KeyStore(backend, environ)  # type: ignore[arg-type]
        pricer = Pricer(config.price_overrides, home)
        counter = TokenCounter(encodings or Encodings(resources_dir() / "tiktoken"))
        reports = Reports(storage, adopt_system_zone=adopt_system_zone)
        general = GeneralSettings(storage, reports.clock, environ)
        runner = Runner(
            history=history,
            config=config,
            keys=keys,
            pricer=pricer,
            counter=counter,
            provider_factory=provider_factory,
            retry=retry,
            timeout_s=timeout_s or DEFAULT_TIMEOUT_S,
            limits=general.limits,
        )
        price_interrupted(history.interrupted, history, config, counter, pricer)
        budgets = BudgetStore(storage, reports)
        votes = VoteStore(storage)
    except BaseException:
        storage.close()  # its writer thread and connection are not left behind
        raise
    return Core(
        home, storage, history, config, keys, pricer, counter, runner, votes, reports, budgets, general
    )
