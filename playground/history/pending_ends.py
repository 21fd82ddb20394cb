"""How a call ended, kept in a file beside the history until the history has it.

The provider has billed a call by the time it ends, so its end must survive a history that cannot
take the write now: another program holding the lock past the busy timeout, or the app quitting
(its bounded wait expires while the write still queues). ``finish_call`` writes the end here first,
makes the row, then deletes the file; a file left behind is merged at the next start, or after the
next call this process records. Merging is idempotent: a row already ended is left as it is, so two
processes merging the same file never count a call twice in the daily rollups.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from playground.history.rollups import add_calls, rebuild_days, to_pico

if TYPE_CHECKING:
    from playground.history.calls import CallEnd

log = logging.getLogger(__name__)
FOLDER = "pending"
_DECIMALS = ("cost_usd", "cost_input_usd", "cost_output_usd")
_FLAGS = ("input_estimated", "output_estimated", "cost_estimated")


class EndKeptAside(Exception):
    """The history could not take a call's end (``cause``); the end is kept in ``path`` instead."""

    def __init__(self, cause: BaseException, path: Path):
        super().__init__(str(cause))
        self.cause = cause
        self.path = path


@dataclass(frozen=True)
class Pending:
    """One end waiting in its file: the row it belongs to (by uid) and its columns."""

    uid: str
    end: CallEnd
    path: Path


class PendingEnds:
    """The ``pending`` folder beside the history: one JSON file per call end not yet recorded."""

    def __init__(self, folder: Path):
        self.folder = folder

    def keep(self, uid: str, end: CallEnd) -> Path | None:
        """Write the end to its file (atomically: a kill leaves a whole file or none). None when the
        folder cannot take it either (a full disk): the write to the history is still tried."""
        path = self.folder / f"{uid}.json"
        temp = path.with_suffix(".part")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temp.write_text(json.dumps({"uid": uid, "end": _to_json(end)}, ensure_ascii=False), "utf-8")
            os.replace(temp, path)
        except OSError as exc:
            log.warning("the end of call %s could not be kept aside: %s", uid, exc)
            temp.unlink(missing_ok=True)
            return None
        return path

    def waiting(self) -> list[Pending]:
        """The ends waiting, oldest file first; a file that cannot be read is left where it is."""
        try:
            paths = sorted(self.folder.glob("*.json"), key=lambda p: p.stat().st_mtime)
        except OSError:  # no folder (the common case), or one that cannot be listed
            return []
        found = []
        for path in paths:
            try:
                data = json.loads(path.read_text("utf-8"))
                found.append(Pending(str(data["uid"]), _from_json(data["end"]), path))
            except (OSError, ValueError, KeyError, TypeError) as exc:
                log.warning("a pending call end in %s cannot be read, left there: %s", path, exc)
        return found

    def set_aside(self, path: Path) -> None:
        """An end whose row is not in this history: kept under ``unmatched``, never deleted."""
        try:
            (self.folder / "unmatched").mkdir(exist_ok=True)
            os.replace(path, self.folder / "unmatched" / path.name)
        except OSError as exc:
            log.warning("a call end with no row here could not be set aside (%s): %s", path, exc)
        log.warning("a kept call end has no row in this history; it stays in %s", self.folder / "unmatched")

    @staticmethod
    def done(path: Path) -> None:
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:  # merged already; the next merge finds the row ended and retries this
            log.warning("a merged call end could not be removed (%s): %s", path, exc)


def end_columns(end: CallEnd) -> dict[str, Any]:
    """The calls row's columns for an end."""
    row = asdict(end)
    row["ended_at"] = end.ended_at.astimezone(UTC).isoformat(timespec="milliseconds")
    for key in _DECIMALS:
        row[key] = None if row[key] is None else str(row[key])
    for key in _FLAGS:
        row[key] = int(row[key])
    row["cost_pusd"] = to_pico(end.cost_usd)
    return row


class Applied(Enum):
    MERGED = "merged"
    ENDED = "ended already"  # recorded before (another process merged the same file)
    NO_ROW = "no such row"


def apply_end(db: Database, where: str, key: int | str, end: CallEnd) -> Applied:
    """End the row ``where`` (``id`` or ``uid``) = key, inside the caller's transaction, unless it has
    ended already: a running row is counted into its day; a row the next start marked interrupted
    (and counted) is recounted."""
    found = list(db.query(f"select id, status, started_at from calls where {where} = ?", [key]))
    if not found:
        return Applied.NO_ROW
    row = found[0]
    if row["status"] not in ("running", "interrupted"):
        return Applied.ENDED
    db.table("calls").update(row["id"], end_columns(end))
    if row["status"] == "running":
        add_calls(db, db.query("select * from calls where id = ?", [row["id"]]))
    else:
        rebuild_days(db, [row["started_at"][:10]])
    return Applied.MERGED


def _to_json(end: CallEnd) -> dict[str, Any]:
    data = asdict(end)
    data["ended_at"] = end.ended_at.isoformat()
    for key in _DECIMALS:
        data[key] = None if data[key] is None else str(data[key])
    return data


def _from_json(data: dict[str, Any]) -> CallEnd:
    from playground.history.calls import CallEnd

    known = {f.name for f in fields(CallEnd)}
    values = {k: v for k, v in data.items() if k in known}
    values["ended_at"] = datetime.fromisoformat(values["ended_at"])
    for key in _DECIMALS:
        if values.get(key) is not None:
            values[key] = Decimal(values[key])
    return CallEnd(**values)
