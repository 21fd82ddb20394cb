"""Evaluation runs in the history database (m014): the run, and each finished cell with its call.

Writes go through the history writer (BEGIN IMMEDIATE); a cell is saved as soon as its call ends,
so a run killed half-way keeps every finished cell and a resume skips them.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlite_utils import Database

from playground.eval.checks import Outcome
from playground.history.storage import OfflineStorage, Storage

RUNNING, DONE, CANCELLED = "running", "done", "cancelled"


@dataclass(frozen=True)
class CellResult:
    case: int
    column: int
    repeat: int
    call_id: int | None
    status: str  # the call's: ok, error
    passed: bool
    outcomes: tuple[Outcome, ...]
    cost_usd: Decimal | None
    ttft_ms: float | None
    duration_ms: float | None
    error: str = ""

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.case, self.column, self.repeat)


@dataclass(frozen=True)
class RunInfo:
    id: str
    suite: str
    fingerprint: str
    columns: tuple[str, ...]
    started_at: str
    status: str


class RunNotFound(LookupError):
    pass


class EvalStore:
    def __init__(self, storage: Storage | OfflineStorage):
        self._storage = storage

    def new_run(self, suite: str, fingerprint: str, columns: list[str]) -> RunInfo:
        info = RunInfo(
            uuid.uuid4().hex[:12], suite, fingerprint, tuple(columns), datetime.now(UTC).isoformat(), RUNNING
        )
        self._storage.writer.call(
            lambda db: db.execute(
                "insert into eval_runs (id, suite, fingerprint, columns, started_at, status)"
                " values (?, ?, ?, ?, ?, ?)",
                [info.id, suite, fingerprint, json.dumps(columns), info.started_at, RUNNING],
            )
        )
        return info

    def run(self, run_id: str) -> RunInfo:
        row = (
            self._storage.read()
            .execute(
                "select id, suite, fingerprint, columns, started_at, status from eval_runs where id = ?",
                [run_id],
            )
            .fetchone()
        )
        if row is None:
            raise RunNotFound(run_id)
        return RunInfo(row[0], row[1], row[2], tuple(json.loads(row[3])), row[4], row[5])

    def unfinished(self, fingerprint: str) -> str | None:
        """The newest run of this suite version that did not finish (cancelled or killed), if any."""
        row = (
            self._storage.read()
            .execute(
                "select id from eval_runs where fingerprint = ? and status != ?"
                " order by started_at desc limit 1",
                [fingerprint, DONE],
            )
            .fetchone()
        )
        return None if row is None else str(row[0])

    def set_status(self, run_id: str, status: str) -> None:
        self._storage.writer.call(
            lambda db: db.execute("update eval_runs set status = ? where id = ?", [status, run_id])
        )

    @property
    def storage(self) -> Storage | OfflineStorage:
        return self._storage

    def save_cell(self, run_id: str, cell: CellResult) -> None:
        """Save (or replace) a cell's result. A person's grade of the cell goes with the answer it
        judged: a re-run's new answer is never shown under the old answer's grade."""

        def write(db: Database) -> None:
            db.execute(
                "insert or replace into eval_cells (run_id, case_index, column_index, repeat, call_id,"
                " status, passed, outcomes, cost_usd, ttft_ms, duration_ms) values (?,?,?,?,?,?,?,?,?,?,?)",
                [
                    run_id,
                    cell.case,
                    cell.column,
                    cell.repeat,
                    cell.call_id,
                    cell.status,
                    int(cell.passed),
                    json.dumps(
                        {
                            "error": cell.error,
                            "checks": [[o.check, o.passed, o.detail] for o in cell.outcomes],
                        }
                    ),
                    None if cell.cost_usd is None else str(cell.cost_usd),
                    cell.ttft_ms,
                    cell.duration_ms,
                ],
            )
            db.execute(
                "delete from eval_grades where run_id = ? and case_index = ? and column_index = ?"
                " and repeat = ?",
                [run_id, cell.case, cell.column, cell.repeat],
            )

        self._storage.writer.call(write)

    def cells(self, run_id: str) -> list[CellResult]:
        rows = (
            self._storage.read()
            .execute(
                "select case_index, column_index, repeat, call_id, status, passed, outcomes, cost_usd,"
                " ttft_ms, duration_ms from eval_cells where run_id = ?"
                " order by column_index, case_index, repeat",
                [run_id],
            )
            .fetchall()
        )
        out = []
        for r in rows:
            saved = json.loads(r[6])
            outcomes = tuple(Outcome(c, bool(p), d) for c, p, d in saved["checks"])
            cost = None if r[7] is None else Decimal(r[7])
            out.append(
                CellResult(
                    r[0], r[1], r[2], r[3], r[4], bool(r[5]), outcomes, cost, r[8], r[9], saved["error"]
                )
            )
        return out
