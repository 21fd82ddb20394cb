"""The imported bills (migration m012): billed cost and usage per UTC day, provider and model, which
days each kind covers, and a log of imports.

Costs are integer picodollars, like the rollups (``history.rollups.to_pico``), so sums are exact.
Every write goes through the history writer (BEGIN IMMEDIATE). A page replaces its days for its
provider, so importing a range again never counts anything twice; an import that stopped (cancel,
error, a killed process) keeps the pages it stored and the next one for the same range resumes after
the last stored day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlite_utils import Database

from playground.bills.model import BilledCost, BilledUsage, Kind, Page, Provider, Source, day_range
from playground.history.rollups import from_pico, to_pico
from playground.history.storage import OfflineStorage, Storage

RUNNING, DONE, FAILED = "running", "done", "failed"


@dataclass(frozen=True)
class ImportState:
    id: int
    provider: Provider
    first: date
    last: date
    resume: dict[Kind, date]  # the first day still to fetch, per kind

    @property
    def resumed(self) -> bool:
        return any(day > self.first for day in self.resume.values())


@dataclass(frozen=True)
class ImportLog:
    provider: str
    first_day: str
    last_day: str
    fetched_at: str
    source: str
    file_name: str | None
    status: str


@dataclass(frozen=True)
class BilledDay:
    """What the provider billed for one UTC day and model (base model name; snapshots summed)."""

    day: str
    provider: str
    model: str
    cost: Decimal
    input_tokens: int | None
    output_tokens: int | None


class BillStore:
    def __init__(self, storage: Storage | OfflineStorage):
        self._storage = storage

    # --- imports from an admin API, page by page -------------------------------------------------

    def begin(self, provider: Provider, first: date, last: date) -> ImportState:
        """Start an import of [first, last], or resume the unfinished one of the same range."""

        def write(db: Database) -> ImportState:
            row = db.execute(
                "select id, costs_done, usage_done from bill_imports where provider = ? and first_day = ?"
                " and last_day = ? and source = ? and status != ? order by id desc limit 1",
                [provider.value, first.isoformat(), last.isoformat(), Source.API.value, DONE],
            ).fetchone()
            if row is None:
                cursor = db.execute(
                    "insert into bill_imports (provider, first_day, last_day, fetched_at, source, status)"
                    " values (?, ?, ?, ?, ?, ?)",
                    [provider.value, first.isoformat(), last.isoformat(), _now(), Source.API.value, RUNNING],
                )
                return ImportState(
                    int(cursor.lastrowid or 0), provider, first, last, dict.fromkeys(Kind, first)
                )
            db.execute("update bill_imports set status = ? where id = ?", [RUNNING, row[0]])
            resume = {
                kind: date.fromisoformat(done) + timedelta(days=1) if done else first
                for kind, done in ((Kind.COSTS, row[1]), (Kind.USAGE, row[2]))
            }
            return ImportState(int(row[0]), provider, first, last, resume)

        return self._storage.writer.call(write)

    def save_page(self, state: ImportState, page: Page) -> None:
        """Replace the page's days with its rows, and note them as done, in one transaction."""

        def write(db: Database) -> None:
            _replace(db, state.provider, page.kind, page.days, page.costs, page.usage, state.id)
            if page.days:
                column = "costs_done" if page.kind is Kind.COSTS else "usage_done"
                db.execute(
                    f"update bill_imports set {column} = max(coalesce({column}, ''), ?), fetched_at = ?"
                    " where id = ?",
                    [max(page.days), _now(), state.id],
                )

        self._storage.writer.call(write)

    def finish(self, state: ImportState, ok: bool) -> None:
        self._storage.writer.call(
            lambda db: db.execute(
                "update bill_imports set status = ? where id = ?", [DONE if ok else FAILED, state.id]
            )
        )

    # --- a console CSV, all at once ------------------------------------------------------------

    def replace_file(
        self,
        provider: Provider,
        days: Iterable[str],
        costs: Iterable[BilledCost],
        usage: Iterable[BilledUsage],
        file_name: str,
    ) -> None:
        """Store a whole file in one transaction (nothing if it fails). It covers every day from its first
        to its last (an export lists only days with costs): those days replace older figures."""
        seen = sorted(set(days))
        days = day_range(date.fromisoformat(seen[0]), date.fromisoformat(seen[-1]))
        costs, usage = tuple(costs), tuple(usage)

        def write(db: Database) -> None:
            cursor = db.execute(
                "insert into bill_imports (provider, first_day, last_day, fetched_at, source, file_name,"
                " status) values (?, ?, ?, ?, ?, ?, ?)",
                [provider.value, days[0], days[-1], _now(), Source.CSV.value, file_name, DONE],
            )
            import_id = int(cursor.lastrowid or 0)
            _replace(db, provider, Kind.COSTS, tuple(days), costs, (), import_id)
            if usage:
                _replace(db, provider, Kind.USAGE, tuple(days), (), usage, import_id)

        self._storage.writer.call(write)

    # --- reading ----------------------------------------------------------------------------------

    def billed(self, first: date, last: date) -> list[BilledDay]:
        """Billed cost (and tokens where usage was imported) per day, provider and model in the range."""
        db = self._storage.read()
        args = [first.isoformat(), last.isoformat()]
        costs = db.execute(
            "select day, provider, model, cost_pusd from billed_costs where day between ? and ?", args
        ).fetchall()
        usage = db.execute(
            "select day, provider, model, input_tokens, output_tokens from billed_usage"
            " where day between ? and ?",
            args,
        ).fetchall()
        merged: dict[tuple[str, str, str], list[Any]] = defaultdict(lambda: [0, None, None])
        for day, provider, model, pusd in costs:
            merged[(day, provider, model)][0] += pusd
        for day, provider, model, inp, out in usage:
            entry = merged[(day, provider, model)]
            entry[1], entry[2] = (entry[1] or 0) + inp, (entry[2] or 0) + out
        return [
            BilledDay(day, provider, model, from_pico(v[0]), v[1], v[2])
            for (day, provider, model), v in sorted(merged.items())
        ]

    def covered(self, first: date, last: date) -> set[tuple[str, str]]:
        """(provider, day) pairs whose costs were imported: there, no row means $0 billed, not unknown."""
        rows = self._storage.read().execute(
            "select provider, day from billed_days where kind = ? and day between ? and ?",
            [Kind.COSTS.value, first.isoformat(), last.isoformat()],
        )
        return {(p, d) for p, d in rows.fetchall()}

    def imports(self, limit: int = 20) -> list[ImportLog]:
        rows = self._storage.read().execute(
            "select provider, first_day, last_day, fetched_at, source, file_name, status from bill_imports"
            " order by fetched_at desc, id desc limit ?",
            [limit],
        )
        return [ImportLog(*row) for row in rows.fetchall()]


