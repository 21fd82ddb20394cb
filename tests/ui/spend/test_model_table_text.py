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
