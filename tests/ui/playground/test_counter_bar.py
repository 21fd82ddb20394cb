"""The counter bar shows an unknown price as unknown, never as a $0 bound."""

from decimal import Decimal

import pytest

from playground.pricing.estimate import Estimate
from playground.pricing.prices import Cost
from playground.tokens.counter import TokenCount

pytestmark = pytest.mark.gui


def estimate(total: Decimal | None) -> Estimate:
    cost = Cost(total, total, None if total is None else Decimal(0), "test")
    return Estimate(TokenCount(1200, False, "o200k_base"), cost, cost, 4096, 128_000)


def test_unknown_costs_read_unknown_and_known_ones_read_dollars(qtbot):
    from ui.playground.counter_bar import CounterBar

    bar = CounterBar()
    qtbot.addWidget(bar)
    bar.show_estimate(estimate(None))
    assert bar.input_cost.text() == "price unknown"
    assert bar.worst.text() == "worst unknown"
    assert "4,096 tokens of output" in bar.worst.toolTip()
    assert "$0" not in bar.input_cost.text() + bar.worst.text()
    bar.show_estimate(estimate(Decimal("0.0123")))
    assert bar.input_cost.text() == "input ≈$0.0123" and bar.worst.text().startswith("worst ≤$0.0123")


def test_the_worst_case_stays_on_one_line_when_there_is_room(qtbot):
    from ui.playground.counter_bar import CounterBar

    bar = CounterBar()
    qtbot.addWidget(bar)
    bar.resize(1100, 80)
    bar.show()
    bar.worst.setText("worst ≤$0.000623 (1,024 out)")
    qtbot.wait(50)
    assert bar.worst.width() >= bar.worst.fontMetrics().horizontalAdvance(bar.worst.text())
