"""Opening the history file without harm: busy or unusable is an error that touches nothing;
only proven corruption moves the file aside, under a name that never replaces another file."""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import sqlite3
import stat
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlite_utils import Database

from playground.history.migrations import migrate, pending_migrations, unknown_migrations
from playground.llm.errors import CallError, ErrorKind, PlaygroundError

log = logging.getLogger(__name__)
T = TypeVar("T")

BUSY_TIMEOUT_S = 10.0
SIDE_FILES = ("-wal", "-shm")
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_NO_SHM = frozenset({8, 14})  # READONLY (a folder without write access), CANTOPEN (a read-only mount)
# SQLITE_PERM, BUSY, LOCKED, READONLY, IOERR, FULL, CANTOPEN: the file cannot be used now
_CANNOT_NOW = frozenset({3, 5, 6, 8, 10, 13, 14})
_PRIVATE_DIR = 0o700
_PRIVATE_FILE = 0o600


class HistoryUnavailable(PlaygroundError):
    """The history cannot be used now (busy, read-only, full, blocked...): nothing was moved or changed."""

    def __init__(self, folder: Path, cause: str):
        super().__init__(
            CallError(ErrorKind.HISTORY_UNAVAILABLE, f"The history in {folder} cannot be used: {cause}.")
        )
        self.folder = folder
        self.cause = cause


NEWER_VERSION = "it was written by a newer version of LLM Playground, so it is only read"


class HistoryReadOnly(HistoryUnavailable):
    """A write refused because the history is only read (a newer version's file, a read-only folder)."""

    def __init__(self, folder: Path, cause: str = NEWER_VERSION):
        super().__init__(folder, cause)


class StorageClosed(HistoryUnavailable):
    """A read or write asked for after the store was closed."""

    def __init__(self, folder: Path):
        super().__init__(folder, "the history was already closed")


@dataclass(frozen=True)
class Opened:
    """The writer's connection, and what the user should be told about it (kept until dismissed)."""

    db: Database | None
    warning: str | None = None
    read_only: bool = False
    refusal: HistoryUnavailable | None = None  # why writes are refused, if not a newer version's file
    immutable: bool = False  # read without locks: a WAL file in a folder where its -shm cannot be made


def connect(
    path: Path | str,
    *,
    busy_timeout_s: float = BUSY_TIMEOUT_S,
    read_only: bool = False,
    immutable: bool = False,
) -> Database:
    """A sqlite-utils Database on its own connection, usable only by the thread that opened it."""
    if read_only:
        query = "?mode=ro&immutable=1" if immutable else "?mode=ro"
        conn = sqlite3.connect(Path(path).resolve().as_uri() + query, timeout=busy_timeout_s, uri=True)
    else:
        conn = sqlite3.connect(str(path), timeout=busy_timeout_s)
    return Database(conn, execute_plugins=False)


def open_checked(path: Path, busy_timeout_s: float = BUSY_TIMEOUT_S) -> Opened:
    """Open and migrate ``path``; see the module docstring for what happens when that fails."""
    folder = path.parent
    ensure_private_folder(folder)
    try:
        return _open(path, busy_timeout_s, may_move=True)
    except _KeptAside as kept:
        opened = _open_or_unavailable(path, busy_timeout_s)
        if kept.aside is None:  # another process moved it first: its new file is ours too
            return opened
        log.warning("history database %s is corrupt (%s); moved to %s", path, kept.cause, kept.aside)
        warning = (
            f"The history database could not be read ({kept.cause}). It was kept as {kept.aside} "
            "and a new, empty history was started."
        )
        return Opened(opened.db, warning, opened.read_only)
    except (OSError, sqlite3.DatabaseError) as exc:
        raise HistoryUnavailable(folder, _cause(exc, folder)) from None


