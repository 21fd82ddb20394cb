"""Billed by the provider beside recorded here, per UTC day and model, with the difference explained.

Days are UTC days on both sides: the providers bill in UTC buckets that cannot be split into local
days, so the local calls (stored in UTC) are grouped by their UTC day here, not by the local day of
the Spend charts; the panel says so. A call counts as a provider's when it went to its built-in
endpoint or to its official host. Models meet on their base name (snapshot dates dropped), since the
bill names the snapshot ("gpt-4o-mini-2024-07-18") and a call the alias ("gpt-4o-mini").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from playground import formatting
from playground.bills.model import Provider, base_model
from playground.bills.report import TOLERANCE
from playground.bills.store import BillStore
from playground.history.rollups import from_pico
from playground.history.storage import OfflineStorage, Storage
from playground.pricing.money import Money

LAG_DAYS = 1  # the providers' figures for the last day may still grow


@dataclass(frozen=True)
class Row:
    day: str | None  # None in a per-model summary
    provider: str
    model: str
    billed: Decimal | None  # None: no bill imported for that day
    recorded: Money
    explanation: str

    @property
    def difference(self) -> Decimal | None:
        """Billed minus recorded; None when either side is not known."""
        if self.billed is None or not self.recorded.complete:
            return None
        return self.billed - self.recorded.priced


def explain(billed: Decimal | None, recorded: Money, last_day: str, today: date) -> str:
    """The plain reason for a difference, from the figures alone."""
    if billed is None:
        return "no bill imported for this day"
    if recorded.unpriced:
        return f"{recorded.unpriced} call(s) here have no price, so the difference is unknown"
    gap = billed - recorded.priced
    if abs(gap) < TOLERANCE:
        return "matches"
    if gap > 0:
        what = formatting.usd(gap)
        if not recorded.priced and not recorded.unpriced:
            return f"{what} billed that this app did not record: calls made elsewhere"
        return f"{what} more billed than recorded: calls made elsewhere, or prices differ"
    what = formatting.usd(-gap)
    if date.fromisoformat(last_day) >= today - timedelta(days=LAG_DAYS):
        return f"{what} recorded here but not billed yet: the provider's data lags up to a day"
    if not billed:
        return f"{what} recorded here but not billed: another key or organisation paid, or prices differ"
    return f"{what} less billed than recorded: prices differ (discounts, batch or cached rates)"


class Reconciler:
    def __init__(self, storage: Storage | OfflineStorage, bills: BillStore):
        self._storage = storage
        self._bills = bills

    def rows(self, first: date, last: date, by: str = "day", today: date | None = None) -> list[Row]:
        """Per day and model (``by='day'``) or per model over the range (``by='model'``)."""
        today = today or datetime.now(UTC).date()
        billed: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
        for b in self._bills.billed(first, last):
            billed[(b.day, b.provider, base_model(b.model))] += b.cost
        recorded = self.recorded(first, last)
        covered = self._bills.covered(first, last)
        keys = set(billed) | set(recorded)
        if by == "model":
            return self._by_model(keys, billed, recorded, covered, last, today)
        rows = []
        for day, provider, model in sorted(keys):
            bill = billed.get((day, provider, model))
            if bill is None and (provider, day) in covered:
                bill = Decimal(0)
            money = recorded.get((day, provider, model), Money())
            rows.append(Row(day, provider, model, bill, money, explain(bill, money, day, today)))
        return rows

    def _by_model(
        self,
        keys: set[tuple[str, str, str]],
        billed: dict[tuple[str, str, str], Decimal],
        recorded: dict[tuple[str, str, str], Money],
        covered: set[tuple[str, str]],
        last: date,
        today: date,
    ) -> list[Row]:
        """A model's days with a bill on one row and its days with none on another, so the totals
        are the per-day ones (one day with no bill made the whole model unknown, and its imported
        bill dropped out of the totals)."""
        bills: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        money: dict[tuple[str, str, bool], Money] = defaultdict(Money)
        days: dict[tuple[str, str, bool], int] = defaultdict(int)
        for day, provider, model in keys:
            has_bill = (day, provider, model) in billed or (provider, day) in covered
            bills[(provider, model)] += billed.get((day, provider, model), Decimal(0))
            money[(provider, model, has_bill)] += recorded.get((day, provider, model), Money())
            days[(provider, model, has_bill)] += 1
        rows = []
        for provider, model in sorted(bills):
            with_bill, without = days[(provider, model, True)], days[(provider, model, False)]
            if with_bill:
                m, bill = money[(provider, model, True)], bills[(provider, model)]
                rows.append(Row(None, provider, model, bill, m, explain(bill, m, last.isoformat(), today)))
            if without:
                which = f"{without} of its {without + with_bill} days" if with_bill else "any of its days"
                why = f"no bill imported for {which}"
                rows.append(Row(None, provider, model, None, money[(provider, model, False)], why))
        return rows

    def recorded(self, first: date, last: date) -> dict[tuple[str, str, str], Money]:
        """Finished calls per UTC day, provider and base model; unknown costs counted apart."""
        out: dict[tuple[str, str, str], Money] = defaultdict(Money)
        db = self._storage.read()
        start = f"{first.isoformat()}T00:00:00"
        end = f"{(last + timedelta(days=1)).isoformat()}T00:00:00"
        for provider in Provider:
            rows = db.execute(
                "select date(started_at) as d, model, sum(cost_pusd),"
                " sum(cost_pusd is null and status != 'error') from calls where status != 'running'"
                " and started_at >= ? and started_at < ? and (endpoint = ? or base_url like ?)"
                " group by d, model",
                [start, end, provider.value, f"%://{provider.host}%"],
            ).fetchall()
            for day, model, pusd, unpriced in rows:
                key = (day, provider.value, base_model(model))
                out[key] = out[key] + Money(from_pico(pusd or 0), int(unpriced or 0))
        return dict(out)
