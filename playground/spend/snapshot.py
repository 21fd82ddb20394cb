"""What the Spend page shows for one range and period, made in one go on the background pool: the
bars, the month so far, each model's latency band and speed, the per-model table and the cards.

The rollups are read as plain tuples and turned straight into chart series (floats of picodollars,
lists per model): a year by day is ~2,200 day-model rows and ~8,800 percentile rows, and a frozen
report row per day and model (then a filter per chart on the GUI thread) cost the pool ~50-80 ms of
GIL time under load. Only the month (≤ 31 rows) and the per-model table keep exact ``Money``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby
from operator import itemgetter
from typing import Any

from playground.history.rollups import bucket_ms
from playground.spend.budgets import Budgets
from playground.spend.charts import Stacked, period_of, period_start, range_start, timestamp
from playground.spend.overview import ModelRow, Overview, RangeCards, month_days
from playground.spend.reports import PERIODS, Reports, SpendRow, where_days

PICO_F = 1e12


@dataclass(frozen=True)
class Series:
    """One model's per-day values: ``x`` local midnights; ``y`` and, for a band, ``high``."""

    x: list[float] = field(default_factory=list)
    y: list[float] = field(default_factory=list)
    high: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Snapshot:
    """One refresh's answer. ``first`` is the first day the bars show (a week or month may start
    before ``since``); ``latency``, ``ttft`` (p50 with p95 as ``high``) and ``speed`` per model."""

    since: date
    until: date
    first: date
    period: str
    bars: Stacked  # priced cost per period, stacked by model
    tokens_in: list[float]  # per period of ``bars.x``: every model's sum
    tokens_out: list[float]
    month_rows: list[SpendRow]  # the month of ``until``, by day
    latency: dict[str, Series]
    ttft: dict[str, Series]
    speed: dict[str, Series]
    models: list[ModelRow]
    cards: RangeCards
    budgets: Budgets

    @property
    def empty(self) -> bool:
        return not self.bars.x

    @property
    def partial_last(self) -> bool:
        """Whether the last bar is the period still running (today, this week, this month): a
        part so far, which drawn like the others read as a fall."""
        return bool(self.bars.x) and self.bars.x[-1] == timestamp(period_of(self.until, self.period))


def take(
    reports: Reports,
    budgets: Callable[[], Budgets],
    range_name: str,
    period: str,
    models: list[str] | None = None,
    now: datetime | None = None,
) -> Snapshot:
    """The Spend page for ``range_name`` ("Year"...) ending today, bars per ``period``; the month's
    pace as at ``now`` (aware, in the user's zone; the clock's when None)."""
    if now is None:
        now = reports.clock.now()
        until = reports.clock.today()  # the user's local day (setting or stored zone)
    else:
        until = now.date()
    since = range_start(range_name, until)
    overview = Overview(reports)
    rows = overview.models(since, until, models)
    (bars, first_key), tokens_in, tokens_out, speed = _bars(reports, since, until, period, models)
    first_bar = period_start(first_key) if first_key else until
    limits = budgets()
    first, last = month_days(until)
    latency, ttft = _bands(reports, since, until, models)
    return Snapshot(
        since or first_bar,
        until,
        min(since or first_bar, first_bar),
        period,
        bars,
        tokens_in,
        tokens_out,
        reports.spend(first, last, period="day", by=None, models=models),
        latency,
        ttft,
        _speed(reports, since, until, models) if speed is None else speed,
        rows,
        overview.cards(rows, until, limits, until, models, now),
        limits,
    )


def _bars(
    reports: Reports, since: date | None, until: date, period: str, models: list[str] | None
) -> tuple[tuple[Stacked, str], list[float], list[float], dict[str, Series] | None]:
    """((cost stacked by model, the first period's key), tokens in and out per period, and with bars
    per day each model's speed from the same rows; None otherwise: ``_speed`` reads it by day)."""
    where, args = where_days(since, until, models)
    found = (
        reports.storage.read()
        .execute(
            f"select {PERIODS[period]}, model, sum(cost_pusd), sum(unpriced), sum(input_tokens),"
            " sum(output_tokens), sum(speed_tokens), sum(speed_ms_sum)"
            f" from daily_stats {where} group by 1, 2 order by 1",
            args,
        )
        .fetchall()
    )
    periods = sorted({r[0] for r in found})
    index = {p: i for i, p in enumerate(periods)}
    n = len(periods)
    layers: dict[str, list[float]] = {}
    unpriced, tin, tout = [0] * n, [0.0] * n, [0.0] * n
    speed: dict[str, Series] | None = {} if period == "day" else None
    days = _days()
    for key, model, pico, missing, inp, out, speed_tokens, speed_ms in found:
        i = index[key]
        layer = layers.get(model or "all")
        if layer is None:
            layer = layers[model or "all"] = [0.0] * n
        layer[i] += (pico or 0) / PICO_F
        unpriced[i] += missing or 0
        tin[i] += inp or 0
        tout[i] += out or 0
        if speed is not None and speed_ms:  # as Reports.speed; no point on a day without output
            s = speed.get(model)
            if s is None:
                s = speed[model] = Series()
            s.x.append(days[key])
            s.y.append(speed_tokens * 1000.0 / speed_ms)
    x = [timestamp(period_start(p)) for p in periods]
    return (Stacked(x, layers, unpriced), periods[0] if periods else ""), tin, tout, speed


class _Memo(dict[Any, Any]):
    """``memo[key]`` computes ``make(key)`` once: a subscript, not a call, per row."""

    def __init__(self, make: Callable[[Any], Any]):
        super().__init__()
        self._make = make

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self._make(key)
        return value


def _days() -> _Memo:
    """Local midnight per ISO day (per snapshot: the process's zone may change between two)."""
    return _Memo(lambda day: timestamp(date.fromisoformat(day)))


_MS = _Memo(bucket_ms)  # a latency bucket's milliseconds


def _bands(
    reports: Reports, since: date | None, until: date, models: list[str] | None
) -> tuple[dict[str, Series], dict[str, Series]]:
    """Per model, each day's median with its 95th percentile (days without a timed call left out),
    of the duration and of the first token, in one query; each series made by one comprehension."""
    where, args = where_days(since, until, models)
    where = f"{where} {'and' if where else 'where'} p50 is not null and p95 is not null"
    sql = f"select metric, model, day, p50, p95 from daily_percentiles {where} order by metric, model, day"
    out: dict[str, dict[str, Series]] = {"duration_ms": {}, "ttft_ms": {}}
    days, ms = _days(), _MS
    found = reports.storage.read().execute(sql, args).fetchall()
    for (metric, model), group in groupby(found, key=itemgetter(0, 1)):
        if metric in out:
            rows = list(group)
            out[metric][model] = Series(
                [days[r[2]] for r in rows], [ms[r[3]] for r in rows], [ms[r[4]] for r in rows]
            )
    return out["duration_ms"], out["ttft_ms"]


def _speed(reports: Reports, since: date | None, until: date, models: list[str] | None) -> dict[str, Series]:
    """Per model, each day's tokens per second (``reports.SPEED_SQL``); no point on a day without a
    call that produced output."""
    out: dict[str, Series] = {}
    days = _days()
    for day, model, rate in reports.speed(since, until, models, order="model"):
        s = out.get(model)
        if s is None:
            s = out[model] = Series()
        s.x.append(days[day])
        s.y.append(rate)
    return out
