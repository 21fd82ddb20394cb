"""Bars per week read off the Spend page: a week across New Year is one bar and one tokens point
with the week's whole sums, computed here from the rows written."""

from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from playground.history.calls import CallEnd, CallStart
from playground.llm.request import Request
from tests.ui.conftest import off_gui
from tests.ui.spend.known_history import open_spend

pytestmark = pytest.mark.gui


def write(core, day: str, model: str, status: str = "ok", **end) -> None:
    """A call at noon UTC of ``day`` (the same local day within ±11 h), written off the GUI thread."""

    def run() -> None:
        when = datetime.fromisoformat(f"{day}T12:00:00").replace(tzinfo=UTC)
        call = core.history.start_call(
            CallStart(Request.single("e", model, "p"), "openai", None, {}, started_at=when)
        )
        core.history.finish_call(call, CallEnd(status, **end))

    off_gui(run)


def show(make_window, qtbot, core, monkeypatch, today: date, range_name: str, period: str = "day"):
    monkeypatch.setattr(core.reports.clock, "today", lambda: today)
    view = open_spend(make_window, qtbot, range_name)
    if view.period.currentText() != period:
        view.period.setCurrentText(period)
        view.refresh()
    qtbot.waitUntil(lambda: view.data is not None and view.data.period == period and not view.drawing)
    return view


def test_a_week_across_new_year_is_one_bar_and_one_tokens_point(qtbot, make_window, core, monkeypatch):
    calls = [("2025-12-30", "1.00", 10, 10), ("2026-01-02", "2.00", 10, 10)]  # both in Mon 29 Dec's week
    for day, cost, tin, tout in calls:
        write(core, day, "gpt-4o", cost_usd=Decimal(cost), input_tokens=tin, output_tokens=tout)
    view = show(make_window, qtbot, core, monkeypatch, date(2026, 1, 5), "Year", "week")
    heights: dict[float, list[float]] = defaultdict(list)
    for item in view.bar_items:
        xs = list(item.opts["x"])
        assert len(xs) == len(set(xs)), item.opts["name"]  # no two bars of one series at one x
        for x, h in zip(xs, item.opts["height"], strict=True):
            heights[x].append(h)
    (x,) = heights  # one bar
    assert sum(heights[x]) == pytest.approx(sum(float(c[1]) for c in calls))
    tokens = {name: (xs, ys) for name, xs, ys in view.tokens_panel.series}
    assert tokens["in"] == ([x], [sum(c[2] for c in calls)])
    assert tokens["out"] == ([x], [sum(c[3] for c in calls)])
    assert date.fromtimestamp(x - 3.5 * 86400) == date(2025, 12, 29)  # drawn across its week's middle
