"""What the model picker needs from the core, fetched off the GUI thread: favourites, recents, and the
prices of a chosen model that no listing has (so a model the counters price never reads unknown)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from playground.history.model_prefs import Key, ModelPrefs
from playground.llm.catalog import ModelEntry

if TYPE_CHECKING:
    from playground.history.model_prefs import ModelPrefStore
    from ui.playground.session import Session

log = logging.getLogger(__name__)


class PickerData(QObject):
    """``prefsChanged(ModelPrefs)`` after a read or a change; ``entryReady(ModelEntry)`` answers
    ``look_up``. Until the core is loaded, changes are kept in memory only."""

    prefsChanged = Signal(object)  # ModelPrefs
    entryReady = Signal(object)  # ModelEntry
    saved = Signal()  # a change reached the history (tests wait for it)

    def __init__(self, session: Session, parent: QObject | None = None):
        super().__init__(parent)
        self._session = session
        self._store: ModelPrefStore | None = None
        self.prefs = ModelPrefs()
        self._changes = 0  # each shown change; a read begun before one is older than it
        self._writes: list[Callable[[], ModelPrefs]] = []  # one at a time, in the order made
        session.coreReady.connect(self.load)
        if session.core is not None:
            self.load()

    def load(self) -> None:
        core = self._session.core
        if core is None:
            return
        from playground.history.model_prefs import ModelPrefStore

        store = self._store = ModelPrefStore(core.storage)
        changes = self._changes

        def read(prefs: ModelPrefs) -> None:  # a star or a run since the read began is newer: keep it
            if self._changes == changes:
                self._set(prefs)

        self._session.background.submit(store.read, read, self._not_read)

    def toggle_favourite(self, key: Key) -> None:
        on = not self.prefs.is_favourite(key)
        self._set(self.prefs.starred(key, on))  # shown at once, saved next
        store = self._store
        if store is not None:
            self._write(lambda: store.set_favourite(key, on))

    def used(self, key: Key) -> None:
        self._set(self.prefs.used(key))
        store = self._store
        if store is not None:
            self._write(lambda: store.used(key))

    def has_endpoint(self, name: str) -> bool:
        """Whether ``name`` is an endpoint (as last read; one removed in Settings is not), or the
        endpoints are not read yet."""
        return self._session.core is None or self._session.endpoint(name) is not None

    def look_up(self, endpoint_name: str, model: str) -> bool:
        """Price a model the listings lack (typed, restored, reopened) with the counters' pricer;
        False when that cannot be done (no core yet, or no such endpoint)."""
        core = self._session.core
        endpoint = self._session.endpoint(endpoint_name)
        if core is None or endpoint is None:
            return False
        pricer = core.pricer
        future = self._session.background.submit(
            lambda: ModelEntry(endpoint, model, pricer.facts(endpoint, model)), self.entryReady.emit
        )
        return future is not None

    def _write(self, work: Callable[[], ModelPrefs]) -> None:
        """Writes go one after another (the pool could reorder a star and its quick un-star)."""
        self._writes.append(work)
        if len(self._writes) == 1:
            self._session.background.submit(work, self._saved, self._failed)

    def _saved(self, prefs: ModelPrefs) -> None:
        self._writes.pop(0)
        if self._writes:
            self._session.background.submit(self._writes[0], self._saved, self._failed)
        else:  # the stored state, once nothing newer is on its way
            self._set(prefs)
            self.saved.emit()

    def _set(self, prefs: ModelPrefs) -> None:
        self._changes += 1
        self.prefs = prefs
        self.prefsChanged.emit(prefs)

    def _not_read(self, exc: BaseException) -> None:
        log.warning("model favourites not read: %s", exc)

    def _failed(self, exc: BaseException) -> None:
        # An offline history refuses writes: the stars still work for this session.
        log.warning("model favourites not saved: %s", exc)
        self._writes.clear()
