"""How numbers read to a person: money, token counts, durations (shared by CLI and GUI)."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal


def usd(amount: Decimal | None, estimated: bool = False) -> str:
    """Dollars as the window shows them: 2 decimals from $1 ($4.06), 3 significant digits below
    ($0.875, $0.0311, $0.00115), cents always shown ($0.50); None is 'unknown', never $0. The CLI and
    files keep every digit (:func:`usd_exact`)."""
    if amount is None:
        return "unknown"
    prefix = "~" if estimated else ""
    if amount == 0:
        return f"{prefix}$0"
    if abs(amount) >= 1:
        return f"{prefix}${amount:,.2f}"
    if abs(amount) < TINY:
        return f"{prefix}<${TINY}"
    rounded = amount.quantize(Decimal(1).scaleb(amount.adjusted() - 2), ROUND_HALF_EVEN)
    if abs(rounded) >= 1:  # $0.9996 rounds up to a dollar
        return f"{prefix}${rounded:,.2f}"
    return f"{prefix}${_cents(f'{rounded:f}')}"


def usd_exact(amount: Decimal | None, estimated: bool = False) -> str:
    """Dollars to the millionth (the CLI's lines: a script or a reader comparing bills needs them)."""
    if amount is None:
        return "unknown"
    prefix = "~" if estimated else ""
    if amount == 0:
        return f"{prefix}$0"
    if abs(amount) >= 1:
        return f"{prefix}${amount:,.2f}"
    if abs(amount) >= Decimal("0.01"):
        return f"{prefix}${_cents(f'{amount:.4f}')}"
    return f"{prefix}${amount:.6f}".rstrip("0").rstrip(".") if abs(amount) >= TINY else f"{prefix}<${TINY}"


TINY = Decimal("0.000001")


def signed_usd(amount: Decimal | None, exact: bool = False) -> str:
    """A difference: '+$1.25', '-$0.0271', '$0' (``usd`` would put the minus after the dollar)."""
    if amount is None:
        return "unknown"
    text = (usd_exact if exact else usd)(abs(amount))
    return text if not amount else ("+" if amount > 0 else "-") + text


def _cents(text: str) -> str:
    """Trailing zeros off, but cents always show: $0.50, not $0.5."""
    text = text.rstrip("0")
    whole, _, fraction = text.partition(".")
    return f"{whole}.{fraction.ljust(2, '0')}"


def tokens(count: int | None, estimated: bool = False) -> str:
    if count is None:
        return "–"
    return f"{'~' if estimated else ''}{count:,}"


def millis(ms: float | None) -> str:
    """One duration format for the window: '450 ms' below a second, '5.9 s' / '12.3 s' above, whole
    seconds from 100 s."""
    if ms is None:
        return "–"
    if round(abs(ms)) < 1000:
        return f"{ms:.0f} ms"
    seconds = ms / 1000
    return f"{seconds:.1f} s" if round(abs(seconds), 1) < 100 else f"{seconds:,.0f} s"
