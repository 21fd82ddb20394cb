"""A sum of call costs that keeps its unknown part: the priced sum plus how many calls had no price.

Costs are ``Decimal | None`` per call; adding them up must never turn a None into $0. ``Money`` is the
only way totals are made, so "unknown" survives every sum, report, chart and budget check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

_ZERO = Decimal(0)


@dataclass(frozen=True)
class Money:
    """``priced``: the sum of the known costs (USD); ``unpriced``: calls whose cost is unknown."""

    priced: Decimal = _ZERO
    unpriced: int = 0

    @classmethod
    def of(cls, cost: Decimal | None) -> Money:
        """One call's cost (None: unknown)."""
        return cls(_ZERO, 1) if cost is None else cls(cost, 0)

    @classmethod
    def sum(cls, items: Iterable[Money]) -> Money:
        total = cls()
        for item in items:
            total = total + item
        return total

    @classmethod
    def of_costs(cls, costs: Iterable[Decimal | None]) -> Money:
        return cls.sum(cls.of(c) for c in costs)

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.priced + other.priced, self.unpriced + other.unpriced)

    def __mul__(self, factor: int) -> Money:
        return Money(self.priced * factor, self.unpriced * factor)

    @property
    def complete(self) -> bool:
        """True when every call in the sum had a price."""
        return self.unpriced == 0

    @property
    def exact(self) -> Decimal | None:
        """The total when every part is known, else None (unknown)."""
        return self.priced if self.complete else None

    def at_least(self, limit: Decimal) -> bool:
        """True when the known part alone is over ``limit`` (the whole is surely over)."""
        return self.priced > limit

    def text(self, estimated: bool = False, exact: bool = False) -> str:
        """'$1.20', or 'at least $1.20 · 3 unpriced' when some calls had no price; ``exact`` keeps
        every digit (the CLI) instead of the window's 3 significant digits."""
        from playground.formatting import usd, usd_exact

        show = usd_exact if exact else usd

        if self.complete:
            return show(self.priced, estimated)
        calls = "call" if self.unpriced == 1 else "calls"
        if not self.priced:
            return f"unknown · {self.unpriced} {calls} unpriced"
        return f"at least {show(self.priced, estimated)} · {self.unpriced} {calls} unpriced"

    def csv_cost(self) -> str:
        """The cost cell of an export: the priced sum (beside an unpriced-calls column), empty when
        nothing was priced, never a 0 for an unknown."""
        return "" if self.unpriced and not self.priced else str(self.priced)
