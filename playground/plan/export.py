"""A plan as JSON (stable keys, Decimal as strings), CSV, a Markdown summary and a text table.

The JSON is the plan's one serial form: a page showing a plan and `playground plan --json` read the
same dict, so they cannot drift apart.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from playground import formatting
from playground.plan.measure import ModelStats
from playground.plan.moves import Move
from playground.plan.planner import ModelPlan, Plan
from playground.plan.quality import Quality

BATCH_MARK = "†"  # beside every figure that depends on a batch discount setting


def dec(value: Decimal | None) -> str | None:
    """An exact Decimal as plain text ("0.15", never "1.5E-1" or "0E-12"); None stays None."""
    return None if value is None else f"{value.normalize():f}"


def to_data(
    plan: Plan,
    moves: Sequence[Move] = (),
    measured: Mapping[str, ModelStats] | None = None,
    quality: Mapping[str, Quality] | None = None,
    unknown: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """``quality`` None: History's quality figures were not read (the quality move is left out).
    ``unknown``: model -> why, for named models whose endpoint is not set up (not planned)."""
    measured = measured or {}
    known = quality or {}
    return {
        "version": 1,
        "workload": {k: _plain(v) for k, v in plan.workload.to_data().items()},
        "requests_per_month": dec(plan.workload.requests_per_month),
        "models": [
            {**_row(r, measured.get(r.candidate.label)), "quality": _quality(known.get(r.candidate.label))}
            for r in plan.rows
        ],
        "unfit": [{"model": u.candidate.label, "reason": u.reason} for u in plan.unfit],
        "moves": [
            {
                "name": m.name,
                "model": m.model,
                "saving_per_month_usd": dec(m.saving),
                "at_most": m.at_most,
                "depends_on_batch_discount": m.uses_batch_discount,
                "detail": m.detail,
                "largest_message": None
                if m.largest_message is None
                else {
                    "role": m.largest_message.role,
                    "index": m.largest_message.index,
                    "tokens": m.largest_message.tokens,
                },
                "tokens_saved_per_request": m.tokens_saved_per_request,
                "quality": None
                if m.quality is None
                else {
                    "figure": m.quality.figure,
                    "current": m.quality.current,
                    "new": m.quality.new,
                    "at_least": m.quality.at_least,
                },
            }
            for m in moves
        ],
        "left_out": (
            []
            if quality is not None
            else ["quality-based moves (History's pass rates and blind-vote shares were not read)"]
        )
        + [f"{name}: {why}" for name, why in (unknown or {}).items()],
        "not_planned": list(unknown or {}),
        "notes": list(plan.notes),
        # sizes that vary but are billed at p50, no average given: the bill is then likely low
        "median_sizes": list(plan.median_sizes),
    }


def _row(r: ModelPlan, stats: ModelStats | None) -> dict[str, Any]:
    split = r.monthly
    return {
        "model": r.candidate.label,
        "monthly_usd": dec(r.total),
        "split_usd": None
        if split is None
        else {
            "input": dec(split.input),
            "cached_input": dec(split.cached_input),
            "cache_writes": dec(split.cache_writes),
            "output": dec(split.output),
            "reasoning": dec(split.reasoning),
        },
        "monthly_at_p95_usd": dec(r.monthly_p95),
        "per_1000_requests_usd": dec(r.per_1k),
        "request_p50_usd": dec(r.request_p50),
        "request_p95_usd": dec(r.request_p95),
        "month_12_usd": dec(r.month_12),
        "context_window": r.context_window,
        "tier_cliff": r.tier_cliff or None,
        "break_even_hit_rate": dec(r.break_even_hit_rate),
        "cache_write_ratio": dec(r.cache_write_ratio),
        "batch_discount": None if r.batch is None else {"rate": dec(r.batch.rate), "source": r.batch.source},
        "price_source": r.price_source,
        "measured": None
        if stats is None
        else {
            "calls": stats.calls,
            "ttft_p50_ms": stats.ttft_p50_ms,
            "duration_p50_ms": stats.duration_p50_ms,
            "error_rate": stats.error_rate,
        },
    }


def _quality(q: Quality | None) -> dict[str, Any] | None:
    return None if q is None else q.to_data()


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return dec(value)
    return value


def dumps_json(data: Mapping[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


CSV_COLUMNS = (
    "model",
    "monthly_usd",
    "input",
    "cached_input",
    "cache_writes",
    "output",
    "reasoning",
    "per_1000_requests_usd",
    "monthly_at_p95_usd",
    "month_12_usd",
    "context_window",
    "tier_cliff",
    "batch_discount",
    "fits",
)


def to_csv(data: Mapping[str, Any]) -> str:
    """One row per model, the unfit ones last (their costs empty, never 0)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for m in data["models"]:
        split = m["split_usd"] or {}
        batch = m["batch_discount"]
        writer.writerow(
            [
                m["model"],
                m["monthly_usd"] or "",
                *(
                    split.get(k) or ""
                    for k in ("input", "cached_input", "cache_writes", "output", "reasoning")
                ),
                m["per_1000_requests_usd"] or "",
                m["monthly_at_p95_usd"] or "",
                m["month_12_usd"] or "",
                m["context_window"] or "",
                m["tier_cliff"] or "",
                batch["rate"] if batch else "",
                "yes",
            ]
        )
    for u in data["unfit"]:
        writer.writerow([u["model"], *([""] * (len(CSV_COLUMNS) - 2)), f"no: {u['reason']}"])
    return out.getvalue()


