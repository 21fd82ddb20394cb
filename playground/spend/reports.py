"""Spend and latency over time, read from the daily rollups (never the whole calls table)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta

from playground.history.localtime import LocalTime
from playground.history.rollups import bucket_ms, from_pico
from playground.history.storage import OfflineStorage, Storage
from playground.pricing.money import Money

# Each period by its first day: a week by its Monday's date. (Named "%Y-W%W", the days of a week
# across New Year fell in two names, "2025-W52" and "2026-W00", drawn as two bars at one Monday.)
PERIODS = {
    "day": "day",
    "week": "date(day, '-' || ((cast(strftime('%w', day) as integer) + 6) % 7) || ' days')",
    "month": "substr(day, 1, 7)",
}

# Tokens per second as Playground, Compare and History show it per call (output tokens over the time
# from the first token to the end), over the calls that produced output: their output tokens over
# their time after the first token, i.e. the per-call speeds averaged weighted by that time. (Spend
# divided all output by all call time: first tokens and failed calls' time included.)
SPEED_SQL = "sum(speed_tokens) * 1000.0 / sum(speed_ms_sum)"


@dataclass(frozen=True)
class SpendRow:
    period: str
    key: str  # model, endpoint, or "" for all
    cost: Money
    calls: int
    errors: int
    input_tokens: int
    output_tokens: int

    @property
    def unpriced(self) -> int:
        return self.cost.unpriced

    def __add__(self, other: SpendRow) -> SpendRow:
        """Two rows' totals under this row's period and key."""
        return SpendRow(
            self.period,
            self.key,
            self.cost + other.cost,
            self.calls + other.calls,
            self.errors + other.errors,
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
        )


@dataclass(frozen=True)
class LatencyRow:
    day: str
    model: str
    p50_ms: float | None
    p95_ms: float | None


class Reports:
    def __init__(
        self,
        storage: Storage | OfflineStorage,
        clock: LocalTime | None = None,
        adopt_system_zone: bool = True,
    ):
        self._storage = storage
        self.clock = clock or LocalTime(storage, adopt_system=adopt_system_zone)
        self.clock.ensure_rollups()  # at open (off the GUI thread): recount if the zone changed

    @property
    def storage(self) -> Storage | OfflineStorage:
        return self._storage

    def spend(
        self,
        since: date | None = None,
        until: date | None = None,
        period: str = "day",
        by: str | None = "model",
        models: list[str] | None = None,
    ) -> list[SpendRow]:
        """Totals per period (and per model or endpoint), exact to the picodollar."""
        key = {"model": "model", "endpoint": "endpoint", None: "''"}[by]
        where, args = where_days(since, until, models)
        sql = (
            f"select {PERIODS[period]} as period, {key} as key, sum(cost_pusd) as cost, sum(calls) as calls,"
            " sum(errors) as errors, sum(unpriced) as unpriced, sum(estimated_pusd) as estimated,"
            " sum(input_tokens) as input_tokens,"
            f" sum(output_tokens) as output_tokens from daily_stats {where} group by 1, 2 order by 1, 2"
        )
        return [
            SpendRow(
                r["period"],
                r["key"],
                Money(from_pico(r["cost"]), r["unpriced"], from_pico(r["estimated"])),
                r["calls"],
                r["errors"],
                r["input_tokens"],
                r["output_tokens"],
            )
            for r in self._storage.read().query(sql, args)
        ]

    def latency(
        self,
        since: date | None = None,
        until: date | None = None,
        metric: str = "duration_ms",
        models: list[str] | None = None,
    ) -> list[LatencyRow]:
        """Median and 95th percentile per day and model, kept per day beside the latency histograms."""
        where, args = where_days(since, until, models)
        where = f"{where} {'and' if where else 'where'} metric = ?"
        sql = f"select day, model, p50, p95 from daily_percentiles {where} order by day, model"
        return [
            LatencyRow(day, model, _ms(p50), _ms(p95))
            for day, model, p50, p95 in self._storage.read().execute(sql, [*args, metric]).fetchall()
        ]

    def histograms(
        self, since: date | None, until: date | None, models: list[str] | None = None
    ) -> dict[tuple[str, str], dict[int, int]]:
        """Per (model, metric): the range's latency histogram (bucket → calls), its whole months read
        from the monthly sums and only its edge days from the daily ones."""
        first, last = whole_months(since, until)
        if first is None or last is None:
            parts = [("daily_latency", *where_days(since, until, models))]
        else:  # each part a range of the primary key: the whole months, then the days at either edge
            m_where, m_args = where_days(None, None, models)
            m_where = f"{m_where} {'and' if m_where else 'where'} month >= ? and month <= ?"
            parts = [("monthly_latency", m_where, [*m_args, first.isoformat()[:7], last.isoformat()[:7]])]
            if since is not None and since < first:
                parts.append(("daily_latency", *where_days(since, first - timedelta(days=1), models)))
            if until is not None and last < until:
                parts.append(("daily_latency", *where_days(last + timedelta(days=1), until, models)))
        sql = " union all ".join(f"select model, metric, bucket, count from {t} {w}" for t, w, _ in parts)
        hist: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
        for model, metric, index, count in (
            self._storage.read()
            .execute(
                f"select model, metric, bucket, sum(count) from ({sql}) group by 1, 2, 3",
                [a for _, _, args in parts for a in args],
            )
            .fetchall()
        ):
            hist[(model, metric)][index] = count
        return hist

    def speed(
        self,
        since: date | None = None,
        until: date | None = None,
        models: list[str] | None = None,
        order: str = "day",
    ) -> list[tuple[str, str, float]]:
        """(day, model, tokens per second): ``SPEED_SQL``, on the days with a call that produced output;
        sorted by day then model, or by model then day with ``order="model"``."""
        keys = "model, day" if order == "model" else "day, model"
        where, args = where_days(since, until, models)
        where = f"{where} {'and' if where else 'where'} speed_ms_sum > 0"
        sql = f"select day, model, {SPEED_SQL} from daily_stats {where} group by day, model order by {keys}"
        return [tuple(r) for r in self._storage.read().execute(sql, args).fetchall()]

    def totals(self, since: date | None = None, by: str | None = "model") -> list[SpendRow]:
        """One row per model (or endpoint) over the whole range, or per local day with ``by=None``."""
        rows = self.spend(since, None, period="day", by=by)
        if by is None:
            return rows
        merged: dict[str, SpendRow] = {}
        for r in rows:
            merged[r.key] = merged[r.key] + r if r.key in merged else replace(r, period="")
        return list(merged.values())


def _ms(index: int | None) -> float | None:
    return None if index is None else bucket_ms(index)


def whole_months(since: date | None, until: date | None) -> tuple[date | None, date | None]:
    """The first day of the range's first whole month and the last day of its last whole month
    (None, None when it holds no whole month; no start means every month before is whole)."""
    if until is None:
        return None, None  # an open end: the current month is never whole; read days
    first = date.min if since is None else since
    if first.day != 1:
        first = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    last = until if (until + timedelta(days=1)).day == 1 else until.replace(day=1) - timedelta(days=1)
    return (first, last) if first <= last else (None, None)


def where_days(since: date | None, until: date | None, models: list[str] | None) -> tuple[str, list[str]]:
    clauses: list[str] = []
    args: list[str] = []
    if since:
        clauses.append("day >= ?")
        args.append(since.isoformat())
    if until:
        clauses.append("day <= ?")
        args.append(until.isoformat())
    if models:
        clauses.append(f"model in ({', '.join('?' * len(models))})")
        args.extend(models)
    return ("where " + " and ".join(clauses)) if clauses else "", args
