"""The history database: one writer thread per process, and reader connections each owned by one
thread. A connection closed by one thread while another uses it crashes the process, so every
connection is closed only by the thread that opened it."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from playground.history.db_open import (
    BUSY_TIMEOUT_S,
    HistoryReadOnly,
    HistoryUnavailable,
    Opened,
    StorageClosed,
    connect,
    immediate,
    open_checked,
    open_read_only,
    unavailable,
)
from playground.history.migrations import migrate

__all__ = [
    "BUSY_TIMEOUT_S",
    "CLOSE_TIMEOUT_S",
    "HistoryReadOnly",
    "HistoryUnavailable",
    "OfflineStorage",
    "Readers",
    "Storage",
    "StorageClosed",
    "Writer",
    "connect",
    "immediate",
    "open_checked",
    "set_gui_thread",
]

log = logging.getLogger(__name__)
T = TypeVar("T")
CLOSE_TIMEOUT_S = 5.0
_gui_thread: threading.Thread | None = None


def set_gui_thread(thread: threading.Thread | None) -> None:
    """Name the GUI thread (None: no guard). From then on, a read or a waited-for write on it raises:
    the tests turn this on so a query that would freeze the window fails loudly instead."""
    global _gui_thread
    _gui_thread = thread


def _not_on_gui_thread() -> None:
    if _gui_thread is not None and threading.current_thread() is _gui_thread:
        raise RuntimeError("SQL on the GUI thread")


@dataclass
class _Job:
    fn: Callable[[Database], Any]
    future: Future[Any]


class Writer:
    """Every write of this process, one at a time on one thread, each in a ``BEGIN IMMEDIATE``
    transaction so it waits (busy timeout) for other processes instead of failing. The thread opens
    the database itself (``opener``), so its connection never changes hands."""

    def __init__(
        self,
        opener: Callable[[], Opened],
        *,
        folder: Path,
        close_timeout_s: float = CLOSE_TIMEOUT_S,
    ):
        self._folder = folder
        self._close_timeout_s = close_timeout_s
        self._cond = threading.Condition()
        self._jobs: deque[_Job] = deque()
        self._closed = False
        self.refusal: HistoryUnavailable | None = None
        """Why every write is refused (a read-only history), or None."""
        ready: Future[Opened] = Future()
        self._thread = threading.Thread(
            target=self._run, args=(opener, ready), name="history-writer", daemon=True
        )
        self._thread.start()
        self.opened = ready.result()  # an error opening is raised here, to the caller
        if self.opened.read_only:
            self.refusal = self.opened.refusal or HistoryReadOnly(folder)

    def submit(self, fn: Callable[[Database], T]) -> Future[T]:
        """Queue a write; raises at once if the store is closed or only readable."""
        future: Future[T] = Future()
        with self._cond:
            if self.refusal is not None:
                raise self.refusal
            if self._closed:
                raise StorageClosed(self._folder)
            self._jobs.append(_Job(fn, future))
            self._cond.notify()
        return future

    def call(self, fn: Callable[[Database], T]) -> T:
        _not_on_gui_thread()
        return self.submit(fn).result()

    def flush(self) -> None:
        """Wait until every write queued so far is made (nothing to wait for when writes are refused)."""
        if self.refusal is None:
            self.call(lambda db: None)

    def close(self) -> None:
        """Let queued writes finish for up to ``close_timeout_s``; those still queued then fail with
        StorageClosed (their callers see it). Never hangs, and nothing new starts afterwards."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        if threading.current_thread() is self._thread:
            return
        self._thread.join(self._close_timeout_s)
        if not self._thread.is_alive():
            return
        with self._cond:
            stranded = list(self._jobs)
            self._jobs.clear()
        for job in stranded:
            if job.future.set_running_or_notify_cancel():
                job.future.set_exception(StorageClosed(self._folder))
        log.warning(
            "history writer still busy after %.1f s; %d writes not made", self._close_timeout_s, len(stranded)
        )

    def _run(self, opener: Callable[[], Opened], ready: Future[Opened]) -> None:
        try:
            opened = opener()
        except BaseException as exc:  # handed to the constructor
            ready.set_exception(exc)
            return
        ready.set_result(opened)
        db = opened.db
        if db is None:
            return
        try:
            while (job := self._next()) is not None:
                self._execute(db, job)
        finally:
            db.close()

    def _next(self) -> _Job | None:
        with self._cond:
            while not self._jobs and not self._closed:
                self._cond.wait()
            return self._jobs.popleft() if self._jobs else None

    def _execute(self, db: Database, job: _Job) -> None:
        if not job.future.set_running_or_notify_cancel():
            return
        try:
            with immediate(db):
                result = job.fn(db)
        except sqlite3.OperationalError as exc:  # locked past the timeout, disk full...: a known error
            job.future.set_exception(unavailable(self._folder, exc))
        except BaseException as exc:  # handed to the caller through the future
            job.future.set_exception(exc)
        else:
            job.future.set_result(result)


