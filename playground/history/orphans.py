"""Rows left 'running' by a process that is gone (a crash, a kill): found by their process id and
marked ``interrupted``, counted into the daily rollups like any finished call."""

from __future__ import annotations

import os
import sys

from sqlite_utils import Database

from playground.history.rollups import add_calls


def dead_running(db: Database) -> list[int | None]:
    """Pids of rows still 'running' whose process is gone (read first: most starts have none, and
    need not queue for the write lock behind other processes)."""
    pids = [r["pid"] for r in db.query("select distinct pid from calls where status = 'running'")]
    return [pid for pid in pids if pid is None or pid == os.getpid() or not pid_alive(pid)]


def mark_orphans(db: Database) -> list[int]:
    """Rows still 'running' whose process is gone were cut off by a crash or a kill; their ids."""
    marked: list[int] = []
    for pid in dead_running(db):
        ids = [r["id"] for r in db.query("select id from calls where status = 'running' and pid is ?", [pid])]
        db.execute(
            "update calls set status = 'interrupted', error_message = ? "
            "where status = 'running' and pid is ?",
            ["The app stopped before this call ended.", pid],
        )
        for call_id in ids:
            add_calls(db, db.query("select * from calls where id = ?", [call_id]))
        marked.extend(ids)
    return marked


def pid_alive(pid: int) -> bool:
    if sys.platform == "win32":
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)
        if handle:
            ctypes.windll.kernel32.CloseHandle(handle)
            return True
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
