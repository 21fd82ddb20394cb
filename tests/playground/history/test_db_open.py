"""Opening the history never harms it: busy, unusable or newer files are left exactly as they were;
only a file proven corrupt is moved aside, never over another file."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from playground.core import build_core, build_offline_core, build_read_only_core
from playground.history.calls import CallStart, HistoryStore
from playground.history.storage import HistoryReadOnly, HistoryUnavailable, Storage
from playground.llm.request import Request


def snapshot(folder: Path) -> dict[str, str]:
    """Every file in the folder with the sha256 of its bytes."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()
    }


def a_history(path: Path, calls: int = 3) -> None:
    storage = Storage(path)
    history = HistoryStore(storage)
    for i in range(calls):
        history.start_call(CallStart(Request.single("openai", "gpt-4o", f"call {i}"), "openai", None, {}))
    storage.close()


@contextlib.contextmanager
def tmpfs(where: Path, options: str):
    """A small mounted filesystem (root only); the test is skipped where mounting is not allowed."""
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_two_corrupt_files_in_the_same_second_are_both_kept_with_their_wal_and_shm(tmp_path):
    path = tmp_path / "history.db"
    kept_bytes = []
    for n in range(2):
        body = f"not a database, number {n} ".encode() * 200
        path.write_bytes(body)
        (tmp_path / "history.db-wal").write_bytes(b"wal %d" % n)
        (tmp_path / "history.db-shm").write_bytes(b"shm %d" % n)
        kept_bytes.append(body)
        storage = Storage(path)
        assert storage.warning and "kept as" in storage.warning
        storage.close()
    mains = sorted(
        p for p in tmp_path.iterdir() if ".damaged-" in p.name and not p.name.endswith(("-wal", "-shm"))
    )
    assert len(mains) == 2
    assert sorted(p.read_bytes() for p in mains) == sorted(kept_bytes)
    for main in mains:
        n = main.read_bytes().split(b"number ")[1][:1]
        assert Path(f"{main}-wal").read_bytes() == b"wal " + n
        assert Path(f"{main}-shm").exists()  # an index SQLite rebuilds: moved along, bytes its own
    storage = Storage(path)
    assert HistoryStore(storage).count() == 0
    storage.close()


