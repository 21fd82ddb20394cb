"""A page of search results, newest first, without reading every match (a keystroke on a million calls).

The full-text index walks matches in rowid order, and rowids grow with start time for calls made
here. So: take the K newest matches by rowid, keep those the other filters pass, and prove no older
rowid can start later than the page's last row (one index range check). If the proof fails, K grows;
once every match was read the answer is exact by construction. A history whose rowids do not follow
time when scrolling (an import of older calls) makes ``search_page`` answer None: the caller then
runs the plain query, exact but slower.

Words of scripts written without spaces are substrings (search_query.py), which no index finds: the
calls are read newest first over the time index in chunks, until the page is full or a time bound
passes; a page stopped by the bound says from where the older calls are still to be searched
(``SearchPage.resume``), so a rare match never holds a keystroke's answer. With words besides, the
index picks the candidates and the substrings are checked on them, under the same bound.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from playground.history.filters import Filters
from playground.history.records import from_row
from playground.history.search_query import (
    SUBSTRING,
    SearchPage,
    SearchQuery,
    like_pattern,
    parse,
    prefix_token,
    quoted,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

FIRST_K = 2048  # matches read first; enough for a page when a quarter of the calls match
GROWTH = 4
BUDGET_S = 0.05  # a page with substrings stops reading after this long (each keystroke: <= 100 ms)
CHUNK = 4096  # calls a substring scan reads first; the next chunks are sized to the time left
MAX_CHUNK = 262_144
TERMS_BUDGET_S = 0.02  # listing the words a prefix starts stops after this long, or this many: the
MAX_TERMS = 32  # index's own prefix query is read instead


def search_page(
    db: Database, filters: Filters, after: tuple[str, int] | None, limit: int
) -> SearchPage | None:
    """The page ``HistoryStore.page`` would return for ``filters`` (which search), or None when this
    history's order does not allow the shortcut. A page with ``resume`` set stopped at the time
    bound: it holds every match above ``resume``, and the calls below it are still to be searched."""
    query = parse(filters.search or "")
    rest = replace(filters, search=None)
    if not query.fts:
        return scan_page(db, rest, query.substrings, after, limit)
    return _indexed_page(db, rest, query, after, limit)


def _indexed_page(
    db: Database, filters: Filters, query: SearchQuery, after: tuple[str, int] | None, limit: int
) -> SearchPage | None:
    where, args = filters.where()
    cursor, below = _bound(db, filters, after)
    if cursor is not None and below is not None and _later_rowid_older(db, cursor, below):
        return None  # rows past the bound's rowid start before it: the rowid bound would miss them
    start, above = _floor(db, filters)
    if start is not None and above is not None and _earlier_rowid_newer(db, start, above):
        return None
    clauses = [where.removeprefix("where ")] if where else []
    extra: list[Any] = list(args)
    for text in query.substrings:
        clauses.append(SUBSTRING)
        extra += [like_pattern(text)] * 2
    if after is not None:
        clauses.append("(started_at, id) < (?, ?)")
        extra += list(after)
    clauses.append("id in (select value from json_each(?))")
    sql = f"select * from calls where {' and '.join(clauses)} order by started_at desc, id desc limit ?"
    started = time.perf_counter()
    match = _match(db, query)
    if match is None:
        return SearchPage()  # no word of the history starts with the prefix
    k = FIRST_K
    while True:
        round_started = time.perf_counter()
        fts = "select rowid from calls_fts where calls_fts match ?"
        fts_args: list[Any] = [match]
        if below is not None:
            fts += " and rowid < ?"
            fts_args.append(below)
        if above is not None:
            fts += " and rowid >= ?"
            fts_args.append(above)
        # read once into a list: a prefix ("tempera"*) builds its whole list of matches each time
        ids = [r[0] for r in db.execute(f"{fts} order by rowid desc limit ?", [*fts_args, k])]
        rows = list(db.query(sql, [*extra, json.dumps(ids), limit]))
        if len(ids) < k:
            return SearchPage(from_row(r) for r in rows)  # every match was read: exact
        if len(rows) == limit and not _older_rowid_later(db, rows[-1], after, ids[-1]):
            return SearchPage(from_row(r) for r in rows)  # no unread match can sort above the last row
        now = time.perf_counter()
        if query.substrings and now - started + (now - round_started) * GROWTH > BUDGET_S:
            # the next round, GROWTH times this one, would pass the bound: stop at what was read
            return _stopped(db, rows, after, ids[-1])
        k *= GROWTH


def _match(db: Database, query: SearchQuery) -> str | None:
    """The FTS5 query a page reads: the calls of ``query.fts``, its prefix spelled out as the words of
    the index that start with it when they are few. FTS5 reads ORed words lazily, newest first, but
    builds the whole list of a prefix's matches before the first (~50 ms for a word in a third of a
    million calls, far more on a busy machine). None: no word starts with the prefix."""
    token = prefix_token(query.prefix) if query.prefix is not None else None
    terms = _terms(db, token) if token is not None else None
    if terms is None:
        return query.fts
    if not terms:
        return None
    return " AND ".join([*query.words, "(" + " OR ".join(quoted(t) for t in terms) + ")"])


def _terms(db: Database, token: str) -> list[str] | None:
    """The words of the index that start with ``token``, one seek each; None when there are more than
    ``MAX_TERMS`` or listing them outlasts ``TERMS_BUDGET_S``."""
    try:  # a table of this connection only (a read-only one too): nothing is written to the history
        db.execute(
            "create virtual table if not exists temp.calls_fts_terms"
            " using fts5vocab(main, calls_fts, instance)"
        )
    except sqlite3.Error:  # pragma: no cover - an SQLite built without fts5vocab
        return None
    end = token[:-1] + chr(ord(token[-1]) + 1)  # every word starting with token sorts below
    sql = "select term from temp.calls_fts_terms where term >= ? and term < ? limit 1"
    terms: list[str] = []
    started = time.perf_counter()
    while (row := db.execute(sql, [terms[-1] + "\x01" if terms else token, end]).fetchone()) is not None:
        terms.append(row[0])  # the next word: "\x01" sorts before any character a word holds
        if len(terms) > MAX_TERMS or time.perf_counter() - started > TERMS_BUDGET_S:
            return None
    return terms


def _stopped(
    db: Database, rows: list[dict[str, Any]], after: tuple[str, int] | None, lowest: int
) -> SearchPage | None:
    """The page as far as the matches read (every rowid from ``lowest`` up) reach: the rows down to
    the call of rowid ``lowest``, resuming below it; None if an unread rowid sorts above that call."""
    edge = db.execute("select started_at, id from calls where id = ?", [lowest]).fetchone()
    if edge is None:  # pragma: no cover - a match the index still lists was deleted meanwhile
        return None
    resume = (edge[0], edge[1])
    if after is not None and resume >= after:
        return None  # the matches read all sort above the page: rowids do not follow time here
    if _older_rowid_later(db, {"started_at": resume[0], "id": resume[1]}, after, lowest):
        return None
    return SearchPage((from_row(r) for r in rows if (r["started_at"], r["id"]) >= resume), resume=resume)


def scan_page(
    db: Database, filters: Filters, substrings: tuple[str, ...], after: tuple[str, int] | None, limit: int
) -> SearchPage:
    """The calls ``filters`` show whose prompt or output holds every one of ``substrings``, read
    newest first a chunk at a time until the page is full, every call was read, or the time bound
    passed (then ``resume`` says where the next chunk starts)."""
    where, args = filters.where()
    shown = [where.removeprefix("where ")] if where else []
    checks: list[str] = []
    check_args: list[Any] = []
    for text in substrings:
        checks.append(SUBSTRING)
        check_args += [like_pattern(text)] * 2
    rows: list[dict[str, Any]] = []
    cursor, chunk, read = after, CHUNK, 0
    started = time.perf_counter()
    while True:
        top = [*shown, "(started_at, id) < (?, ?)"] if cursor is not None else shown
        top_args = [*args, *cursor] if cursor is not None else list(args)
        below = f" where {' and '.join(top)}" if top else ""
        # the chunk's last call, from the time index: no text read
        edge = db.execute(
            f"select started_at, id from calls{below} order by started_at desc, id desc limit 1 offset ?",
            [*top_args, chunk - 1],
        ).fetchone()
        span = [*top, "(started_at, id) >= (?, ?)"] if edge is not None else top
        span_args = [*top_args, *edge] if edge is not None else top_args
        where_span = " and ".join([*span, *checks])
        sql = f"select * from calls where {where_span} order by started_at desc, id desc limit ?"
        rows += db.query(sql, [*span_args, *check_args, limit - len(rows)])
        if len(rows) == limit or edge is None:
            return SearchPage(from_row(r) for r in rows)
        cursor, read = (edge[0], edge[1]), read + chunk
        spent = time.perf_counter() - started
        if spent > BUDGET_S:
            return SearchPage((from_row(r) for r in rows), resume=cursor)
        chunk = max(CHUNK, min(MAX_CHUNK, int(read / spent * (BUDGET_S - spent))))


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
