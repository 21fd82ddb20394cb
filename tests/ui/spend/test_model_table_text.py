"""Percentiles in the per-model table come from 10 %-wide histogram buckets: they are marked approximate."""

from ui.spend.model_table import HEADERS, _ms


def test_percentiles_are_marked_approximate_and_read_in_a_persons_unit():
    assert _ms(None) == "–"
    assert _ms(450.4) == "~450 ms"
    assert _ms(17488.0) == "~17.5 s" and _ms(7423.0) == "~7.4 s"  # as History reads it
    assert {h for h in HEADERS if h.startswith(("p50", "p95"))} == {
        "p50 duration",
        "p95 duration",
        "p50 first token",
    }


def test_a_cost_partly_or_not_priced_is_short_in_its_cell_and_whole_in_its_tooltip():
    """'at least $3.99 · 221 calls unpriced' made the Cost column 180 px wide and pushed the last
    column out of sight at 1280 px: the cell says '≥ $3.99' (a lower bound) or 'unknown'."""
    from decimal import Decimal

    from playground.pricing.money import Money
    from playground.spend.overview import ModelRow
    from ui.spend.model_table import _cost

    def row(cost: Money) -> ModelRow:
        return ModelRow("m", 1, 0, 1, 1, 0, 0, cost, None, None, None, None, None)

    assert _cost(row(Money(Decimal("3.99")))) == "$3.99"
    assert _cost(row(Money(Decimal("3.99"), 221))) == "≥ $3.99"
    assert _cost(row(Money(Decimal(0), 221))) == "unknown"
