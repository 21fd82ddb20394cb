"""The reconciliation as text cells (the Spend tab's table) and as a section of the monthly report."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from playground import formatting

if TYPE_CHECKING:  # the Spend tab imports this on the GUI thread: keep it light
    from playground.bills.reconcile import Row
    from playground.bills.service import Bills

COLUMNS = ("Day (UTC)", "Provider", "Model", "Billed", "Recorded here", "Difference", "Why")
PROVIDERS = {"openai": "OpenAI", "anthropic": "Anthropic"}


def row_cells(row: Row) -> tuple[str, ...]:
    """One row as shown: unknown figures say so, never $0."""
    diff = row.difference
    return (
        row.day or "all days",
        PROVIDERS.get(row.provider, row.provider),
        row.model,
        formatting.usd(row.billed),
        row.recorded.text(),
        "unknown" if diff is None else ("+" if diff > 0 else "") + formatting.usd(diff),
        row.explanation,
    )


def report_section(bills: Bills, first: date, last: date) -> tuple[str, str]:
    """(title, HTML) for the monthly report: billed, recorded and the difference per model."""
    return "Provider bill (UTC days)", table_html(bills.rows(first, last, by="model"))


def table_html(rows: Sequence[Row]) -> str:
    e = html.escape
    if not rows:
        return "<p>No provider bill imported for this range (Spend ▸ Provider bill imports one).</p>"
    head = "".join(f"<th>{e(c)}</th>" for c in COLUMNS)
    body = "".join("<tr>" + "".join(f"<td>{e(v)}</td>" for v in row_cells(r)) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"
