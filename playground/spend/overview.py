"""One range at a glance: the cards and the per-model table, from the daily rollups alone (cached and
reasoning tokens included since m013: no pass over the calls)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from playground.formatting import usd
from playground.history.rollups import from_pico, percentile
from playground.pricing.money import Money
from playground.spend.budgets import Budgets
from playground.spend.pace import MonthPace, month_pace
from playground.spend.reports import SPEED_SQL, Reports, where_days


@dataclass(frozen=True)
class ModelRow:
    """One model over the range; a figure we cannot know (no timed call, nothing priced) is None."""

    model: str
    calls: int
    errors: int
    input_tokens: int
    output_tokens: int
    cached_tokens: int
    reasoning_tokens: int
    cost: Money
    share: float | None  # of the range's priced spend
    p50_ms: float | None
    p95_ms: float | None
    ttft_p50_ms: float | None
    tokens_per_s: float | None  # reports.SPEED_SQL: None without a call that produced output


class BudgetState(StrEnum):
    NONE = "no budget"
    WITHIN = "within"
    COULD_CROSS = "could cross"
    OVER = "is over"


@dataclass(frozen=True)
class RangeCards:
    """The cards for a range; the month figures are the calendar month of the range's last day."""

    spend: Money
    calls: int
    errors: int
    input_tokens: int
    output_tokens: int
    cached_tokens: int
    month: Money
    projected_month: Money | None  # the month's priced pace carried to its end; None: too early
    budget_state: BudgetState
    budget_text: str
    pace: MonthPace  # how far into the month the projection is made

    @property
    def error_rate(self) -> float | None:
        return self.errors / self.calls if self.calls else None

    @property
    def average_per_call(self) -> Decimal | None:
        """Of the priced calls; None when no call in the range had a price."""
        priced = self.calls - self.spend.unpriced
        return self.spend.priced / priced if priced else None


class Overview:
    def __init__(self, reports: Reports):
        self._reports = reports

    def models(
        self,
        since: date | None,
        until: date | None,
        models: list[str] | None = None,
    ) -> list[ModelRow]:
        """One row per model in the range, most spend first."""
        db = self._reports.storage.read()
        where, args = where_days(since, until, models)
        totals = db.execute(
            "select model, sum(calls), sum(errors), sum(input_tokens), sum(output_tokens), sum(cost_pusd),"
            f" sum(unpriced), case when sum(speed_ms_sum) > 0 then {SPEED_SQL} end, sum(cached_tokens),"
            f" sum(reasoning_tokens), sum(estimated_pusd) from daily_stats {where} group by model",
            args,
        ).fetchall()
        hist = self._reports.histograms(since, until, models)
        priced = sum(from_pico(r[5] or 0) for r in totals)
        rows = []
        for model, calls, errors, tin, tout, pico, unpriced, speed, cached, reasoning, estimated in totals:
            cost = Money(from_pico(pico or 0), unpriced or 0, from_pico(estimated or 0))
            rows.append(
                ModelRow(
                    model,
                    calls,
                    errors,
                    tin,
                    tout,
                    cached,
                    reasoning,
                    cost,
                    None
                    if not priced or (cost.exact is None and not cost.priced)
                    else float(cost.priced / priced),
                    percentile(hist.get((model, "duration_ms"), {}), 0.5),
                    percentile(hist.get((model, "duration_ms"), {}), 0.95),
                    percentile(hist.get((model, "ttft_ms"), {}), 0.5),
                    speed,
                )
            )
        return sorted(rows, key=lambda r: (-r.cost.priced, -r.calls, r.model))

    def cards(
        self,
        rows: list[ModelRow],
        until: date,
        budgets: Budgets,
        today: date | None = None,
        models: list[str] | None = None,
        now: datetime | None = None,
    ) -> RangeCards:
        """The range's sums (from its model rows), the month of ``models`` (all when None) and its
        pace at ``now`` (aware, in the user's zone; ``pace.month_pace``), and where all of this
        month's spend stands against the budgets (they are for all)."""
        if today is None:
            now = now or self._reports.clock.now()
            today = now.date()
        first = until.replace(day=1)
        pace = month_pace(until, today, now)

        def month_of(chosen: list[str] | None) -> tuple[Money, Money | None]:
            spent = self._reports.spend(first, until, period="month", by=None, models=chosen)
            month = Money.sum(r.cost for r in spent)
            return month, pace.project(month)

        month, projected = month_of(models)
        overall_month, overall_projected = month_of(None) if models else (month, projected)
        day = Money.sum(r.cost for r in self._reports.spend(today, today, period="day", by=None))
        state, text = budget_state(budgets, day, overall_month, overall_projected)
        return RangeCards(
            Money.sum(r.cost for r in rows),
            sum(r.calls for r in rows),
            sum(r.errors for r in rows),
            sum(r.input_tokens for r in rows),
            sum(r.output_tokens for r in rows),
            sum(r.cached_tokens for r in rows),
            month,
            projected,
            state,
            text,
            pace,
        )


def budget_state(
    budgets: Budgets, today: Money, month: Money, projected: Money | None
) -> tuple[BudgetState, str]:
    """'is over' when spend is past a budget, 'could cross' when the month's pace would pass it."""
    if budgets.daily is None and budgets.monthly is None:
        return BudgetState.NONE, "No budget set"
    for name, limit, spent in (("Monthly", budgets.monthly, month), ("Daily", budgets.daily, today)):
        if limit is not None and spent.at_least(limit):
            return BudgetState.OVER, f"{name} budget {usd(limit)} is over ({spent.text()})"
    if budgets.monthly is not None and projected is not None and projected.priced > budgets.monthly:
        return BudgetState.COULD_CROSS, f"Monthly budget {usd(budgets.monthly)} could cross at this pace"
    unpriced = month.unpriced if budgets.monthly is not None else today.unpriced
    if unpriced:  # their cost is unknown: "within" is only known of the priced calls
        calls = "call" if unpriced == 1 else "calls"
        return BudgetState.WITHIN, f"Within budget · {unpriced} {calls} unpriced"
    return BudgetState.WITHIN, "Within budget"


def month_days(until: date) -> tuple[date, date]:
    """The first and last day of ``until``'s month."""
    first = until.replace(day=1)
    return first, first + timedelta(days=calendar.monthrange(until.year, until.month)[1] - 1)
