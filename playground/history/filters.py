"""What the history view filters on, as SQL (light: the window imports it at start-up)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def fts_query(text: str) -> str:
    """Quote every word, so user text never hits FTS syntax errors."""
    words = [w.replace('"', '""') for w in text.split()]
    return " ".join(f'"{w}"' for w in words)


@dataclass(frozen=True)
class Filters:
    """What the history view shows; empty fields do not filter."""

    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None  # YYYY-MM-DD, inclusive
    endpoint: str | None = None
    model: str | None = None
    status: str | None = None
    tag: str | None = None
    group_id: str | None = None
    search: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        args: list[Any] = []
        if self.since:
            clauses.append("started_at >= ?")
            args.append(self.since)
        if self.until:
            clauses.append("started_at < ?")
            args.append(self.until + "T99")  # the whole last day
        for column in ("endpoint", "model", "status", "tag", "group_id"):
            value = getattr(self, column)
            if value:
                clauses.append(f"{column} = ?")
                args.append(value)
        if self.search and self.search.strip():
            clauses.append("id in (select rowid from calls_fts where calls_fts match ?)")
            args.append(fts_query(self.search))
        return ("where " + " and ".join(clauses)) if clauses else "", args
