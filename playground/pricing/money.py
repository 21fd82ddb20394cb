"""A sum of call costs that keeps its unknown part: the priced sum plus how many calls had no price,
and how much of the priced sum is our estimate.

Costs are ``Decimal | None`` per call; adding them up must never turn a None into $0. ``Money`` is the
only way totals are made, so "unknown" survives every sum, report, chart and budget check. The
estimated part rides along the same way: a stopped call, a cut stream or a row priced after a crash is
costed from tokens we counted, and a person checking the bill must see how much of a total that is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

_ZERO = Decimal(0)


@dataclass(frozen=True)
class Money:
    """``priced``: the sum of the known costs (USD); ``unpriced``: calls whose cost is unknown;
    ``estimated``: the part of ``priced`` that is our estimate, not a provider's usage."""

    priced: Decimal = _ZERO
    unpriced: int = 0
    estimated: Decimal = _ZERO

    @classmethod
    def of(cls, cost: Decimal | None, estimated: bool = False) -> Money:
        """One call's cost (None: unknown); ``estimated``: priced from tokens we counted."""
        if cost is None:
            return cls(_ZERO, 1)
        return cls(cost, 0, cost if estimated else _ZERO)

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
        return Money(
            self.priced + other.priced, self.unpriced + other.unpriced, self.estimated + other.estimated
        )

    def __mul__(self, factor: int) -> Money:
        return Money(self.priced * factor, self.unpriced * factor, self.estimated * factor)

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

    def text(self, estimated: bool = False, exact: bool = False, note: bool = True) -> str:
        """'$1.20', 'at least $1.20 · 3 calls unpriced' when some calls had no price, with
        ' (~$0.05 estimated)' after the sum when part of it is our estimate (``note=False``: left out,
        for a caller that says it apart). ``estimated``: the whole is an estimate ('~$1.20');
        ``exact`` keeps every digit (the CLI) instead of the window's 3 significant digits."""
        from playground.formatting import usd, usd_exact

        show = usd_exact if exact else usd

        figure = show(self.priced, estimated)
        if note and self.estimated:
            figure = f"{figure} ({show(self.estimated, True)} estimated)"
        if self.complete:
            return figure
        calls = "call" if self.unpriced == 1 else "calls"
        if not self.priced:
            return f"unknown · {self.unpriced} {calls} unpriced"
        return f"at least {figure} · {self.unpriced} {calls} unpriced"

    def estimated_text(self, exact: bool = False) -> str:
        """'~$0.05' of the sum is our estimate; '' when none of it is."""
        from playground.formatting import usd, usd_exact

        return (usd_exact if exact else usd)(self.estimated, True) if self.estimated else ""

    def csv_cost(self) -> str:
        """The cost cell of an export: the priced sum (beside an unpriced-calls column), empty when
        nothing was priced, never a 0 for an unknown."""
        return "" if self.unpriced and not self.priced else str(self.priced)

    def csv_estimated(self) -> str:
        """The estimated part of :meth:`csv_cost` (empty where that cell is)."""
        return "" if self.unpriced and not self.priced else str(self.estimated)
