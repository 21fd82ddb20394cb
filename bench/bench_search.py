"""The History search per keystroke on the big history, on the window's own path: ``HistoryStore.page``
(the first page of 200 rows, as ui/history/model.py reads it on the pool) and ``HistoryStore.totals``
(the line under the table, read on the pool beside it), against the search before prefixes and
substrings (``old_page``: every word whole) in the same run. Goal: a keystroke's page in <= 100 ms.

The generated history holds no Chinese: "天气" is the worst case (no call matches, the page stops at
its time bound), and a Latin substring read by the same scan stands in for a frequent Chinese word.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

GOAL_MS = 100
PAGE = 200  # ui/history/model.py's page (not imported here: Qt)
RUNS = 5


Timing = tuple[float, float, Any]  # median ms, worst ms, the last answer


def timed(*fns: Callable[[], Any], runs: int = RUNS) -> list[Timing]:
    """Each of ``fns`` called ``runs`` times, taking turns (so a busy moment of the machine falls
    on both sides of an A/B alike)."""
    times: list[list[float]] = [[] for _ in fns]
    answers: list[Any] = [None] * len(fns)
    for _ in range(runs):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            answers[i] = fn()
            times[i].append((time.perf_counter() - start) * 1000)
    return [(statistics.median(t), max(t), a) for t, a in zip(times, answers, strict=True)]


def old_page(db, text: str, limit: int = PAGE) -> list:
    """``search_page`` before prefixes and substrings (commit 71d0100), for a search alone: every
    word whole and quoted, the FTS query run twice a round (count, then the page)."""
    from playground.history.records import from_row
    from playground.history.search import FIRST_K, GROWTH, _older_rowid_later

    match = " ".join('"' + w.replace('"', '""') + '"' for w in text.split())
    fts = "select rowid from calls_fts where calls_fts match ? order by rowid desc limit ?"
    k = FIRST_K
    while True:
        read, lowest = db.execute(f"select count(*), min(rowid) from ({fts})", [match, k]).fetchone()
        sql = f"select * from calls where id in ({fts}) order by started_at desc, id desc limit ?"
        rows = list(db.query(sql, [match, k, limit]))
        if read < k or (len(rows) == limit and not _older_rowid_later(db, rows[-1], None, lowest)):
            return [from_row(r) for r in rows]
        k *= GROWTH


def _line(label: str, new: Timing, old: Timing | None = None, native: Timing | None = None) -> str:
    med, worst, page = new
    resume = " (stopped at the bound: older calls not searched yet)" if getattr(page, "resume", None) else ""
    text = f"  {label:<44} {med:7.1f} ms (worst {worst:6.1f}), {len(page):3} rows{resume}"
    if native is not None:
        text += f"; FTS5's own prefix: {native[0]:6.1f} ms (worst {native[1]:6.1f})"
    if old is not None:
        text += f"; before: {old[0]:6.1f} ms (worst {old[1]:6.1f}), {len(old[2]):3} rows"
    return text


def search_lines(core) -> str:
    """Every figure of the search per keystroke, one line each, the goal beside them."""
    from playground.history import search
    from playground.history.filters import Filters
    from playground.history.search import _indexed_page, scan_page
    from playground.history.search_query import SearchQuery

    db = core.storage.read()
    history = core.history

    def page(text: str) -> Timing:
        return timed(lambda: history.page(Filters(search=text), limit=PAGE))[0]

    def native(text: str):  # the prefix read by FTS5's own prefix query (too many words start so)
        listed, search.MAX_TERMS = search.MAX_TERMS, 0
        try:
            return history.page(Filters(search=text), limit=PAGE)
        finally:
            search.MAX_TERMS = listed

    def ab(text: str) -> str:
        new, own, before = timed(
            lambda: history.page(Filters(search=text), limit=PAGE),
            lambda: native(text),
            lambda: old_page(db, text),
        )
        return _line(f"{text!r}", new, before, own if search.parse(text).prefix else None)

    lines = [f"History search, first page of {PAGE} per keystroke (median of {RUNS}; goal <= {GOAL_MS} ms):"]
    lines.append(
        " words (each line: now, the prefix's words listed; FTS5's own prefix query instead, as when"
        " more than MAX_TERMS words start so; before: every word whole, the same text)"
    )
    for text in ("walrus", "walrus ", "budget walrus", "invoice otter poem"):
        lines.append(ab(text))
    lines.append(" prefixes: the last word as typed, keystroke by keystroke (before: whole words)")
    for text in ("wal", "walr", "walru", "rec", "summ", "otter poe", "tempera"):
        lines.append(ab(text))
    for short in ("re", "r"):
        [(med, worst, _)] = timed(
            lambda s=short: db.execute(
                "select rowid from calls_fts where calls_fts match ? order by rowid desc limit 2048",
                [f'"{s}"*'],
            ).fetchall()
        )
        lines.append(
            f"  FTS5 prefix {short!r}* alone, newest 2048: {med:.1f} ms (worst {worst:.1f}):"
            " why a prefix needs 3 letters (shorter: whole words)"
        )
    lines.append(" Chinese, Japanese, Thai...: a substring scan, newest first, bounded")
    lines.append(_line("'天气' (no call matches: worst)", page("天气")))
    lines.append(_line("'天气' first page, before (whole tokens)", timed(lambda: old_page(db, "天气"))[0]))
    everything = Filters()

    def scan(*texts: str) -> Timing:
        return timed(lambda: scan_page(db, everything, texts, None, PAGE))[0]

    lines.append(_line("substring 'walrus' (a frequent word's scan)", scan("walrus")))
    lines.append(_line("substring 'walrus otter' (~1 call in 70)", scan("walrus otter")))
    lines.append(_line("substring 'otter walrus budget' (rare)", scan("otter walrus budget")))
    start, pages, after, found = time.perf_counter(), 0, None, 0
    while True:  # what the window does while the user waits: read on from each bound
        more = history.page(Filters(search="天气"), after=after, limit=PAGE)
        pages, found = pages + 1, found + len(more)
        if more.resume is None:
            break
        after = more.resume
    lines.append(
        f"  '天气' read on to the oldest call: {pages} bounded pages, {found} rows,"
        f" {(time.perf_counter() - start) * 1000:.0f} ms in all (each page <= the bound)"
    )
    lines.append(" mixed: indexed words, then the substring checked on their matches (bounded)")

    def indexed(words: tuple[str, ...], prefix: str | None, substrings: tuple[str, ...]):
        query = SearchQuery(words, prefix, substrings)
        return timed(lambda: _indexed_page(db, everything, query, None, PAGE))[0]

    lines.append(_line("'天气 walrus' (no call matches: worst)", page("天气 walrus")))
    lines.append(_line("  the same, every word a substring", scan("天气", "walrus")))
    lines.append(_line("'walrus' + substring 'otter' (common)", indexed(('"walrus"',), None, ("otter",))))
    lines.append(_line("  the same, every word a substring", scan("walrus", "otter")))
    lines.append(
        _line(
            "'invoice' + substring 'otter walrus' (rarer)", indexed(('"invoice"',), None, ("otter walrus",))
        )
    )
    lines.append(_line("  the same, every word a substring", scan("invoice", "otter walrus")))
    lines.append(" totals under the table (the same calls, every one counted; read beside the page)")
    for text in ("walrus", "wal", "otter poe", "天气", "天气 walrus"):
        [(med, worst, totals)] = timed(lambda t=text: history.totals(Filters(search=t)), runs=3)
        lines.append(f"  {text!r:<44} {med:7.1f} ms (worst {worst:6.1f}), {totals.calls:,} calls")
    return "\n".join(lines)
