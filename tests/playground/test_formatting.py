"""How money and durations read: one rule in the window, every digit in the CLI."""

from decimal import Decimal

import pytest

from playground.formatting import millis, signed_usd, usd, usd_exact
from playground.pricing.money import Money


@pytest.mark.parametrize(
    ("amount", "window", "exact"),
    [
        ("4.06", "$4.06", "$4.06"),
        ("1234.5", "$1,234.50", "$1,234.50"),
        ("0.8749", "$0.875", "$0.8749"),  # the Spend table showed $4.06 next to $0.8749
        ("0.5", "$0.50", "$0.50"),
        ("0.011", "$0.011", "$0.011"),
        ("0.001151", "$0.00115", "$0.001151"),  # History: $0.00079 / $0.000971 / $0.001151
        ("0.000971", "$0.000971", "$0.000971"),
        ("0.00079", "$0.00079", "$0.00079"),
        ("0.9996", "$1.00", "$0.9996"),
        ("0.0000004", "<$0.000001", "<$0.000001"),
    ],
)
def test_the_window_shows_three_significant_digits_below_a_dollar_and_the_cli_every_digit(
    amount, window, exact
):
    assert usd(Decimal(amount)) == window
    assert usd_exact(Decimal(amount)) == exact
    assert usd(Decimal(amount), estimated=True) == "~" + window


def test_unknown_is_never_zero_and_money_text_follows_the_rule():
    assert usd(None) == "unknown" and usd(Decimal(0)) == "$0"
    money = Money(Decimal("0.001151"), 2)
    assert money.text() == "at least $0.00115 · 2 calls unpriced"
    assert money.text(exact=True) == "at least $0.001151 · 2 calls unpriced"


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (None, "–"),
        (450.4, "450 ms"),
        (999.4, "999 ms"),
        (999.6, "1.0 s"),
        (5856, "5.9 s"),
        (12_300, "12.3 s"),
        (123_456, "123 s"),
    ],
)
def test_a_duration_reads_in_ms_below_a_second_and_in_seconds_above(ms, text):
    """History showed "5856 ms" next to "12.3 s"."""
    assert millis(ms) == text


def test_a_difference_puts_its_sign_before_the_dollar():
    """The bill table read "$-0.0271" (the minus after the dollar)."""
    assert [signed_usd(Decimal(v)) for v in ("-0.0271", "1.25", "0")] == ["-$0.0271", "+$1.25", "$0"]
    assert signed_usd(Decimal("-0.0000004")) == "-<$0.000001" and signed_usd(None) == "unknown"
    assert signed_usd(Decimal("-0.00123456"), exact=True) == "-$0.001235"