def test_a_malformed_database_confirmed_by_quick_check_is_moved_and_says_where(tmp_path):
    path = tmp_path / "history.db"
    a_history(path, calls=200)
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data) - page, page):  # scribble over every page after the schema
        data[offset : offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    with contextlib.closing(sqlite3.connect(path)) as probe:
        try:
            assert probe.execute("pragma quick_check").fetchone()[0] != "ok"
        except sqlite3.DatabaseError as exc:
            assert "malformed" in str(exc)
    storage = Storage(path)
    (aside,) = [
        p for p in tmp_path.iterdir() if ".damaged-" in p.name and not p.name.endswith(("-wal", "-shm"))
    ]
    assert aside.read_bytes() == bytes(data)
    assert storage.warning and str(aside) in storage.warning
    storage.close()


def test_a_locked_database_is_an_error_that_moves_and_changes_nothing(tmp_path):
    path = tmp_path / "history.db"
    a_history(path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("pragma journal_mode=delete")  # a rollback journal: an exclusive lock stops readers
    holder.execute("begin exclusive")
    before = snapshot(tmp_path)
    started = time.monotonic()
    with pytest.raises(HistoryUnavailable) as raised:
        Storage(path, busy_timeout_s=0.3)
    assert time.monotonic() - started < 5
    holder.execute("rollback")
    holder.close()
    assert "locked" in raised.value.cause and str(tmp_path) in str(raised.value)
    assert snapshot(tmp_path) == before


def test_a_write_that_waits_past_the_timeout_is_a_known_error_not_a_traceback(tmp_path):
    path = tmp_path / "history.db"
    storage = Storage(path, busy_timeout_s=0.2)
    history = HistoryStore(storage)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("begin immediate")
    with pytest.raises(HistoryUnavailable, match="locked"):
        history.start_call(CallStart(Request.single("openai", "gpt-4o", "hi"), "openai", None, {}))
    holder.execute("rollback")
    holder.close()
    assert history.count() == 0
    storage.close()


def test_a_history_from_a_newer_version_is_read_but_its_bytes_never_change(tmp_path):
    path = tmp_path / "history.db"
    a_history(path)
    with sqlite3.connect(path) as db:
        db.execute(
            "insert into _sqlite_migrations (migration_set, name, applied_at) values (?, ?, ?)",
            ["llm-playground", "m099_from_the_future", "2030-01-01"],
        )
    db.close()
    before = snapshot(tmp_path)
    storage = Storage(path)
    assert storage.read_only
    assert storage.warning and "newer version" in storage.warning and "\n" not in storage.warning
    history = HistoryStore(storage)
    assert history.count() == 3
    with pytest.raises(HistoryReadOnly):
        history.start_call(CallStart(Request.single("openai", "gpt-4o", "hi"), "openai", None, {}))
    storage.close()
    after = snapshot(tmp_path)
    assert {name: after.get(name) for name in before} == before
    assert set(after) - set(before) <= {"history.db-wal", "history.db-shm"}  # SQLite's empty side files


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_the_data_folder_and_database_files_are_private(tmp_path):
    old = os.umask(0o022)
    try:
        home = tmp_path / "new" / "home"
        core = build_core(home, keyring_backend=None, environ={})
        core.history.start_call(CallStart(Request.single("openai", "gpt-4o", "hi"), "openai", None, {}))
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in home.iterdir()}
        core.close()
    finally:
        os.umask(old)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert {name: modes[name] for name in ("history.db", "history.db-wal", "history.db-shm")} == {
        "history.db": 0o600,
        "history.db-wal": 0o600,
        "history.db-shm": 0o600,
    }


def test_a_file_in_the_way_of_the_folder_gives_one_clear_error_and_an_offline_core(tmp_path, encodings):
    blocker = tmp_path / "home"
    blocker.write_text("I am a file")
    with pytest.raises(HistoryUnavailable) as raised:
        build_core(blocker, keyring_backend=None, environ={}, encodings=encodings)
    assert str(blocker) in str(raised.value) and "file is in the way" in str(raised.value)
    assert blocker.read_text() == "I am a file"
    assert [p.name for p in tmp_path.iterdir()] == ["home"]

    offline = build_offline_core(raised.value, keyring_backend=None, environ={}, encodings=encodings)
    assert offline.unavailable is raised.value
    assert {"openai", "anthropic"} <= {e.name for e in offline.config.endpoints()}
    assert offline.counter is not None and offline.history.count() == 0
    with pytest.raises(HistoryUnavailable):
        offline.history.start_call(CallStart(Request.single("openai", "gpt-4o", "hi"), "openai", None, {}))
    offline.close()


def test_a_read_only_folder_is_an_error_that_touches_nothing(tmp_path):
    with tmpfs(tmp_path / "ro", "size=1m") as mount:
        home = mount / "home"
        a_history(home / "history.db")
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        before = snapshot(home)
        with pytest.raises(HistoryUnavailable) as raised:
            build_core(home, keyring_backend=None, environ={})
        assert str(home) in str(raised.value) and "cannot be written" in raised.value.cause
        assert snapshot(home) == before


def test_a_read_only_folder_s_history_is_read_as_it_is_and_never_written(tmp_path, encodings):
    with tmpfs(tmp_path / "ro", "size=1m") as mount:
        home = mount / "home"
        a_history(home / "history.db")  # closed cleanly: WAL mode, no -shm, none can be made
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        before = snapshot(home)
        with pytest.raises(HistoryUnavailable) as raised:
            build_core(home, keyring_backend=None, environ={}, encodings=encodings)
        core = build_read_only_core(raised.value, keyring_backend=None, environ={}, encodings=encodings)
        try:
            assert core.storage.read_only and core.unavailable is raised.value
            assert core.history.count() == 3 and len(core.history.recent(search="call")) == 3
            assert core.not_recorded == f"The history is read-only ({home}): calls cannot be recorded."
            call = CallStart(Request.single("openai", "gpt-4o", "hi"), "openai", None, {})
            with pytest.raises(HistoryUnavailable, match="cannot be written"):
                core.history.start_call(call)
        finally:
            core.close()
        assert snapshot(home) == before


def test_a_history_that_cannot_be_read_either_gives_an_offline_core(tmp_path, encodings):
    home = tmp_path / "home"
    home.mkdir()
    reason = HistoryUnavailable(home, "the folder cannot be written")
    core = build_read_only_core(reason, keyring_backend=None, environ={}, encodings=encodings)  # no file
    try:
        assert core.unavailable is reason and core.history.count() == 0
        assert core.not_recorded and "cannot be used" in core.not_recorded
    finally:
        core.close()
    assert list(home.iterdir()) == []


def test_a_full_disk_is_an_error_that_keeps_the_history(tmp_path):
    with tmpfs(tmp_path / "small", "size=2m") as mount:
        home = mount / "home"
        a_history(home / "history.db", calls=12)
        filler = mount / "filler"
        with contextlib.suppress(OSError), filler.open("wb") as out:
            while True:
                out.write(b"\0" * 4096)
                out.flush()
        errors = []
        for _ in range(2):  # twice: a second start must not lose what the first one kept
            try:
                core = build_core(home, keyring_backend=None, environ={})
            except HistoryUnavailable as exc:
                errors.append(exc)
            else:
                try:
                    core.history.start_call(
                        CallStart(Request.single("openai", "gpt-4o", "x" * 9000), "openai", None, {})
                    )
                except HistoryUnavailable as exc:
                    errors.append(exc)
                core.close()
        assert errors, "a full disk went unnoticed"
        assert not [p for p in home.iterdir() if ".damaged-" in p.name]
        filler.unlink()
        storage = Storage(home / "history.db")
        assert HistoryStore(storage).count() >= 12
        storage.close()
        for exc in errors:
            assert str(home) in str(exc)


def test_the_cli_says_in_one_line_which_folder_cannot_be_used_and_why(tmp_path):
    blocker = tmp_path / "home"
    blocker.write_text("I am a file")
    done = subprocess.run(
        [sys.executable, "-m", "playground", "history"],
        cwd=Path(__file__).resolve().parents[3],
        env={**os.environ, "PLAYGROUND_HOME": str(blocker / "sub")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert str(blocker / "sub") in done.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_the_data_folder_is_made_private_and_a_blocked_one_is_left_for_the_core_to_report(tmp_path):
    from playground.paths import HOME_ENV, data_dir

    old = os.umask(0o022)
    try:
        made = data_dir({HOME_ENV: str(tmp_path / "a" / "b")})
    finally:
        os.umask(old)
    assert stat.S_IMODE(made.stat().st_mode) == 0o700
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert data_dir({HOME_ENV: str(blocker)}) == blocker  # no traceback on the GUI thread
    assert blocker.read_text() == "x"


def test_the_log_file_is_private_too(tmp_path):
    from playground.logs import setup_logging

    old = os.umask(0o022)
    try:
        path = setup_logging(tmp_path, logging.WARNING)
    finally:
        os.umask(old)
        for handler in [
            h for h in logging.getLogger().handlers if getattr(h, "baseFilename", "") == str(path)
        ]:
            logging.getLogger().removeHandler(handler)
            handler.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
