"""What the history view filters on, as SQL (light: the window imports it at start-up).

Days are the user's local days: ``since``/``until`` are turned into the UTC instants of local midnight
in ``zone`` (calls are stored in UTC), so "since today" starts at the user's midnight, not UTC's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from playground.history.search_query import NOTHING, quoted
from playground.history.search_query import parse as parse_search


def fts_query(text: str) -> str:
    """An FTS5 query for ``text`` alone (``HistoryStore.recent``): its words quoted, so typed text
    never hits FTS syntax errors, the last one a prefix while typed. Words of scripts written without
    spaces stay whole tokens here; ``Filters.where`` and the history pages match them as substrings."""
    query = parse_search(text)
    return " ".join([query.fts, *(quoted(s) for s in query.substrings)]).strip() or NOTHING


# the calls that read or wrote the prompt cache; migration m018's partial index has this WHERE
USES_CACHE = "(coalesce(cache_read_tokens, 0) > 0 or coalesce(cache_write_tokens, 0) > 0)"


class DatePreset(StrEnum):
    """The date ranges the history offers in one click; ``CUSTOM`` keeps the days the user picked."""

    ALL = "All dates"
    TODAY = "Today"
    LAST_7 = "Last 7 days"
    THIS_MONTH = "This month"
    LAST_MONTH = "Last month"
    CUSTOM = "Custom"


def preset_days(preset: DatePreset, today: date) -> tuple[date, date] | None:
    """The first and last local day (inclusive) of ``preset``, given the user's local ``today``;
    None for all dates or a custom range (the caller keeps its own days)."""
    if preset is DatePreset.TODAY:
        return today, today
    if preset is DatePreset.LAST_7:
        return today - timedelta(days=6), today  # seven local days, today included
    if preset is DatePreset.THIS_MONTH:
        return today.replace(day=1), today
    if preset is DatePreset.LAST_MONTH:
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    return None


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
    uses_cache: bool = False  # only calls that read or wrote the provider's prompt cache

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
        if self.uses_cache:
            clauses.append(USES_CACHE)
        if self.search and self.search.strip():
            found, found_args = parse_search(self.search).clauses()  # the one definition of a search
            clauses += found
            args += found_args
        return ("where " + " and ".join(clauses)) if clauses else "", args

    def from_(self) -> str | None:
        """The stored instant every shown call starts at or after (the start of ``since``), if any."""
        return _day_start(self.since, self.zone, 0) if self.since else None

    def before(self) -> str | None:
        """The stored instant every shown call starts before (the end of ``until``), if any."""
        return _day_start(self.until, self.zone, 1) if self.until else None


def _day_start(text: str, zone: str, after: int) -> str:
    """The UTC instant (as stored) of local midnight starting the day ``text`` (``after=1``: the day
    after it). Text that is not a date compares as typed, as a prefix of the stored UTC time."""
    from playground.history.localtime import day_bounds

    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text if not after else text + "\uffff"
    return day_bounds(day, zone)[after]
