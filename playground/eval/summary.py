"""A run's figures per column: pass rate and its spread over repeats, cost, cost per passing case,
median first token and duration. A cost we cannot vouch for is unknown, never $0."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from playground.eval.store import CellResult
from playground.pricing.money import Money


@dataclass(frozen=True)
class ColumnSummary:
    column: int
    label: str
    cells: int  # finished cells (case x repeat)
    expected_cells: int  # cells the suite has in this column
    passed: int
    repeat_rates: tuple[float, ...]  # the pass rate of each repeat, over the cases
    cost: Money
    p50_first_token_ms: float | None
    p50_duration_ms: float | None
    errors: int = 0  # cells whose call failed (a rejected key, no network): not a failed check

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.cells if self.cells else None

    @property
    def spread(self) -> tuple[float, float] | None:
        """Lowest and highest pass rate among the repeats (None with a single repeat)."""
        if len(self.repeat_rates) < 2:
            return None
        return min(self.repeat_rates), max(self.repeat_rates)

    @property
    def cost_per_pass(self) -> Decimal | None:
        """Total cost over passing cells: unknown when any cost is unknown or nothing passed."""
        total = self.cost.exact
        if total is None or not self.passed:
            return None
        return total / self.passed

    @property
    def cost_per_pass_note(self) -> str:
        if not self.passed:
            return "no passing case"
        if not self.cost.complete:
            return f"unknown: {self.cost.unpriced} call(s) without a price"
        return ""


def summarize(
    labels: Sequence[str], cells: Sequence[CellResult], cases: int, repeats: int
) -> list[ColumnSummary]:
    out = []
    for index, label in enumerate(labels):
        mine = [c for c in cells if c.column == index]
        rates = []
        for r in range(repeats):
            of_repeat = [c for c in mine if c.repeat == r]
            if of_repeat:
                rates.append(sum(c.passed for c in of_repeat) / len(of_repeat))
        out.append(
            ColumnSummary(
                index,
                label,
                len(mine),
                cases * repeats,
                sum(c.passed for c in mine),
                tuple(rates),
                Money.of_costs(c.cost_usd for c in mine),
                _median([c.ttft_ms for c in mine]),
                _median([c.duration_ms for c in mine]),
                sum(bool(c.error) for c in mine),
            )
        )
    return out


def lowest_pass_rate(summaries: Sequence[ColumnSummary]) -> float | None:
    rates = [s.pass_rate for s in summaries if s.pass_rate is not None]
    return min(rates) if rates else None


def _median(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None
