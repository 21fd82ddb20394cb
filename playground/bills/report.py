"""The reconciliation as text cells (the Spend tab's table) and as a section of the monthly report."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from playground import formatting
from playground.pricing.money import Money

if TYPE_CHECKING:  # the Spend tab imports this on the GUI thread: keep it light
    from playground.bills.reconcile import Row
    from playground.bills.service import Bills

TOLERANCE = Decimal("0.005")  # under half a cent apart: the same bill, rounded differently
COLUMNS = ("Day (UTC)", "Provider", "Model", "Billed", "Recorded here", "Difference", "Why")
PROVIDERS = {"openai": "OpenAI", "anthropic": "Anthropic"}


def row_cells(row: Row) -> tuple[str, ...]:
    """One row as shown: unknown figures say so, never $0."""
    diff = row.difference
    return (
        row.day or "the range",
        PROVIDERS.get(row.provider, row.provider),
        row.model,
        formatting.usd(row.billed),
        row.recorded.text(),
        formatting.signed_usd(diff),
        row.explanation,
    )


@dataclass(frozen=True)
class Totals:
    """The range at a glance: billed and recorded on the rows a bill covers, and what no bill covers
    yet (recorded here only: no difference can be told there)."""

    billed_rows: int
    billed: Decimal
    recorded: Money  # on the rows with a bill
    unbilled_rows: int
    unbilled: Money  # recorded on the rows with no bill

    @property
    def difference(self) -> Decimal | None:
        if not self.billed_rows or not self.recorded.complete:
            return None
        return self.billed - self.recorded.priced


def totals(rows: Sequence[Row]) -> Totals:
    billed = [r for r in rows if r.billed is not None]
    return Totals(
        billed_rows=len(billed),
        billed=sum((r.billed for r in billed if r.billed is not None), Decimal(0)),
        recorded=Money.sum(r.recorded for r in billed),
        unbilled_rows=len(rows) - len(billed),
        unbilled=Money.sum(r.recorded for r in rows if r.billed is None),
    )


def covered_text(t: Totals, exact: bool = False) -> str:
    """The difference over the rows a bill covers, in one sentence (``exact``: every digit, the CLI)."""
    if not t.billed_rows:
        return "No bill imported for this range." if t.unbilled_rows else "Nothing billed or recorded."
    diff = t.difference
    if diff is None:
        gap = f"difference unknown ({t.recorded.unpriced} call(s) here have no price)"
    elif abs(diff) < TOLERANCE:
        gap = "they match"
    else:
        gap = f"difference {formatting.signed_usd(diff, exact)}"
    billed = (formatting.usd_exact if exact else formatting.usd)(t.billed)
    recorded = t.recorded.text(exact=exact)
    return f"Where a bill is imported: billed {billed}, recorded here {recorded}; {gap}."


def uncovered_text(t: Totals, exact: bool = False) -> str:
    """What no bill covers yet ('' when a bill covers every row)."""
    if not t.unbilled_rows:
        return ""
    return (
        f"{t.unbilled_rows} row(s) with no bill imported (recorded here {t.unbilled.text(exact=exact)}):"
        " import the bill for the range to compare them."
    )


def totals_text(t: Totals, exact: bool = False) -> str:
    return " ".join(part for part in (covered_text(t, exact), uncovered_text(t, exact)) if part)


def report_section(bills: Bills, first: date, last: date) -> tuple[str, str]:
    """(title, HTML) for the monthly report: billed, recorded and the difference per model."""
    return "Provider bill (UTC days)", table_html(bills.rows(first, last, by="model"))


def table_html(rows: Sequence[Row]) -> str:
    e = html.escape
    if not rows:
        return "<p>No provider bill imported for this range (Spend ▸ Provider bill imports one).</p>"
    skip = 1 if all(r.day is None for r in rows) else 0  # per model: no day column
    head = "".join(f"<th>{e(c)}</th>" for c in COLUMNS[skip:])
    body = "".join("<tr>" + "".join(f"<td>{e(v)}</td>" for v in row_cells(r)[skip:]) + "</tr>" for r in rows)
    return f"<p>{e(totals_text(totals(rows)))}</p><table><tr>{head}</tr>{body}</table>"
