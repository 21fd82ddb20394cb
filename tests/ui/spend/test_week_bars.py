"""Bars per week read off the Spend page: a week across New Year is one bar and one tokens point
with the week's whole sums, computed here from the rows written."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest

from tests.ui.spend.known_history import show, write

pytestmark = pytest.mark.gui


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