def open_read_only(path: Path, reason: HistoryUnavailable, busy_timeout_s: float = BUSY_TIMEOUT_S) -> Opened:
    """For a history ``open_checked`` refused with ``reason`` (a read-only folder): read it without
    writing a byte, writes refused with ``reason``. A history SQLite cannot read, or one that an
    older version left unmigrated (its reads would fail), raises ``reason``."""
    for immutable in (False, True):  # a WAL file needs its -shm, which a read-only folder cannot get
        try:
            db = connect(path, busy_timeout_s=busy_timeout_s, read_only=True, immutable=immutable)
        except sqlite3.Error:
            raise reason from None
        try:
            readable = not unknown_migrations(db) and not pending_migrations(db)
        except sqlite3.OperationalError as exc:
            if _code(exc) in _NO_SHM and not immutable:
                continue
            raise reason from None
        except sqlite3.Error:
            raise reason from None
        finally:
            db.close()
        if not readable:
            raise reason
        return Opened(None, None, read_only=True, refusal=reason, immutable=immutable)
    raise reason  # pragma: no cover - the immutable pass returns or raises


class _KeptAside(Exception):
    def __init__(self, cause: sqlite3.DatabaseError, aside: Path | None):
        super().__init__(str(cause))
        self.cause = cause
        self.aside = aside


def ensure_private_folder(folder: Path) -> None:
    """Create the data folder for this user only (0700); an unusable path is a typed error."""
    if folder.is_dir():
        return
    if folder.exists() or folder.is_symlink():
        raise HistoryUnavailable(folder, "a file is in the way where the folder should be")
    try:
        folder.mkdir(parents=True, mode=_PRIVATE_DIR)
        os.chmod(folder, _PRIVATE_DIR)  # mkdir's mode is cut by the umask
    except FileExistsError:
        if not folder.is_dir():
            raise HistoryUnavailable(folder, "a file is in the way where the folder should be") from None
    except OSError as exc:
        raise HistoryUnavailable(folder, _cause(exc)) from None


def proven_corrupt(exc: sqlite3.DatabaseError, path: Path, busy_timeout_s: float) -> bool:
    """Not a database, or malformed and confirmed by ``PRAGMA quick_check``; busy, full or
    unreadable never counts."""
    code = _code(exc)
    if code == _SQLITE_NOTADB:
        return True  # the header is not SQLite's: quick_check cannot even run
    if code != _SQLITE_CORRUPT:
        return False
    try:
        db = connect(path, busy_timeout_s=busy_timeout_s)
        try:
            rows = db.execute("PRAGMA quick_check").fetchall()
        finally:
            db.close()
    except sqlite3.DatabaseError as again:
        return _code(again) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    return rows != [("ok",)]


def move_aside(path: Path, identity: tuple[int, int] | None = None) -> Path | None:
    """Move a corrupt file and its WAL/SHM to ``<name>.damaged-<time>-<random>``, never over a file.
    Returns None when the file is no longer the corrupt one (another process already moved it)."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for _ in range(100):
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{secrets.token_hex(4)}")
        if not any(Path(f"{aside}{s}").exists() for s in ("", *SIDE_FILES)):
            break
    else:  # pragma: no cover - 100 random collisions
        raise HistoryUnavailable(path.parent, "no free name to keep the damaged file under")
    try:
        if not _move_no_replace(path, aside, identity):
            return None
        for suffix in SIDE_FILES:
            side = Path(f"{path}{suffix}")
            if side.exists():
                _move_no_replace(side, Path(f"{aside}{suffix}"))
    except OSError as exc:
        raise HistoryUnavailable(
            path.parent, f"the damaged file could not be kept aside ({_cause(exc)})"
        ) from None
    return aside


def private_file(path: Path) -> None:
    """Create the database file 0600 before SQLite does (its WAL and SHM copy that mode)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _PRIVATE_FILE))
    except FileExistsError:
        pass


def tighten(path: Path) -> None:
    """Best effort: an existing database readable by others becomes this user's only."""
    if sys.platform == "win32":
        return
    for suffix in ("", *SIDE_FILES):
        with contextlib.suppress(OSError):
            file = Path(f"{path}{suffix}")
            if stat.S_IMODE(file.stat().st_mode) & 0o077:
                os.chmod(file, _PRIVATE_FILE)


