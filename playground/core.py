"""The composition root: builds the store, keys, pricing, counting and runner in one place."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from keyring.backend import KeyringBackend

from playground.budgets import BudgetStore
from playground.config_store import ConfigStore
from playground.db import Storage
from playground.encodings import Encodings
from playground.history import HistoryStore
from playground.keys import KeyStore, system_backend
from playground.paths import data_dir, resources_dir
from playground.pricing import Pricer
from playground.providers import make_provider
from playground.reports import Reports
from playground.runner import ProviderFactory, RetryPolicy, Runner
from playground.tokens import TokenCounter
from playground.votes import VoteStore

DB_NAME = "history.db"
_SYSTEM = object()


@dataclass
class Core:
    home: Path
    storage: Storage
    history: HistoryStore
    config: ConfigStore
    keys: KeyStore
    pricer: Pricer
    counter: TokenCounter
    runner: Runner
    votes: VoteStore
    reports: Reports
    budgets: BudgetStore

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
) -> Core:
    """Everything the CLI and the GUI need; tests pass their own home, keyring and retry policy."""
    environ = os.environ if environ is None else environ
    home = home or data_dir(environ)
    home.mkdir(parents=True, exist_ok=True)
    storage = Storage(home / DB_NAME)
    history = HistoryStore(storage)
    config = ConfigStore(storage)
    backend = system_backend() if keyring_backend is _SYSTEM else keyring_backend
    keys = KeyStore(backend, environ)  # type: ignore[arg-type]
    pricer = Pricer(config.price_overrides, home)
    counter = TokenCounter(encodings or Encodings(resources_dir() / "tiktoken"))
    extra = {"timeout_s": timeout_s} if timeout_s else {}
    runner = Runner(
        history=history,
        config=config,
        keys=keys,
        pricer=pricer,
        counter=counter,
        provider_factory=provider_factory,
        retry=retry,
        **extra,
    )
    reports = Reports(storage)
    budgets = BudgetStore(storage, reports)
    return Core(
        home, storage, history, config, keys, pricer, counter, runner, VoteStore(storage), reports, budgets
    )
