"""A workload measured from History: token percentiles and averages and requests per day of the filtered
calls, and per model the measured p50 first token, p50 duration and error rate. One query; exact
percentiles and averages."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from playground.history.filters import Filters
from playground.plan.workload import Tokens, Workload, WorkloadError

_ENDED = ("ok", "error")  # calls that ran their course; running, stopped and interrupted ones say little


@dataclass(frozen=True)
class ModelStats:
    """What History measured for one model (None: no call had the figure)."""

    calls: int
    ttft_p50_ms: float | None
    duration_p50_ms: float | None
    error_rate: float


@dataclass(frozen=True)
class Measured:
    workload: Workload
    calls: int
    days: int
    per_model: dict[str, ModelStats]  # by "endpoint/model"


def percentile(values: Sequence[float], q: float) -> float | None:
    """The nearest-rank percentile (an observed value; None for no values)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def measure(db: Any, filters: Filters, base: Workload | None = None) -> Measured:
    """``base`` with its request rate and token sizes replaced by what the filtered calls show."""
    where, args = filters.where()
    status = "status in ('ok', 'error')"
    where = f"{where} and {status}" if where else f"where {status}"
    sql = (
        "select endpoint, model, status, started_at, coalesce(input_tokens, 0) as i, "
        "coalesce(output_tokens, 0) as o, coalesce(reasoning_tokens, 0) as r, ttft_ms, duration_ms "
        f"from calls {where}"
    )
    rows = list(db.query(sql, args))
    if not rows:
        raise WorkloadError("no finished calls match these History filters")
    ok = [r for r in rows if r["status"] == "ok"]
    sized = ok or rows
    inp = percentile_tokens([r["i"] for r in sized])
    out = percentile_tokens([max(r["o"] - r["r"], 0) for r in sized])  # output_tokens includes reasoning
    think = percentile_tokens([r["r"] for r in sized])
    days = _days(filters, [r["started_at"] for r in rows])
    rpd = Decimal(len(rows)) / days
    if base is None:
        workload = Workload(rpd, inp, out, think, name="from history")
    else:
        workload = replace(base, requests_per_day=rpd, input=inp, output=out, reasoning=think)
    return Measured(workload, len(rows), days, _per_model(rows))


def percentile_tokens(values: list[int]) -> Tokens:
    """The p50 and p95 of token counts and their average, rounded half up (0 for none): the bill is
    priced at the average, which a long tail lifts well above the median."""
    p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
    mean = (Decimal(sum(values)) / len(values)).quantize(Decimal(1), ROUND_HALF_UP) if values else 0
    return Tokens(int(p50 or 0), int(p95 or 0), int(mean))


def _days(filters: Filters, started: list[str]) -> int:
    """The days the rate is spread over: the filter's own range, else first to last call (inclusive)."""
    first = _day(filters.since) or min(_day(s[:10]) or date.min for s in started)
    last = _day(filters.until) or max(_day(s[:10]) or date.min for s in started)
    return max((last - first).days + 1, 1)


def _day(text: str | None) -> date | None:
    try:
        return datetime.strptime(text or "", "%Y-%m-%d").date()
    except ValueError:
        return None


def _per_model(rows: list[Any]) -> dict[str, ModelStats]:
    groups: dict[str, list[Any]] = {}
    for r in rows:
        groups.setdefault(f"{r['endpoint']}/{r['model']}", []).append(r)
    stats = {}
    for label, group in groups.items():
        ok = [r for r in group if r["status"] == "ok"]
        stats[label] = ModelStats(
            len(group),
            percentile([r["ttft_ms"] for r in ok if r["ttft_ms"] is not None], 0.5),
            percentile([r["duration_ms"] for r in ok if r["duration_ms"] is not None], 0.5),
            sum(r["status"] == "error" for r in group) / len(group),
        )
    return stats
