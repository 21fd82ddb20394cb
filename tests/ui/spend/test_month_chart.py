"""The month chart's projection says what the "Month end (projected)" card says: unknown when no call
of the month had a price (no line drawn at $0), "at least" when some had none (new-user tour)."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from PySide6.QtGui import QTextDocument

from tests.ui.spend.known_history import noon, open_spend, record

pytestmark = pytest.mark.gui

LAST_DAY = date.today().day == calendar.monthrange(date.today().year, date.today().month)[1]


def legend(view) -> str:
    doc = QTextDocument()
    doc.setHtml(view.month_panel.legend.text())
    return doc.toPlainText()


@pytest.mark.skipif(LAST_DAY, reason="no projection on the month's last day")
def test_a_month_of_unpriced_calls_projects_unknown_not_zero(qtbot, make_window, core):
    record(core, noon(0), "llama3.2", None)
    record(core, noon(0), "llama3.2", None)
    view = open_spend(make_window, qtbot)
    card = view.cards["Month end (projected)"].text()
    assert card == "~unknown · 2 calls unpriced"
    assert "projected month end unknown · 2 calls unpriced" in legend(view)
    assert "$0" not in legend(view)
    assert [name for name, _, _ in view.month_panel.series] == ["spent"]  # no projection line at $0


@pytest.mark.skipif(LAST_DAY, reason="no projection on the month's last day")
def test_some_unpriced_calls_make_the_projection_at_least(qtbot, make_window, core):
    record(core, noon(0), "gpt-4o", "0.50")
    record(core, noon(0), "llama3.2", None)
    view = open_spend(make_window, qtbot)
    card = view.cards["Month end (projected)"].text()
    assert card.startswith("~at least $") and card.endswith("· 1 call unpriced")
    assert f"projected month end {card[1:]}" in legend(view)
    assert [name for name, _, _ in view.month_panel.series] == ["spent", "projected"]
