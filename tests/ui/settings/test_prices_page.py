"""Settings ▸ Prices: nothing is saved from an untouched form (it once came filled with "*" and
0 / 0, so one click on Save made every model free), a price of 0 must be said with Free, and a
saved price shows at once in the Playground's cost estimate."""

from decimal import Decimal

import pytest

from playground.pricing.prices import PriceOverride
from tests.ui.conftest import type_prompt
from ui.settings.prices_page import PricesPage

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot):
    page = PricesPage()
    qtbot.addWidget(page)
    page.set_data(["openai", "local"], [])
    saved: list[PriceOverride] = []
    page.savePrice.connect(saved.append)
    page.saved = saved
    return page


def save(page, model="", input_="", output="", free=False) -> str:
    page.model.setText(model)
    page.input.setText(input_)
    page.output.setText(output)
    page.free.setChecked(free)
    page._save()
    return page.message.text()


def test_an_untouched_form_saves_nothing_and_says_what_is_missing(page):
    assert page.model.text() == "" and page.input.text() == "" and page.output.text() == ""
    page._save()
    assert page.saved == [] and "Enter a model name" in page.message.text()
    assert "Enter both prices" in save(page, model="gpt-x", input_="1")
    assert "tick Free" in save(page, model="*", input_="0", output="0")
    assert "must be numbers" in save(page, model="gpt-x", input_="1", output="NaN")
    assert "cannot be negative" in save(page, model="gpt-x", input_="-1", output="2")
    assert page.saved == []


def test_a_price_and_a_free_model_are_saved_as_typed(page):
    assert save(page, model="gpt-x", input_="1.25", output="10") == (
        "Saved: openai / gpt-x at $1.25 in, $10 out per 1M."
    )
    page.endpoint.setCurrentText("local")
    assert save(page, model="*", free=True) == "Saved: local / * is free."
    assert page.saved == [
        PriceOverride("openai", "gpt-x", Decimal("1.25"), Decimal("10"), None),
        PriceOverride("local", "*", Decimal(0), Decimal(0), Decimal(0), Decimal(0)),
    ]


def test_a_saved_price_changes_the_playground_estimate(qtbot, window):
    """Before, the model list said "free" while the cost estimate kept the old price."""
    type_prompt(qtbot, window, "How much is this prompt?")
    qtbot.waitUntil(lambda: window.counters.input_cost.text().startswith("input ≈$"), timeout=10_000)
    before = window.counters.input_cost.text()
    window.menu.open_settings("prices")
    prices = window.settings_dialog.prices
    qtbot.waitUntil(lambda: prices.endpoint.findText("local") >= 0)  # endpoints read in the background
    prices.endpoint.setCurrentText("local")
    save(prices, model="gpt-4o-mini", input_="1000", output="1000")
    qtbot.waitUntil(lambda: window.counters.input_cost.text() not in ("", before), timeout=10_000)
    assert window.counters.input_cost.text().startswith("input ≈$")
    assert window.counters.input_cost.text() != before
