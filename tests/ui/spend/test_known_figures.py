"""Figures a tester computed by hand, read off the Spend page: the p95 of a small sample and tokens per
second. Each expected figure is computed here from the rows written."""

import csv
import io
import math
from datetime import date

import pytest

from playground import formatting
from playground.history.rollups import BUCKET_ACCURACY
from tests.ui.spend.known_history import show, write

pytestmark = pytest.mark.gui


def nearest_rank(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q * len(ordered) - 1e-9)) - 1]


def test_the_table_its_csv_and_the_speed_chart_show_the_known_figures(
    qtbot, make_window, core, monkeypatch, tmp_path
):
    from PySide6.QtWidgets import QFileDialog

    # model: (output tokens, duration ms, first token ms) of OK calls on 2026-11-02
    known = {
        "gpt-4o-mini": [(40, 700.0, 200.0), (60, 800.0, 300.0)],
        "gpt-4o": [(100, 2000.0, 500.0), (200, 3000.0, 600.0), (300, 4000.0, 700.0)],
    }
    for model, calls in known.items():
        for tout, ms, ttft in calls:
            write(core, "2026-11-02", model, output_tokens=tout, duration_ms=ms, ttft_ms=ttft)
    write(core, "2026-11-03", "gpt-4o", "error", duration_ms=30_000.0)  # a failed call alone on its day
    view = show(make_window, qtbot, core, monkeypatch, date(2026, 11, 4), "7 days")
    shown = {line[0]: line for line in view.table.shown()}
    path = tmp_path / "table.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    view.save_table_csv()
    qtbot.waitUntil(lambda: view.status.text().startswith("Saved"), timeout=5000)
    saved = {w["model"]: w for w in csv.DictReader(io.StringIO(path.read_text()))}
    for model, calls in known.items():
        durations = [c[1] for c in calls]
        for column, field, q in ((9, "p50_duration_ms", 0.5), (10, "p95_duration_ms", 0.95)):
            exact = nearest_rank(durations, q)
            value = float(saved[model][field])
            assert abs(value - exact) / exact <= BUCKET_ACCURACY + 0.0005, (model, q)  # CSV: whole ms
            assert shown[model][column] == "~" + formatting.millis(value)  # the table: the same number
        speed = sum(c[0] for c in calls) / sum((c[1] - c[2]) / 1000 for c in calls)
        assert shown[model][12] == f"{speed:,.1f}" and saved[model]["tokens_per_s"] == f"{speed:.1f}"
    assert shown["gpt-4o"][12] == "83.3"  # 600 tokens in 7.2 s after the first token (was 66.7)
    view.latency_model.setCurrentText("gpt-4o")
    qtbot.waitUntil(lambda: not view.drawing, timeout=5000)
    ((_name, xs, ys),) = view.speed_panel.series
    assert [date.fromtimestamp(x) for x in xs] == [date(2026, 11, 2)]  # no point on the failed-only day
    assert ys == [pytest.approx(600 / 7.2)]
