"""Daily totals per endpoint and model, kept beside the calls so charts never scan the whole table.

Costs are summed exactly as integer picodollars (1e-12 USD; finer fractions are rounded half-even).
Latencies go into log-spaced buckets (10 % wide) per day and model, so medians and 95th percentiles
of any range come from a few hundred rows; they are exact to within one bucket.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlite_utils import Database

PICO = Decimal(10) ** 12
BUCKET_BASE = 1.1
SUMMED = (
    "ok",
    "errors",
    "input_tokens",
    "output_tokens",
    "cost_pusd",
    "unpriced",
    "duration_ms_sum",
    "timed_calls",
)
_UPSERT_DAY = (
    f"insert into daily_stats (day, endpoint, model, calls, {', '.join(SUMMED)})"
    f" values (?, ?, ?, 1, {', '.join('?' * len(SUMMED))})"
    " on conflict(day, endpoint, model) do update set calls = calls + 1, "
    + ", ".join(f"{c} = {c} + excluded.{c}" for c in SUMMED)
)


def to_pico(amount: Decimal | str | None) -> int | None:
    if amount is None:
        return None
    return int((Decimal(amount) * PICO).to_integral_value(ROUND_HALF_EVEN))


def from_pico(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value) / PICO


def bucket(ms: float | None) -> int | None:
    if ms is None or ms <= 0:
        return None
    return math.floor(math.log(ms) / math.log(BUCKET_BASE))


def bucket_ms(index: int) -> float:
    """The middle of a bucket, in milliseconds."""
    return BUCKET_BASE ** (index + 0.5)


def percentile(counts: Mapping[int, int], q: float) -> float | None:
    """The ``q`` quantile (0..1) of a bucket histogram."""
    total = sum(counts.values())
    if not total:
        return None
    rank = q * (total - 1)
    seen = 0
    for index in sorted(counts):
        seen += counts[index]
        if seen > rank:
            return bucket_ms(index)
    return bucket_ms(max(counts))


def add_calls(db: Database, rows: Iterable[Mapping[str, Any]]) -> None:
    """Count finished calls into the daily tables (inside the caller's transaction)."""
    for row in rows:
        day = row["started_at"][:10]
        status = row["status"]
        cost = row.get("cost_pusd")
        db.execute(
            _UPSERT_DAY,
            [
                day,
                row["endpoint"],
                row["model"],
                int(status == "ok"),
                int(status in ("error", "interrupted")),
                row.get("input_tokens") or 0,
                row.get("output_tokens") or 0,
                cost or 0,
                int(status == "ok" and cost is None),
                row.get("duration_ms") or 0,
                int(status == "ok" and row.get("duration_ms") is not None),
            ],
        )
        if status != "ok":
            continue
        for metric in ("duration_ms", "ttft_ms"):
            index = bucket(row.get(metric))
            if index is not None:
                db.execute(
                    "insert into daily_latency (day, model, metric, bucket, count) values (?, ?, ?, ?, 1)"
                    " on conflict(day, model, metric, bucket) do update set count = count + 1",
                    [day, row["model"], metric, index],
                )


def rebuild_days(db: Database, days: list[str]) -> None:
    """Recount only these days (after deleting some calls)."""
    for day in days:
        _rebuild(db, "where substr(started_at, 1, 10) = ?", [day], day)


def rebuild(db: Database) -> None:
    """Recount everything from the calls (after a migration or an import)."""
    _rebuild(db, "", [], None)


def _rebuild(db: Database, where: str, args: list, day: str | None) -> None:
    db.conn.create_function("latency_bucket", 1, bucket, deterministic=True)
    only = "where day = ?" if day else ""
    db.execute(f"delete from daily_stats {only}", [day] if day else [])
    db.execute(f"delete from daily_latency {only}", [day] if day else [])
    extra = f" and {where.removeprefix('where ')}" if where else ""
    db.execute(
        "insert into daily_stats select substr(started_at, 1, 10), endpoint, model, count(*),"
        " sum(status = 'ok'), sum(status in ('error', 'interrupted')), sum(coalesce(input_tokens, 0)),"
        " sum(coalesce(output_tokens, 0)), sum(coalesce(cost_pusd, 0)),"
        " sum(status = 'ok' and cost_pusd is null), sum(coalesce(duration_ms, 0)),"
        " sum(status = 'ok' and duration_ms is not null)"
        f" from calls where status != 'running'{extra} group by 1, 2, 3",
        args,
    )
    for metric in ("duration_ms", "ttft_ms"):
        db.execute(
            f"insert into daily_latency select substr(started_at, 1, 10), model, '{metric}',"
            f" latency_bucket({metric}) as b, count(*) from calls"
            f" where status = 'ok' and {metric} > 0{extra} group by 1, 2, 4",
            args,
        )