def _replace(
    db: Database,
    provider: Provider,
    kind: Kind,
    days: tuple[str, ...],
    costs: Iterable[BilledCost],
    usage: Iterable[BilledUsage],
    import_id: int,
) -> None:
    table = "billed_costs" if kind is Kind.COSTS else "billed_usage"
    for day in days:
        db.execute(f"delete from {table} where provider = ? and day = ?", [provider.value, day])
        db.execute(
            "insert or replace into billed_days (day, provider, kind, import_id) values (?, ?, ?, ?)",
            [day, provider.value, kind.value, import_id],
        )
    if kind is Kind.COSTS:
        summed: dict[tuple[str, str], int] = defaultdict(int)
        for c in costs:
            summed[(c.day, c.model)] += to_pico(c.cost) or 0
        db.conn.executemany(
            "insert into billed_costs (day, provider, model, cost_pusd) values (?, ?, ?, ?)",
            [(d, provider.value, m, v) for (d, m), v in summed.items()],
        )
        return
    tokens: dict[tuple[str, str], list[Any]] = defaultdict(lambda: [0, 0, 0, None])
    for u in usage:
        t = tokens[(u.day, u.model)]
        t[0] += u.input_tokens
        t[1] += u.cached_input_tokens
        t[2] += u.output_tokens
        if u.requests is not None:
            t[3] = (t[3] or 0) + u.requests
    db.conn.executemany(
        "insert into billed_usage (day, provider, model, input_tokens, cached_input_tokens, output_tokens,"
        " requests) values (?, ?, ?, ?, ?, ?, ?)",
        [(d, provider.value, m, *v) for (d, m), v in tokens.items()],
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
