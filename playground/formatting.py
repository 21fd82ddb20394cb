"""How numbers read to a person: money, token counts, durations (shared by CLI and GUI)."""

from __future__ import annotations

from decimal import Decimal


def usd(amount: Decimal | None, estimated: bool = False) -> str:
    """Dollars with enough digits to see tiny calls; None is 'unknown', never $0."""
    if amount is None:
        return "unknown"
    prefix = "~" if estimated else ""
    if amount == 0:
        return f"{prefix}$0"
    if abs(amount) >= 1:
        return f"{prefix}${amount:,.2f}"
    if abs(amount) >= Decimal("0.01"):
        text = f"{amount:.4f}".rstrip("0")
        if len(text.partition(".")[2]) < 2:  # cents always show: $0.50, not $0.5
            text = f"{amount:.2f}"
        return f"{prefix}${text}"
    return (
        f"{prefix}${amount:.6f}".rstrip("0").rstrip(".")
        if abs(amount) >= Decimal("0.000001")
        else f"{prefix}<$0.000001"
    )


def tokens(count: int | None, estimated: bool = False) -> str:
    if count is None:
        return "–"
    return f"{'~' if estimated else ''}{count:,}"


def millis(ms: float | None) -> str:
    if ms is None:
        return "–"
    return f"{ms:.0f} ms" if ms < 10_000 else f"{ms / 1000:.1f} s"
