"""What the CLI and the Spend panel call: import a provider's bill or a console CSV, and reconcile.
Built from the core's storage and keys; every method does I/O (call it off the GUI thread)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

from playground.bills.clients import make_client
from playground.bills.csv_import import CsvResult, import_csv
from playground.bills.importer import ImportResult, Progress, import_bills
from playground.bills.model import Provider, admin_key
from playground.bills.reconcile import Reconciler, Row
from playground.bills.store import BillStore, ImportLog
from playground.history.storage import OfflineStorage, Storage
from playground.keys import KeyStore


class Bills:
    def __init__(
        self, storage: Storage | OfflineStorage, keys: KeyStore, environ: Mapping[str, str] | None = None
    ):
        self.store = BillStore(storage)
        self._keys = keys
        self._environ = os.environ if environ is None else environ
        self._reconciler = Reconciler(storage, self.store)

    def import_api(
        self,
        provider: Provider,
        first: date,
        last: date,
        *,
        base_url: str | None = None,
        progress: Callable[[Progress], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> ImportResult:
        key = admin_key(self._keys, provider, self._environ)
        client = make_client(provider, key, base_url, cancel)
        return import_bills(self.store, client, first, last, progress=progress, cancel=cancel)

    def import_csv(self, path: Path, provider: Provider | None = None) -> CsvResult:
        return import_csv(self.store, path, provider)

    def rows(self, first: date, last: date, by: str = "day") -> list[Row]:
        return self._reconciler.rows(first, last, by)

    def imports(self) -> list[ImportLog]:
        return self.store.imports()
