"""What Spend saves: the per-model table and each chart's series as CSV, and a one-page monthly report
(HTML with the charts inlined as PNG data URIs). Text only here; the caller writes it off the GUI thread.
"""

from __future__ import annotations

import base64
import csv
import html
import io
from collections.abc import Sequence
from datetime import date

from playground.formatting import usd
from playground.history.transfer import spreadsheet_safe
from playground.spend.overview import ModelRow, RangeCards

MODEL_COLUMNS = (
    "model",
    "calls",
    "errors",
    "input_tokens",
    "output_tokens",
    "cached_tokens",
    "reasoning_tokens",
    "cost_usd",
    "unpriced_calls",
    "share_of_spend",
    "p50_duration_ms",
    "p95_duration_ms",
    "p50_first_token_ms",
    "tokens_per_s",
    "estimated_cost_usd",  # the part of cost_usd that is our estimate (stopped or cut calls); last, so
    # a script reading the columns by position reads the same ones as before
)

Series = tuple[str, Sequence[float], Sequence[float]]  # name, x (timestamps), y


def _opt(value: float | None, digits: int) -> str:
    return "" if value is None else f"{value:.{digits}f}"  # empty, never 0, for what we cannot know


def model_cells(r: ModelRow) -> list[str | int]:
    return [
        spreadsheet_safe(r.model),
        r.calls,
        r.errors,
        r.input_tokens,
        r.output_tokens,
        r.cached_tokens,
        r.reasoning_tokens,
        r.cost.csv_cost(),
        r.cost.unpriced,
        _opt(r.share, 4),
        _opt(r.p50_ms, 0),
        _opt(r.p95_ms, 0),
        _opt(r.ttft_p50_ms, 0),
        _opt(r.tokens_per_s, 1),
        r.cost.csv_estimated(),
    ]


def models_csv(rows: Sequence[ModelRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(MODEL_COLUMNS)
    writer.writerows(model_cells(r) for r in rows)
    return out.getvalue()


def series_csv(series: Sequence[Series], value: str) -> str:
    """One row per point: the local day, the series' name, the value."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["day", "series", value])
    for name, xs, ys in series:
        for x, y in zip(xs, ys, strict=True):
            writer.writerow([date.fromtimestamp(x).isoformat(), spreadsheet_safe(name), repr(float(y))])
    return out.getvalue()


def card_lines(cards: RangeCards) -> list[tuple[str, str]]:
    """The cards as (title, text), shared by the view and the report so they never disagree."""
    avg = cards.average_per_call
    rate = cards.error_rate
    return [
        ("Spend", cards.spend.text()),
        ("Calls", f"{cards.calls:,}"),
        ("Error rate", "–" if rate is None else f"{rate:.1%}"),
        ("Tokens in / out", f"{cards.input_tokens:,} / {cards.output_tokens:,}"),
        ("Cached input", f"{cards.cached_tokens:,}"),
        ("Average per call", "–" if avg is None else usd(avg)),
        ("Month end (projected)", projected_text(cards)),
        ("Budget", cards.budget_text),
    ]


def projected_text(cards: RangeCards) -> str:
    """'~$34.59' (a projection: all of it an estimate), or 'too early to project'."""
    projected = cards.projected_month
    return "too early to project" if projected is None else "~" + projected.text()


def monthly_report(
    title: str,
    cards: RangeCards,
    rows: Sequence[ModelRow],
    charts: Sequence[tuple[str, bytes]],
    sections: Sequence[tuple[str, str]] = (),
) -> str:
    """One page: the cards, the charts (PNG bytes), the per-model table, then ``sections`` (title,
    HTML fragment) — the hook where the provider bill reconciliation adds itself."""
    e = html.escape
    parts = [
        f"<!doctype html><html><head><meta charset='utf-8'><title>{e(title)}</title><style>"
        "body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}td:first-child{text-align:left}"
        ".cards{display:flex;flex-wrap:wrap;gap:18px}.card small{color:#666;display:block}"
        "img{max-width:48%;margin:4px}</style></head><body>",
        f"<h1>{e(title)}</h1><div class='cards'>",
    ]
    parts += [f"<div class='card'><small>{e(t)}</small><b>{e(v)}</b></div>" for t, v in card_lines(cards)]
    parts.append("</div><h2>Charts</h2>")
    for name, png in charts:
        data = base64.b64encode(png).decode("ascii")
        parts.append(f"<img alt='{e(name)}' title='{e(name)}' src='data:image/png;base64,{data}'>")
    parts.append("<h2>By model</h2><table><tr>")
    parts += [f"<th>{e(c)}</th>" for c in MODEL_COLUMNS]
    parts.append("</tr>")
    for r in rows:
        parts.append("<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in model_cells(r)) + "</tr>")
    parts.append("</table>")
    for name, fragment in sections:
        parts.append(f"<h2>{e(name)}</h2>{fragment}")
    parts.append("</body></html>")
    return "".join(parts)
