"""The ``known`` fixture: a history of noon calls (tests.playground.spend.noon_history.write) and its
Reports, with a ``today`` of the test's choosing."""

from datetime import date

import pytest

from playground.history.calls import HistoryStore
from playground.history.storage import Storage
from playground.spend.reports import Reports


@pytest.fixture
def known(tmp_path, monkeypatch):
    """A history of noon calls and its Reports, with a ``today`` of the test's choosing."""
    storage = Storage(tmp_path / "h.db")
    history = HistoryStore(storage)
    reports = Reports(storage)

    def make(today: date) -> tuple[HistoryStore, Reports]:
        monkeypatch.setattr(reports.clock, "today", lambda: today)
        return history, reports

    yield make
    storage.close()
