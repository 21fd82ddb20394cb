"""How far into its month a moment is, and the month's end at the pace spent so far.

The pace is the month's priced spend over the time gone in it, in the user's zone: the days before
today plus the part of today gone. (Counted in whole days, today as a full one, eight minutes into a
day dropped the pace by a quarter: $3.154 / 3 days x 31 = $32.59 at 07:08, $3.354 / 4 x 31 = $25.99
at 00:08 the next day.)
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from playground.pricing.money import Money

# Before six hours of the month are gone a projection multiplies a call or two by over a hundred.
MIN_DAYS_GONE = 0.25


@dataclass(frozen=True)
class MonthPace:
    """``days_gone`` of the ``days`` of the month of ``first`` (all of them once it is over)."""

    first: date
    days: int
    days_gone: float

    @property
    def over(self) -> bool:
        return self.days_gone >= self.days

    @property
    def too_early(self) -> bool:
        return self.days_gone < MIN_DAYS_GONE

    def project(self, so_far: Money) -> Money | None:
        """``so_far``'s priced pace carried to the month's end, its unpriced calls kept (the whole is
        an estimate, so no estimated part is kept apart); None when too early to tell."""
        if self.too_early:
            return None
        return Money(so_far.priced / Decimal(repr(self.days_gone)) * self.days, so_far.unpriced)

    def note(self) -> str:
        """How the projection is made, for a tooltip."""
        if self.too_early:
            hours = round(MIN_DAYS_GONE * 24)
            return f"Too early to project: less than {hours} hours of the month are gone."
        return (
            f"The month's priced spend so far ÷ the {self.days_gone:.2f} days gone (the days before today"
            f" and the part of today gone, in your time zone) × the month's {self.days} days. Calls"
            " without a price are counted apart."
        )


def month_pace(until: date, today: date, now: datetime | None = None) -> MonthPace:
    """The pace of ``until``'s month on ``today``: at ``now`` (aware, in the user's zone) when that is
    a moment of ``until``; else ``until`` counts whole (to its end), and a month before ``today``'s is
    over."""
    first = until.replace(day=1)
    days = calendar.monthrange(until.year, until.month)[1]
    if (until.year, until.month) != (today.year, today.month):
        return MonthPace(first, days, float(days))
    if now is None or now.date() != until:
        return MonthPace(first, days, float(until.day))
    midnight = datetime(now.year, now.month, now.day, tzinfo=now.tzinfo)
    next_midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), now.tzinfo)
    start, end, at = (t.astimezone(UTC) for t in (midnight, next_midnight, now))  # a 23- or 25-hour day
    return MonthPace(first, days, until.day - 1 + (at - start) / (end - start))
