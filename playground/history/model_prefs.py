"""The model picker's favourite and recently used models, kept in the history's settings table.

Each change reads and writes inside one writer transaction, so two windows never lose each other's
star. Favourites keep the order they were starred in; recents are newest first, at most ``RECENTS``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the picker imports this module before the window shows: no SQLite library yet
    from sqlite_utils import Database

    from playground.history.storage import OfflineStorage, Storage

Key = tuple[str, str]  # (endpoint name, model)
FAVOURITES = "picker.favourites"
RECENT = "picker.recent"
RECENTS = 5


@dataclass(frozen=True)
class ModelPrefs:
    favourites: tuple[Key, ...] = ()
    recents: tuple[Key, ...] = ()

    def is_favourite(self, key: Key) -> bool:
        return key in self.favourites

    def starred(self, key: Key, on: bool) -> ModelPrefs:
        rest = tuple(k for k in self.favourites if k != key)
        return ModelPrefs((*rest, key) if on else rest, self.recents)

    def used(self, key: Key) -> ModelPrefs:
        """``key`` was just used: it goes first in the recents."""
        return ModelPrefs(self.favourites, (key, *(k for k in self.recents if k != key))[:RECENTS])


class ModelPrefStore:
    def __init__(self, storage: Storage | OfflineStorage):
        self._storage = storage

    def read(self) -> ModelPrefs:
        return _read(self._storage.read())

    def set_favourite(self, key: Key, on: bool) -> ModelPrefs:
        def write(db: Database) -> ModelPrefs:
            prefs = _read(db).starred(key, on)
            _save(db, FAVOURITES, prefs.favourites)
            return prefs

        return self._storage.writer.call(write)

    def used(self, key: Key) -> ModelPrefs:
        def write(db: Database) -> ModelPrefs:
            prefs = _read(db).used(key)
            _save(db, RECENT, prefs.recents)
            return prefs

        return self._storage.writer.call(write)


def _read(db: Database) -> ModelPrefs:
    if not db["settings"].exists():  # an offline core's empty history
        return ModelPrefs()
    rows = db.execute("select key, value from settings where key in (?, ?)", [FAVOURITES, RECENT])
    values = dict(rows.fetchall())
    return ModelPrefs(_keys(values.get(FAVOURITES)), _keys(values.get(RECENT))[:RECENTS])


def _keys(text: str | None) -> tuple[Key, ...]:
    """The saved list; anything unreadable is dropped (a bad value never stops the picker)."""
    try:
        items = json.loads(text) if text else []
    except ValueError:
        return ()
    if not isinstance(items, list):
        return ()
    return tuple(
        (item[0], item[1])
        for item in items
        if isinstance(item, list) and len(item) == 2 and all(isinstance(s, str) and s for s in item)
    )


def _save(db: Database, name: str, keys: tuple[Key, ...]) -> None:
    db.table("settings").upsert({"key": name, "value": json.dumps([list(k) for k in keys])}, pk="key")
