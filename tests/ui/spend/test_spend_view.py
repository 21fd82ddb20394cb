from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from playground.history.calls import CallEnd, CallStart
from playground.llm.request import Request
from tests.ui.conftest import off_gui

pytestmark = pytest.mark.gui


def record(core, day: date, model: str, cost: str | None, ms: float) -> None:
    """A finished call in history, written the way the app writes (never from the GUI thread)."""
    off_gui(lambda: _record(core, day, model, cost, ms))


def _record(core, day: date, model: str, cost: str | None, ms: float) -> None:
    when = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    call = core.history.start_call(
        CallStart(Request.single("e", model, "p"), "openai", None, {}, started_at=when)
    )
    core.history.finish_call(
        call,
        CallEnd(
            "ok",
            input_tokens=100,
            output_tokens=50,
            cost_usd=None if cost is None else Decimal(cost),
            duration_ms=ms,
            ttft_ms=ms / 4,
        ),
    )


def test_spend_tab_draws_the_rollups_and_saves_a_png(qtbot, make_window, core, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    today = date.today()
    record(core, today, "gpt-4o", "0.50", 1000)
    record(core, today, "claude-haiku-4-5", "0.25", 400)
    window = make_window()
    window.show_spend()
    view = window.spend
    qtbot.waitUntil(lambda: view.cards["This month"].text() != "–", timeout=5000)
    assert "$0.75" in view.cards["This month"].text()
    assert view.cards["Top model"].text() == "gpt-4o"
    (bars,) = [s for s in view._series[id(view.spend_plot)] if s[0] == "gpt-4o"]
    assert bars[2][-1] == pytest.approx(0.5)
    hover = view.values_at(view.spend_plot, bars[1][-1])
    assert today.isoformat() in hover and "gpt-4o $0.50" in hover
    path = tmp_path / "chart.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    view.save_png()
    assert path.read_bytes()[:4] == b"\x89PNG"


def test_unpriced_calls_show_as_at_least_on_the_cards_and_charts(qtbot, make_window, core):
    today = date.today()
    record(core, today, "gpt-4o", "0.50", 1000)
    record(core, today, "my-local-model", None, 400)
    window = make_window()
    window.show_spend()
    view = window.spend
    qtbot.waitUntil(lambda: view.cards["This month"].text() != "–", timeout=5000)
    assert "at least $0.50 · 1 call unpriced" in view.cards["This month"].text()
    assert "1 call unpriced" in view.cards["Projected month end"].text()
    (spent,) = view._series[id(view.cumulative_plot)]
    assert spent[2][-1] == pytest.approx(0.5)  # the priced part only, never a made-up $0 for the other
    assert "1 unpriced" in view.values_at(view.cumulative_plot, spent[1][-1])
    assert "1 unpriced" in view.spend_plot.plotItem.titleLabel.text


def test_first_token_and_speed_charts(qtbot, make_window, core):
    record(core, date.today(), "gpt-4o", "0.10", 1000)  # 50 output tokens in 1 s; first token at 250 ms
    window = make_window()
    window.show_spend()
    view = window.spend
    qtbot.waitUntil(
        lambda: id(view.ttft_plot) in view._series and id(view.speed_plot) in view._series, timeout=5000
    )
    (median, _p95) = view._series[id(view.ttft_plot)]
    assert abs(median[2][-1] - 250) / 250 < 0.1
    (speed,) = view._series[id(view.speed_plot)]
    assert speed[2][-1] == 50.0
