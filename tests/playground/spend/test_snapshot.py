"""The Spend page's one-query-per-table snapshot draws the same figures as the reports it replaced."""

from datetime import date

import pytest

from playground.history.calls import HistoryStore
from playground.history.storage import Storage
from playground.spend.budgets import Budgets
from playground.spend.charts import latency_band, stacked, timestamp
from playground.spend.reports import Reports
from playground.spend.snapshot import take
from tests.playground.spend.test_reports import fill

TODAY = date(2026, 11, 2)  # the last day of the known calls


@pytest.fixture
def reports(tmp_path, monkeypatch):
    storage = Storage(tmp_path / "h.db")
    fill(HistoryStore(storage))
    reports = Reports(storage)
    monkeypatch.setattr(reports.clock, "today", lambda: TODAY)
    yield reports
    storage.close()


@pytest.mark.parametrize("period", ["day", "week", "month"])
@pytest.mark.parametrize("models", [None, ["gpt-4o"]])
def test_the_snapshot_matches_the_reports(reports, period, models):
    snap = take(reports, Budgets, "7 days", period, models)
    since = date(2026, 10, 27)
    rows = reports.spend(since, TODAY, period=period, by="model", models=models)
    assert rows  # the known calls fall in the range
    assert snap.bars == stacked(rows)
    assert snap.tokens_in == stacked(rows, "input_tokens").totals()
    assert snap.tokens_out == stacked(rows, "output_tokens").totals()
    for metric, bands in (("duration_ms", snap.latency), ("ttft_ms", snap.ttft)):
        latency = reports.latency(since, TODAY, metric=metric, models=models)
        for model in {r.model for r in latency} | bands.keys():
            band = bands[model]
            assert (band.x, band.y, band.high) == latency_band(latency, model)
    speed = reports.speed(since, TODAY, models)
    assert speed and snap.latency and snap.ttft  # nothing compared vacuously
    assert {m: list(zip(s.x, s.y, strict=True)) for m, s in snap.speed.items()} == {
        m: [(timestamp(date.fromisoformat(d)), rate) for d, mm, rate in speed if mm == m]
        for m in {m for _, m, _ in speed}
    }
