"""What the history view filters on, as SQL (light: the window imports it at start-up).

Days are the user's local days: ``since``/``until`` are turned into the UTC instants of local midnight
in ``zone`` (calls are stored in UTC), so "since today" starts at the user's midnight, not UTC's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


def fts_query(text: str) -> str:
    """Quote every word, so user text never hits FTS syntax errors."""
    words = [w.replace('"', '""') for w in text.split()]
    return " ".join(f'"{w}"' for w in words)


@dataclass(frozen=True)
class Filters:
    """What the history view shows; empty fields do not filter."""

    since: str | None = None  # YYYY-MM-DD, a local day, inclusive
    until: str | None = None  # YYYY-MM-DD, a local day, inclusive
    endpoint: str | None = None
    model: str | None = None
    status: str | None = None
    tag: str | None = None
    group_id: str | None = None
    search: str | None = None
    zone: str = "UTC"  # the IANA zone of the days: the caller's clock (``LocalTime.zone_name()``)

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        args: list[Any] = []
        if self.since:
            clauses.append("started_at >= ?")
            args.append(_day_start(self.since, self.zone, 0))
        if self.until:
            clauses.append("started_at < ?")
            args.append(_day_start(self.until, self.zone, 1))  # the whole last day
        for column in ("endpoint", "model", "status", "tag", "group_id"):
            value = getattr(self, column)
            if value:
                clauses.append(f"{column} = ?")
                args.append(value)
        if self.search and self.search.strip():
            clauses.append("id in (select rowid from calls_fts where calls_fts match ?)")
            args.append(fts_query(self.search))
        return ("where " + " and ".join(clauses)) if clauses else "", args


def _day_start(text: str, zone: str, after: int) -> str:
    """The UTC instant (as stored) of local midnight starting the day ``text`` (``after=1``: the day
    after it). Text that is not a date compares as typed, as a prefix of the stored UTC time."""
    from playground.history.localtime import day_bounds

    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text if not after else text + "\uffff"
    return day_bounds(day, zone)[after]