def money(text: str | None, batch: bool = False) -> str:
    if text is None:
        return "unknown"
    return formatting.usd(Decimal(text)) + (BATCH_MARK if batch else "")


def to_markdown(data: Mapping[str, Any]) -> str:
    """A short summary a person can paste into a design document."""
    w = data["workload"]
    lines = [
        f"## Cost plan{': ' + w['name'] if w.get('name') else ''}",
        "",
        f"{Decimal(data['requests_per_month']):,} requests a month; input {_size(w['input_tokens'])}, "
        f"output {_size(w['output_tokens'])} tokens per request.",
        "",
        "| Model | Monthly | Per 1,000 requests | Notes |",
        "|---|---:|---:|---|",
    ]
    for m in data["models"]:
        batch = m["batch_discount"] is not None
        lines.append(
            f"| {m['model']} | {money(m['monthly_usd'], batch)} "
            f"| {money(m['per_1000_requests_usd'], batch)} | {m['tier_cliff'] or ''} |"
        )
    for u in data["unfit"]:
        lines.append(f"| {u['model']} | does not fit | | {u['reason']} |")
    lines += ["", "Savings moves:"]
    for mv in data["moves"]:
        lines.append(f"- {move_line(mv)}")
    lines += ["", *(f"_{n}._" for n in _footnotes(data))]
    return "\n".join(lines) + "\n"


def to_table(data: Mapping[str, Any]) -> str:
    """The terminal view: ranked models, the unfit ones apart, then the moves."""
    rows = [("Model", "Monthly", "Input", "Cached", "Writes", "Output", "Reasoning", "Per 1k", "All at p95")]
    for m in data["models"]:
        s, b = m["split_usd"] or {}, m["batch_discount"] is not None
        rows.append(
            (
                m["model"],
                money(m["monthly_usd"], b),
                *(
                    money(s.get(k), b)
                    for k in ("input", "cached_input", "cache_writes", "output", "reasoning")
                ),
                money(m["per_1000_requests_usd"], b),
                money(m["monthly_at_p95_usd"], b),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]
    for m in data["models"]:
        if m["tier_cliff"]:
            lines.append(f"! {m['model']}: {m['tier_cliff']}")
        if m["measured"]:
            lines.append(f"  {m['model']}: {_measured(m['measured'])}")
        if m.get("quality"):
            lines.append(f"  {m['model']}: {quality_text(m['quality'])}")
    if data["unfit"]:
        lines += ["", "Does not fit:"] + [f"  {u['model']}: {u['reason']}" for u in data["unfit"]]
    if data["moves"]:
        lines += ["", "Savings moves:"] + [f"  {move_line(mv)}" for mv in data["moves"]]
    lines += ["", *_footnotes(data)]
    return "\n".join(lines) + "\n"


def _measured(s: Mapping[str, Any]) -> str:
    def ms(v: float | None) -> str:
        return "unknown" if v is None else f"{v:,.0f} ms"

    return (
        f"measured over {s['calls']:,} calls: p50 first token {ms(s['ttft_p50_ms'])}, "
        f"p50 duration {ms(s['duration_p50_ms'])}, errors {s['error_rate']:.1%}"
    )


def share_text(value: float | None) -> str:
    """A pass rate or vote share as a reader sees it; unknown reads "not measured", never 0%."""
    return "not measured" if value is None else f"{value:.1%}".replace(".0%", "%")


def quality_text(q: Mapping[str, Any]) -> str:
    run = f" (run {q['run_id']}, {q['cells']:,} cells)" if q["run_id"] else ""
    votes = f" ({q['wins']:,} of {q['votes']:,} blind votes)" if q["votes"] else ""
    return f"pass rate {share_text(q['pass_rate'])}{run}, vote share {share_text(q['vote_share'])}{votes}"


def move_line(mv: Mapping[str, Any]) -> str:
    saving = mv["saving_per_month_usd"]
    amount = (
        "not estimated"
        if saving is None
        else ("up to " if mv["at_most"] else "") + money(saving, mv["depends_on_batch_discount"]) + "/month"
    )
    return f"{mv['name']} ({mv['model']}): {amount} — {mv['detail']}"


def _footnotes(data: Mapping[str, Any]) -> list[str]:
    notes = list(data["notes"])
    sources = sorted({m["batch_discount"]["source"] for m in data["models"] if m["batch_discount"]})
    notes += [f"{BATCH_MARK} depends on the batch discount setting: {s}" for s in sources]
    notes += [f"left out: {x}" for x in data["left_out"]]
    return notes


def _size(value: object) -> str:
    if isinstance(value, dict):
        mean = f" / average {value['mean']:,}" if "mean" in value else ""
        return f"p50 {value['p50']:,} / p95 {value['p95']:,}{mean}"
    return f"{value:,}" if isinstance(value, int) else str(value)
