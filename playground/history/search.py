"""A page of search results, newest first, without reading every match (a keystroke on a million calls).

The full-text index walks matches in rowid order, and rowids grow with start time for calls made
here. So: take the K newest matches by rowid, keep those the other filters pass, and prove no older
rowid can start later than the page's last row (one index range check). If the proof fails, K grows;
once every match was read the answer is exact by construction. A history whose rowids do not follow
time when scrolling (an import of older calls) makes ``search_page`` answer None: the caller then
runs the plain query, exact but slower.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlite_utils import Database

from playground.history.filters import Filters, fts_query
from playground.history.records import CallRecord, from_row

FIRST_K = 2048  # matches read first; enough for a page when a quarter of the calls match
GROWTH = 4


def search_page(
    db: Database, filters: Filters, after: tuple[str, int] | None, limit: int
) -> list[CallRecord] | None:
    """The page ``HistoryStore.page`` would return for ``filters`` (which search), or None when this
    history's order does not allow the shortcut."""
    match = fts_query(filters.search or "")
    where, args = replace(filters, search=None).where()
    cursor, below = _bound(db, filters, after)
    if cursor is not None and below is not None and _later_rowid_older(db, cursor, below):
        return None  # rows past the bound's rowid start before it: the rowid bound would miss them
    start, above = _floor(db, filters)
    if start is not None and above is not None and _earlier_rowid_newer(db, start, above):
        return None
    k = FIRST_K
    while True:
        fts = "select rowid from calls_fts where calls_fts match ?"
        fts_args: list[Any] = [match]
        if below is not None:
            fts += " and rowid < ?"
            fts_args.append(below)
        if above is not None:
            fts += " and rowid >= ?"
            fts_args.append(above)
        fts += " order by rowid desc limit ?"
        fts_args.append(k)
        read, lowest = db.execute(f"select count(*), min(rowid) from ({fts})", fts_args).fetchone()
        clauses = [where.removeprefix("where ")] if where else []
        extra: list[Any] = list(args)
        if after is not None:
            clauses.append("(started_at, id) < (?, ?)")
            extra += list(after)
        clauses.append(f"id in ({fts})")
        sql = f"select * from calls where {' and '.join(clauses)} order by started_at desc, id desc limit ?"
        rows = list(db.query(sql, [*extra, *fts_args, limit]))
        if read < k:
            return [from_row(r) for r in rows]  # every match was read: exact
        if len(rows) == limit and not _older_rowid_later(db, rows[-1], after, lowest):
            return [from_row(r) for r in rows]  # no unread match can sort above the last row
        k *= GROWTH


def _older_rowid_later(
    db: Database, last: dict[str, Any], after: tuple[str, int] | None, lowest: int
) -> bool:
    """Is there a call with a rowid below ``lowest`` (not read yet) that sorts above ``last``?"""
    sql = "select 1 from calls where (started_at, id) > (?, ?) and id < ?"
    args: list[Any] = [last["started_at"], last["id"], lowest]
    if after is not None:
        sql += " and (started_at, id) < (?, ?)"
        args += list(after)
    return db.execute(sql + " limit 1", args).fetchone() is not None


def _bound(
    db: Database, filters: Filters, after: tuple[str, int] | None
) -> tuple[tuple[str, int] | None, int | None]:
    """Where the page ends at the top: the (started_at, id) every row sorts below (the scroll cursor,
    else the end of the last day), and the rowid the matches are read below (None: no bound)."""
    if after is not None:
        return after, after[1]
    end = filters.before()
    if end is None:
        return None, None
    first = db.execute(
        "select id from calls where started_at >= ? order by started_at, id limit 1", [end]
    ).fetchone()
    return ((end, 0), first[0]) if first else (None, None)


def _floor(db: Database, filters: Filters) -> tuple[str | None, int | None]:
    """Where the matches end at the bottom: the first instant of the first day shown, and the lowest
    rowid starting then or later (None: no bound)."""
    start = filters.from_()
    if start is None:
        return None, None
    first = db.execute(
        "select id from calls where started_at >= ? order by started_at, id limit 1", [start]
    ).fetchone()
    return (start, first[0]) if first else (None, None)


def _earlier_rowid_newer(db: Database, start: str, above: int) -> bool:
    """Is there a call below rowid ``above`` that starts at or after ``start`` (the rowid floor would
    hide it)? Walks the smaller side: the rowids below the floor, or the calls since ``start``."""
    newest = db.execute("select max(id) from calls").fetchone()[0] or 0
    if above < newest - above:  # rowids are dense: fewer rows below the floor than after it
        sql = "select 1 from calls where id < ? and +started_at >= ? limit 1"
    else:
        sql = "select 1 from calls where +id < ? and started_at >= ? limit 1"
    return db.execute(sql, [above, start]).fetchone() is not None


def _later_rowid_older(db: Database, cursor: tuple[str, int], below: int) -> bool:
    """Is there a call at or above rowid ``below`` that sorts below ``cursor`` (so the rowid bound
    would hide it)? Walks the rowids above the bound (+started_at: not the time index)."""
    sql = "select 1 from calls where id >= ? and (+started_at, id) < (?, ?) limit 1"
    return db.execute(sql, [below, *cursor]).fetchone() is not None
