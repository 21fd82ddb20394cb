"""Daily totals per endpoint and model, kept beside the calls so charts never scan the whole table.

Days are the user's local days, in the zone the rollups were counted in (``localtime.built_with``):
calls are stored in UTC, and a call at 23:30 local lands on that local day, not on the UTC one.

Costs are summed exactly as integer picodollars (1e-12 USD; finer fractions are rounded half-even):
``cost_pusd`` is the sum of the priced calls and ``unpriced`` counts the calls without a price, the two
halves of a ``money.Money`` (an unknown cost is never counted as 0). Cached input tokens (cache reads)
and reasoning tokens are summed too (m013), so no range figure needs a pass over the calls.
Latencies go into log-spaced buckets (10 % wide) per day and model, so medians and 95th percentiles
of any range come from a few hundred rows: the nearest-rank percentile's bucket, read as its middle,
within ``BUCKET_ACCURACY`` (4.9 %) of the exact value. From m013 on, the
same histograms are also summed per month (a range reads its whole months there and only its edge
days per day) and each day's median and 95th percentile bucket is kept (the per-day charts).
From m020 on, the output tokens and the time after the first token of the calls that produced output
are summed too: tokens per second as Playground, Compare and History show it per call. From m021 on,
the part of ``cost_pusd`` that is our estimate (``cost_estimated`` calls: stopped, cut off, or priced
after a crash) and how many calls it is, so every total can say how much of it we estimated.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, overload

from sqlite_utils import Database

from playground.history.localtime import BUILT_WITH, built_with, day_bounds, day_function, day_sql
from playground.history.records import CallStatus

PICO = Decimal(10) ** 12
BUCKET_BASE = 1.1
# The worst relative error of a bucket's middle (its geometric mean) for a value in it: at its lower
# edge, sqrt(1.1) - 1 = 4.88 % (at its upper edge 1 - 1/sqrt(1.1) = 4.65 %).
BUCKET_ACCURACY = math.sqrt(BUCKET_BASE) - 1
SUMMED = (
    "ok",
    "errors",
    "input_tokens",
    "output_tokens",
    "cost_pusd",
    "unpriced",
    "duration_ms_sum",
    "timed_calls",
    "cached_tokens",  # cached input tokens (cache reads), from m013 on
    "reasoning_tokens",
    "speed_tokens",  # output tokens of the calls that produced output after a first token, from m020 on
    "speed_ms_sum",  # ...and their time from the first token to the end
    "estimated_pusd",  # the part of cost_pusd that is our estimate, from m021 on
    "estimated_calls",  # ...and the calls it is
)
_UPSERT_DAY = (
    f"insert into daily_stats (day, endpoint, model, calls, {', '.join(SUMMED)})"
    f" values (?, ?, ?, 1, {', '.join('?' * len(SUMMED))})"
    " on conflict(day, endpoint, model) do update set calls = calls + 1, "
    + ", ".join(f"{c} = {c} + excluded.{c}" for c in SUMMED)
)


_SPEEDY = "output_tokens > 0 and duration_ms > ttft_ms"  # a call with a speed (null ttft: none)
_ESTIMATED = "coalesce(cost_estimated, 0) = 1 and cost_pusd is not null"  # a priced estimate
_COUNTED = {  # each daily_stats column as a recount from the calls computes it
    "calls": "count(*)",
    "ok": "sum(status = 'ok')",
    "errors": "sum(status in ('error', 'interrupted'))",
    "input_tokens": "sum(coalesce(input_tokens, 0))",
    "output_tokens": "sum(coalesce(output_tokens, 0))",
    "cost_pusd": "coalesce(sum(cost_pusd), 0)",  # the priced part...
    "unpriced": "sum(cost_pusd is null)",  # ...and the calls without a price
    "duration_ms_sum": "sum(coalesce(duration_ms, 0))",
    "timed_calls": "sum(status = 'ok' and duration_ms is not null)",
    "cached_tokens": "sum(coalesce(cache_read_tokens, 0))",
    "reasoning_tokens": "sum(coalesce(reasoning_tokens, 0))",
    # as the runner's per-call tokens_per_s: output, a first token, and time after it
    "speed_tokens": f"sum(case when {_SPEEDY} then output_tokens else 0 end)",
    "speed_ms_sum": f"sum(case when {_SPEEDY} then duration_ms - ttft_ms else 0 end)",
    "estimated_pusd": f"sum(case when {_ESTIMATED} then cost_pusd else 0 end)",
    "estimated_calls": f"sum({_ESTIMATED})",
}


def to_pico(amount: Decimal | str | None) -> int | None:
    if amount is None:
        return None
    return int((Decimal(amount) * PICO).to_integral_value(ROUND_HALF_EVEN))


@overload
def from_pico(value: int) -> Decimal: ...
@overload
def from_pico(value: int | None) -> Decimal | None: ...
def from_pico(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value) / PICO


def bucket(ms: float | None) -> int | None:
    if ms is None or ms <= 0:
        return None
    return math.floor(math.log(ms) / math.log(BUCKET_BASE))


def bucket_ms(index: int) -> float:
    """The middle of a bucket (its geometric mean: within ``BUCKET_ACCURACY`` of any value in it), in
    milliseconds."""
    return float(BUCKET_BASE ** (index + 0.5))


def percentile_bucket(counts: Mapping[int, int], q: float) -> int | None:
    """The bucket of the nearest-rank ``q`` quantile (0..1) of a bucket histogram: the bucket of the
    smallest value with at least ``q`` of the values at or below it. (The rank q * (n - 1), counted
    from 0 and rounded down, put the p95 of 700 and 800 ms in the 700's bucket.)"""
    total = sum(counts.values())
    if not total:
        return None
    rank = max(1, math.ceil(q * total - 1e-9))  # 1-based; the tolerance keeps 0.95 * 20 at 19
    seen = 0
    for index in sorted(counts):
        seen += counts[index]
        if seen >= rank:
            return index
    return max(counts)


def percentile(counts: Mapping[int, int], q: float) -> float | None:
    """The nearest-rank ``q`` quantile (0..1) of a bucket histogram, within ``BUCKET_ACCURACY``."""
    index = percentile_bucket(counts, q)
    return None if index is None else bucket_ms(index)


def add_calls(db: Database, rows: Iterable[Mapping[str, Any]]) -> None:
    """Count finished calls into the daily tables (inside the caller's transaction)."""
    local_day = day_function(built_with(db))
    derived = _derived(db)
    for row in rows:
        day = local_day(row["started_at"])
        status = row["status"]
        cost = row.get("cost_pusd")
        db.execute(
            _UPSERT_DAY,
            [
                day,
                row["endpoint"],
                row["model"],
                int(status == CallStatus.OK),
                int(status in (CallStatus.ERROR, CallStatus.INTERRUPTED)),
                row.get("input_tokens") or 0,
                row.get("output_tokens") or 0,
                0 if cost is None else cost,  # the priced part; the unknown one is counted next
                int(cost is None),
                row.get("duration_ms") or 0,
                int(status == CallStatus.OK and row.get("duration_ms") is not None),
                row.get("cache_read_tokens") or 0,
                row.get("reasoning_tokens") or 0,
                *_speed(row),
                *_estimated(row),
            ],
        )
        if status != CallStatus.OK:
            continue
        for metric in ("duration_ms", "ttft_ms"):
            index = bucket(row.get(metric))
            if index is not None:
                db.execute(
                    "insert into daily_latency (day, model, metric, bucket, count) values (?, ?, ?, ?, 1)"
                    " on conflict(day, model, metric, bucket) do update set count = count + 1",
                    [day, row["model"], metric, index],
                )
                if derived and day is not None:
                    db.execute(
                        "insert into monthly_latency (month, model, metric, bucket, count)"
                        " values (?, ?, ?, ?, 1) on conflict(month, model, metric, bucket)"
                        " do update set count = count + 1",
                        [day[:7], row["model"], metric, index],
                    )
                    _set_percentiles(
                        db, "where day = ? and model = ? and metric = ?", [day, row["model"], metric]
                    )


def _speed(row: Mapping[str, Any]) -> tuple[int, float]:
    """(output tokens, ms after the first token) of a call that produced output after a first token,
    else (0, 0): as ``_COUNTED`` counts them."""
    tokens, ms, ttft = row.get("output_tokens") or 0, row.get("duration_ms"), row.get("ttft_ms")
    if tokens > 0 and ms is not None and ttft is not None and ms > ttft:
        return tokens, ms - ttft
    return 0, 0.0


def _estimated(row: Mapping[str, Any]) -> tuple[int, int]:
    """(picodollars, 1) of a call whose cost is our estimate, else (0, 0): as ``_COUNTED`` counts them."""
    cost = row.get("cost_pusd")
    return (cost, 1) if row.get("cost_estimated") and cost is not None else (0, 0)


def rebuild_days(db: Database, utc_days: list[str]) -> None:
    """Recount the local days that calls of these UTC days fell on (after deleting some calls)."""
    name = built_with(db)
    local: set[date] = set()
    for text in utc_days:
        d = date.fromisoformat(text)
        local.update((d - timedelta(days=1), d, d + timedelta(days=1)))  # zones lie within ±1 day
    for day in sorted(local):
        start, end = day_bounds(day, name)
        _rebuild(db, name, "and started_at >= ? and started_at < ?", [start, end], day.isoformat())


def rebuild(db: Database, zone_name: str | None = None) -> None:
    """Recount everything from the calls (after a migration, an import, or in another zone)."""
    name = zone_name or built_with(db)
    _rebuild(db, name, "", [], None)
    if db.table("settings").exists():  # from migration 8 on
        db.table("settings").upsert({"key": BUILT_WITH, "value": name}, pk="key")


def _rebuild(db: Database, zone_name: str, extra: str, args: list[Any], day: str | None) -> None:
    db.conn.create_function("latency_bucket", 1, bucket, deterministic=True)
    only = "where day = ?" if day else ""
    db.execute(f"delete from daily_stats {only}", [day] if day else [])
    db.execute(f"delete from daily_latency {only}", [day] if day else [])
    span = db.execute(
        f"select min(started_at), max(started_at) from calls where status != 'running' {extra}", args
    ).fetchone()
    local_day, day_args = day_sql(zone_name, span[0], span[1])
    present = set(db.table("daily_stats").columns_dict)  # the migrations before m013 recount fewer
    counted = {c: sql for c, sql in _COUNTED.items() if c in present}
    db.execute(
        f"insert into daily_stats (day, endpoint, model, {', '.join(counted)})"
        f" select {local_day} as d, endpoint, model, {', '.join(counted.values())}"
        f" from calls where status != 'running' {extra} group by 1, 2, 3",
        [*day_args, *args],
    )
    for metric in ("duration_ms", "ttft_ms"):
        db.execute(
            f"insert into daily_latency select {local_day}, model, '{metric}',"
            f" latency_bucket({metric}) as b, count(*) from calls"
            f" where status = 'ok' and {metric} > 0 {extra} group by 1, 2, 4",
            [*day_args, *args],
        )
    if _derived(db):
        month, where = (day[:7], "where substr(day, 1, 7) = ?") if day else (None, "")
        db.execute(f"delete from monthly_latency {'where month = ?' if day else ''}", [month] if day else [])
        db.execute(
            "insert into monthly_latency select substr(day, 1, 7), model, metric, bucket, sum(count)"
            f" from daily_latency {where} group by 1, 2, 3, 4",
            [month] if day else [],
        )
        db.execute(f"delete from daily_percentiles {only}", [day] if day else [])
        _set_percentiles(db, only, [day] if day else [])


def fill_speed_and_percentiles(db: Database) -> None:
    """Sum ``speed_tokens`` and ``speed_ms_sum`` into the daily rows there are, each row's calls read
    through the (model, started_at) index, and set every day's percentiles anew from its histogram
    (m020: a recount of a million calls took ~18 s; this ~1 s of CPU)."""
    name = built_with(db)
    each = (
        "select sum(output_tokens), sum(duration_ms - ttft_ms) from calls where model = ? and started_at >= ?"
        f" and started_at < ? and endpoint is ? and status != 'running' and {_SPEEDY}"
    )
    found = []
    for day, endpoint, model in db.execute(
        "select day, endpoint, model from daily_stats where day is not null and model is not null"
    ).fetchall():
        start, end = day_bounds(date.fromisoformat(day), name)
        tokens, ms = db.execute(each, [model, start, end, endpoint]).fetchone()
        if tokens:
            found.append((tokens, ms, day, endpoint, model))
    db.conn.executemany(
        "update daily_stats set speed_tokens = ?, speed_ms_sum = ?"
        " where day = ? and endpoint is ? and model = ?",
        found,
    )
    db.execute("delete from daily_percentiles")
    _set_percentiles(db, "", [])


def fill_estimated(db: Database) -> None:
    """Sum ``estimated_pusd`` and ``estimated_calls`` into the daily rows there are (m021), from the
    few estimated calls: one pass over the calls, grouped by local day as a recount groups them."""
    name = built_with(db)
    span = db.execute(
        "select min(started_at), max(started_at) from calls where status != 'running'"
    ).fetchone()
    local_day, day_args = day_sql(name, span[0], span[1])
    found = db.execute(
        f"select sum(cost_pusd), count(*), {local_day}, endpoint, model from calls"
        f" where status != 'running' and {_ESTIMATED} group by 3, 4, 5",
        day_args,
    ).fetchall()
    db.conn.executemany(
        "update daily_stats set estimated_pusd = ?, estimated_calls = ?"
        " where day is ? and endpoint is ? and model is ?",
        found,
    )


def _derived(db: Database) -> bool:
    """Whether the tables derived from the daily histograms exist yet (m013 on)."""
    return db.table("daily_percentiles").exists()


def _set_percentiles(db: Database, where: str, args: list[Any]) -> None:
    """Store the median and 95th percentile bucket of the day histograms ``where`` picks (charts
    per day read these few rows instead of every bucket)."""
    hist: dict[tuple[str, str, str], dict[int, int]] = {}
    for day, model, metric, index, count in db.execute(
        f"select day, model, metric, bucket, count from daily_latency {where}", args
    ).fetchall():
        hist.setdefault((day, model, metric), {})[index] = count
    db.conn.executemany(
        "insert or replace into daily_percentiles (day, model, metric, p50, p95) values (?, ?, ?, ?, ?)",
        [(*key, percentile_bucket(h, 0.5), percentile_bucket(h, 0.95)) for key, h in hist.items()],
    )
