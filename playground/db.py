"""Opening the history database: WAL, one writer thread, one reader connection per thread."""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from playground.migrations import migrate

log = logging.getLogger(__name__)
T = TypeVar("T")
BUSY_TIMEOUT_S = 30.0


def connect(path: Path | str) -> Database:
    """A sqlite-utils Database on its own connection; never share one across threads."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, check_same_thread=False)
    return Database(conn, execute_plugins=False)


def open_checked(path: Path) -> tuple[Database, str | None]:
    """Open and migrate ``path``. A damaged file is moved aside (not deleted) and a new one started."""
    try:
        db = connect(path)
        db.enable_wal()
        db.execute("PRAGMA synchronous=NORMAL")
        migrate(db)
        return db, None
    except sqlite3.DatabaseError as exc:
        aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        for suffix in ("", "-wal", "-shm"):
            src = Path(str(path) + suffix)
            if src.exists():
                src.replace(Path(str(aside) + suffix))
        log.warning("history database %s unreadable (%s); moved to %s", path, exc, aside)
        db = connect(path)
        db.enable_wal()
        migrate(db)
        return db, (
            f"The history database could not be read ({exc}). It was kept as {aside.name} "
            "and a new, empty history was started."
        )


class Writer:
    """Runs every write on one thread, so concurrent streams never meet 'database is locked'."""

    def __init__(self, db: Database):
        self._db = db
        self._queue: queue.SimpleQueue[tuple[Callable[[Database], Any], Future] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._loop, name="history-writer", daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[[Database], T]) -> Future[T]:
        future: Future[T] = Future()
        self._queue.put((fn, future))
        return future

    def call(self, fn: Callable[[Database], T]) -> T:
        return self.submit(fn).result()

    def flush(self) -> None:
        self.call(lambda db: None)

    def close(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        self._db.conn.close()

    def _loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            fn, future = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                with self._db.atomic():
                    result = fn(self._db)
            except BaseException as exc:  # handed to the caller through the future
                future.set_exception(exc)
            else:
                future.set_result(result)


class Readers:
    """One read connection per thread (sqlite connections must not be shared)."""

    def __init__(self, path: Path):
        self._path = path
        self._local = threading.local()
        self._all: list[Database] = []
        self._lock = threading.Lock()

    def get(self) -> Database:
        db = getattr(self._local, "db", None)
        if db is None:
            db = connect(self._path)
            self._local.db = db
            with self._lock:
                self._all.append(db)
        return db

    def close(self) -> None:
        with self._lock:
            for db in self._all:
                db.conn.close()
            self._all.clear()


class Storage:
    """The opened database: its writer thread and reader connections, shared by the stores."""

    def __init__(self, path: Path):
        self.path = path
        db, self.warning = open_checked(path)
        self.writer = Writer(db)
        self.readers = Readers(path)

    def read(self) -> Database:
        return self.readers.get()

    def close(self) -> None:
        self.writer.close()
        self.readers.close()