def retry_busy(fn: Callable[[], T], timeout_s: float) -> T:
    """Some steps (changing the journal mode) answer 'locked' without waiting: retry until the timeout."""
    deadline = time.monotonic() + timeout_s
    delay = 0.005
    while True:
        try:
            return fn()
        except sqlite3.OperationalError as exc:
            if _code(exc) not in (5, 6) or time.monotonic() > deadline:  # SQLITE_BUSY, SQLITE_LOCKED
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


@contextlib.contextmanager
def immediate(db: Database) -> Iterator[Database]:
    """A write transaction that takes the write lock first, so the busy timeout applies to it."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
        db.conn.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise


def _open(path: Path, busy_timeout_s: float, *, may_move: bool = False) -> Opened:
    private_file(path)
    db = connect(path, busy_timeout_s=busy_timeout_s)
    try:
        if retry_busy(lambda: unknown_migrations(db), busy_timeout_s):
            db.close()  # read, never written: its bytes stay as the newer version left them
            return Opened(None, _newer_warning(path), read_only=True)
        if retry_busy(lambda: db.execute("PRAGMA journal_mode").fetchone()[0], busy_timeout_s) != "wal":
            retry_busy(lambda: db.execute("PRAGMA journal_mode=wal").fetchone(), busy_timeout_s)
        db.execute("PRAGMA synchronous=NORMAL")
        if migrate(db):  # a newer version migrated it between our look and our lock
            db.close()
            return Opened(None, _newer_warning(path), read_only=True)
    except sqlite3.DatabaseError as exc:
        # Moved while this connection is still open: closing it first deletes the -wal and -shm.
        try:
            if may_move and proven_corrupt(exc, path, busy_timeout_s):
                raise _KeptAside(exc, move_aside(path, _identity(path))) from None
        finally:
            db.close()
        raise
    except BaseException:
        db.close()
        raise
    tighten(path)
    return Opened(db)


def _open_or_unavailable(path: Path, busy_timeout_s: float) -> Opened:
    try:
        return _open(path, busy_timeout_s)
    except (OSError, sqlite3.DatabaseError) as exc:
        raise HistoryUnavailable(path.parent, _cause(exc, path.parent)) from None


def _move_no_replace(src: Path, dst: Path, identity: tuple[int, int] | None = None) -> bool:
    """Hard-link then unlink, so an existing ``dst`` is never replaced. False if ``src`` is gone or
    is no longer the file ``identity`` names (another process moved it and started a new one)."""
    try:
        os.link(src, dst)
    except FileNotFoundError:
        return False
    except OSError:  # no hard links here: the random name was checked free just before
        if dst.exists():
            raise FileExistsError(str(dst)) from None
        src.rename(dst)
        return True
    if identity is not None and _identity(dst) != identity:
        dst.unlink()  # only our extra link to someone else's new file
        return False
    src.unlink()
    return True


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def unavailable(folder: Path, exc: sqlite3.OperationalError) -> BaseException:
    """A write that failed because of the file or its lock (not a bug) as HistoryUnavailable."""
    if _code(exc) not in _CANNOT_NOW:
        return exc
    error = HistoryUnavailable(folder, _cause(exc))
    error.__cause__ = exc
    return error


def _newer_warning(path: Path) -> str:
    return (
        f"The history in {path} was written by a newer version of LLM Playground. "
        "It is open read-only: nothing will be recorded until you update."
    )


def _code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return int(code) & 0xFF
    text = str(exc)
    if "not a database" in text:
        return _SQLITE_NOTADB
    if "malformed" in text:
        return _SQLITE_CORRUPT
    return None


def _cause(exc: BaseException, folder: Path | None = None) -> str:
    if folder is not None and _code(exc) in (8, 14) and not os.access(folder, os.W_OK):
        return f"the folder cannot be written (read-only or not yours): {exc}"
    if isinstance(exc, OSError):
        reason = exc.strerror or type(exc).__name__
        return f"{reason} ({exc.filename})" if exc.filename else reason
    return str(exc) or type(exc).__name__