class _Tally:
    """How many reader connections are open (kept apart from Readers so no cycle holds one)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.open = 0

    def add(self, delta: int) -> None:
        with self._lock:
            self.open += delta


class _Owned:
    """A reader connection held in its thread's ``threading.local``: when that thread ends, the
    local value is dropped on that thread, and the connection is closed there."""

    def __init__(self, db: Database, tally: _Tally):
        self.db: Database | None = db
        self._tally = tally
        tally.add(+1)

    def close(self) -> None:
        db, self.db = self.db, None
        if db is not None:
            try:
                db.close()
            except sqlite3.Error:  # plain try: this also runs from __del__ late at interpreter exit
                pass
            self._tally.add(-1)

    def __del__(self) -> None:
        self.close()


class Readers:
    """One read connection per thread, opened on first use and closed by that same thread: when it
    ends, or on its next use after ``close()``. ``close()`` never touches another thread's one."""

    def __init__(
        self,
        path: Path,
        *,
        busy_timeout_s: float = BUSY_TIMEOUT_S,
        read_only: bool = False,
        immutable: bool = False,
    ):
        self._path = path
        self._busy_timeout_s = busy_timeout_s
        self._read_only = read_only
        self._immutable = immutable
        self._local = threading.local()
        self._tally = _Tally()
        self._closed = False

    def get(self) -> Database:
        _not_on_gui_thread()
        owned: _Owned | None = getattr(self._local, "owned", None)
        if self._closed:
            self.release()
            raise StorageClosed(self._path.parent)
        if owned is None or owned.db is None:
            owned = _Owned(self._open(), self._tally)
            self._local.owned = owned
        return owned.db  # type: ignore[return-value]  # a connection just opened is never None

    def release(self) -> None:
        """Close this thread's connection now (a long-lived thread that is done reading may call it)."""
        owned: _Owned | None = getattr(self._local, "owned", None)
        if owned is not None:
            owned.close()
            self._local.owned = None

    def close(self) -> None:
        self._closed = True
        self.release()

    @property
    def open_count(self) -> int:
        """Reader connections open now, over all threads."""
        return self._tally.open

    def _open(self) -> Database:
        return connect(
            self._path,
            busy_timeout_s=self._busy_timeout_s,
            read_only=self._read_only,
            immutable=self._immutable,
        )


class _Reading:
    """What both storages share: this thread's read connection and a warning the user dismisses."""

    readers: Readers
    warning: str | None

    def read(self) -> Database:
        """This thread's read connection (do not hand it to another thread)."""
        return self.readers.get()

    @contextlib.contextmanager
    def reading(self) -> Iterator[Database]:
        yield self.readers.get()

    def dismiss_warning(self) -> None:
        self.warning = None


class Storage(_Reading):
    """The opened database shared by the stores: its writer thread and reader connections.
    ``warning`` (a damaged file kept aside, a newer version's file) stays until ``dismiss_warning``.
    ``only_read`` (the reason ``open_checked`` gave, e.g. a read-only folder): the file is read as it
    is and every write raises that reason (``writer.refusal``); raises it if the file cannot be read."""

    def __init__(
        self,
        path: Path,
        *,
        busy_timeout_s: float = BUSY_TIMEOUT_S,
        close_timeout_s: float = CLOSE_TIMEOUT_S,
        only_read: HistoryUnavailable | None = None,
    ):
        self.path = path
        self.unavailable: HistoryUnavailable | None = None
        if only_read is None:
            opener = lambda: open_checked(path, busy_timeout_s)  # noqa: E731
        else:
            opener = lambda: open_read_only(path, only_read, busy_timeout_s)  # noqa: E731
        self.writer = Writer(opener, folder=path.parent, close_timeout_s=close_timeout_s)
        opened = self.writer.opened
        self.warning: str | None = opened.warning
        self.read_only = opened.read_only
        self.readers = Readers(
            path, busy_timeout_s=busy_timeout_s, read_only=self.read_only, immutable=opened.immutable
        )

    def close(self) -> None:
        self.writer.close()
        self.readers.close()


class _RefusingWriter:
    """The writer of an offline store: every write is refused with the reason the history is unusable."""

    def __init__(self, reason: HistoryUnavailable):
        self._reason = reason
        self.refusal: HistoryUnavailable | None = reason

    def submit(self, fn: Callable[[Database], T]) -> Future[T]:
        raise self._reason

    def call(self, fn: Callable[[Database], T]) -> T:
        _not_on_gui_thread()
        raise self._reason

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass


class _EmptyReaders(Readers):
    """Per-thread in-memory databases with the schema and no rows: built-in endpoints, no overrides."""

    def _open(self) -> Database:
        db = Database(sqlite3.connect(":memory:"), execute_plugins=False)
        migrate(db)
        return db


class OfflineStorage(_Reading):
    """Stands in for Storage when the data folder is unusable: reads see an empty history, writes
    raise the reason (``unavailable``), which is also the ``warning`` to show."""

    read_only = True

    def __init__(self, reason: HistoryUnavailable):
        self.path = reason.folder
        self.unavailable: HistoryUnavailable | None = reason
        self.warning: str | None = reason.error.message
        self.writer = _RefusingWriter(reason)
        self.readers = _EmptyReaders(reason.folder / "history.db")

    def close(self) -> None:
        self.readers.close()
