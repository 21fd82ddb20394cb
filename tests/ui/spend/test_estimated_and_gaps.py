"""On known calls: the Spend card, the per-model table and its CSV say how much of a cost is our
estimate (stopped or cut calls); the month card's tooltip says how its end is projected; and the speed
and latency charts break their lines on a day without data instead of joining across it."""

import csv
import io
import math
from datetime import date, datetime
from decimal import Decimal

import pytest

from playground import formatting
from tests.ui.spend.test_known_figures import show, write

pytestmark = pytest.mark.gui

# (day, model, status, cost or None, cost estimated)
CALLS = [
    ("2026-11-02", "gpt-4o", "ok", "1.50", False),
    ("2026-11-02", "gpt-4o", "cancelled", "0.05", True),  # stopped: costed from counted tokens
    ("2026-11-03", "claude-haiku-4-5", "error", "0.0125", True),  # a stream cut off
    ("2026-11-03", "claude-haiku-4-5", "ok", "0.30", False),
    ("2026-11-03", "my-local-model", "ok", None, False),
]


def test_the_card_the_table_and_the_csv_say_how_much_is_estimated(
    qtbot, make_window, core, monkeypatch, tmp_path
):
    from PySide6.QtWidgets import QFileDialog

    for day, model, status, cost, estimated in CALLS:
        write(
            core,
            day,
            model,
            status,
            input_tokens=10,
            output_tokens=5,
            cost_usd=None if cost is None else Decimal(cost),
            cost_estimated=estimated,
        )
    view = show(make_window, qtbot, core, monkeypatch, date(2026, 11, 4), "7 days")
    priced = sum((Decimal(c[3]) for c in CALLS if c[3] is not None), Decimal(0))
    estimated = sum((Decimal(c[3]) for c in CALLS if c[4]), Decimal(0))
    spend = view.cards["Spend"]
    assert spend.text() == (
        f"<b>at least {formatting.usd(priced)} · 1 call unpriced</b>"
        f"<br><small>{formatting.usd(estimated, True)} of it estimated</small>"
    )
    assert f"{formatting.usd(estimated, True)} of this figure" in spend.toolTip()
    shown = {line[0]: line for line in view.table.shown()}
    by_model: dict[str, tuple[Decimal, Decimal]] = {}
    for _day, model, _status, cost, est in CALLS:
        if cost is not None:
            p, e = by_model.get(model, (Decimal(0), Decimal(0)))
            by_model[model] = (p + Decimal(cost), e + (Decimal(cost) if est else 0))
    for model, (p, e) in by_model.items():
        assert shown[model][7] == formatting.usd(p, True)  # "~": part of it is our estimate
        row = next(
            r for r in range(view.table.proxy.rowCount()) if view.table.proxy.index(r, 0).data() == model
        )
        tip = view.table.proxy.index(row, 7).data(3)  # Qt.ToolTipRole
        assert f"{formatting.usd(e, True)} of it estimated" in tip
    assert shown["my-local-model"][7] == "unknown"
    path = tmp_path / "table.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    view.save_table_csv()
    qtbot.waitUntil(lambda: view.status.text().startswith("Saved"), timeout=5000)
    saved = {w["model"]: w for w in csv.DictReader(io.StringIO(path.read_text()))}
    for model, (p, e) in by_model.items():
        assert Decimal(saved[model]["cost_usd"]) == p and Decimal(saved[model]["estimated_cost_usd"]) == e
    assert "days gone" in view.cards["Month end (projected)"].toolTip()


def drawn(panel) -> list[tuple[list[float], list[float], str]]:
    """The x, y and connect mode of each line item shown, read from the items themselves."""
    out = []
    for item in panel._curves:
        if item.isVisible():
            x, y = item.getData()
            out.append((list(x), list(y), item.opts["connect"]))
    return out


def test_a_day_without_data_breaks_the_speed_and_latency_lines(qtbot, make_window, core, monkeypatch):
    days = ("2026-10-31", "2026-11-01", "2026-11-03")  # none on 2026-11-02
    for day in days:
        write(core, day, "gpt-4o", output_tokens=100, duration_ms=2000.0, ttft_ms=500.0)
    write(core, "2026-11-02", "gpt-4o", "error", duration_ms=30_000.0)  # a failed call: no speed, no latency
    view = show(make_window, qtbot, core, monkeypatch, date(2026, 11, 4), "7 days")
    view.latency_model.setCurrentText("gpt-4o")
    qtbot.waitUntil(lambda: not view.drawing, timeout=5000)
    midnights = [datetime.fromisoformat(d).timestamp() for d in days]  # local, as the series
    for panel in (view.speed_panel, view.latency_panel, view.ttft_panel):
        lines = drawn(panel)
        assert lines, panel.name
        for x, y, connect in lines:
            assert len(x) == 4 and math.isnan(y[2]) and not any(math.isnan(v) for v in (y[0], y[1], y[3]))
            assert [x[0], x[1], x[3]] == midnights  # the three days, a break between the 1st and the 3rd
            assert connect == "finite"
    for panel in (view.latency_panel, view.ttft_panel):
        assert len(panel.band.path().toSubpathPolygons()) == 2  # the band breaks there too
