"""One import of a provider's bill for a range of UTC days: costs, then usage, page by page, each page
stored as it arrives, so a failure or a cancel keeps what was fetched and the next import of the same
range resumes after the last stored day."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from playground.bills.clients import AdminClient
from playground.bills.model import BillsError, Cancelled, Kind
from playground.bills.store import BillStore


@dataclass(frozen=True)
class Progress:
    kind: Kind
    done_through: str  # the last UTC day stored so far
    fraction: float  # 0..1 of the whole import


@dataclass(frozen=True)
class ImportResult:
    pages: int
    days: int
    resumed: bool


def import_bills(
    store: BillStore,
    client: AdminClient,
    first: date,
    last: date,
    *,
    progress: Callable[[Progress], None] | None = None,
    cancel: threading.Event | None = None,
) -> ImportResult:
    if last < first:
        raise BillsError("The range ends before it starts.")
    state = store.begin(client.provider, first, last)
    span = (last - first).days + 1
    pages, days = 0, 0
    try:
        for n, kind in enumerate(Kind):
            start = state.resume[kind]
            for page in client.pages(kind, start, last + timedelta(days=1)) if start <= last else ():
                if cancel is not None and cancel.is_set():
                    raise Cancelled()
                store.save_page(state, page)
                pages, days = pages + 1, days + len(page.days)
                if progress is not None and page.days:
                    through = date.fromisoformat(max(page.days))
                    share = ((through - first).days + 1) / span
                    progress(Progress(kind, through.isoformat(), (n + min(share, 1.0)) / len(Kind)))
                if cancel is not None and cancel.is_set():  # before the next page is asked for
                    raise Cancelled()
    except BaseException:
        store.finish(state, ok=False)
        raise
    store.finish(state, ok=True)
    return ImportResult(pages, days, state.resumed)
