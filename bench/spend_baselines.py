"""The Spend page's queries as they were before, the baselines bench/bench_spend_gui.py measures
beside today's code on the same database: before m013 (every day histogram of the range read, then a
second pass over the calls for the table's cached and reasoning tokens), and the work() before
playground/spend/snapshot.py (a report row per day and model)."""

from __future__ import annotations

from datetime import date
from typing import Any


def old_second_pass(core: Any, since: date | None, until: date) -> dict[str, tuple[int, int]]:
    """The pass over the calls the table needed before m013 (cached and reasoning tokens per model)."""
    from playground.history.localtime import day_bounds

    zone = core.reports.clock.zone_name()
    clauses, args = ["status != 'running'", "started_at < ?"], [day_bounds(until, zone)[1]]
    if since:
        clauses.append("started_at >= ?")
        args.append(day_bounds(since, zone)[0])
    sql = (
        "select model, sum(coalesce(cache_read_tokens, 0)), sum(coalesce(reasoning_tokens, 0))"
        f" from calls where {' and '.join(clauses)} group by model"
    )
    return {m: (c, r) for m, c, r in core.storage.read().execute(sql, args).fetchall()}


def old_table(core: Any, since: date | None, until: date) -> Any:
    """The per-model table's queries before m013: the day sums, every day histogram of the range
    summed in SQL, then the second pass over the calls."""
    from playground.spend.reports import where_days

    db = core.storage.read()
    where, args = where_days(since, until, None)
    totals = db.execute(
        "select model, sum(calls), sum(errors), sum(input_tokens), sum(output_tokens), sum(cost_pusd),"
        f" sum(unpriced), sum(duration_ms_sum) from daily_stats {where} group by model",
        args,
    ).fetchall()
    hist = db.execute(
        f"select model, metric, bucket, sum(count) from daily_latency {where} group by 1, 2, 3", args
    ).fetchall()
    return totals, hist, old_second_pass(core, since, until)


def old_latency(core: Any, since: date | None, until: date, metric: str) -> list[Any]:
    """The per-day percentiles before m013: every bucket of the range read, medians found in Python."""
    from collections import defaultdict

    from playground.history.rollups import percentile
    from playground.spend.reports import where_days

    where, args = where_days(since, until, None)
    sql = f"select day, model, bucket, count from daily_latency {where} and metric = ? order by day, model"
    hist: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    for day, model, index, count in core.storage.read().execute(sql, [*args, metric]).fetchall():
        hist[(day, model)][index] = count
    return [(k, percentile(h, 0.5), percentile(h, 0.95)) for k, h in hist.items()]


def old_work(core: Any, since: date | None, until: date) -> Any:
    """The queries of Spend's work() before m013 (then the table's second pass, which ran after)."""
    from playground.spend.overview import month_days

    reports = core.reports
    first, last = month_days(until)
    return (
        old_table(core, since, until),
        reports.spend(since, until, period="day", by="model"),
        reports.spend(first, last, period="day", by=None),
        old_latency(core, since, until, "duration_ms"),
        old_latency(core, since, until, "ttft_ms"),
        reports.speed(since, until),
        reports.spend(first, until, period="month", by=None),
        reports.spend(until, until, period="day", by=None),
    )


def previous_work(core: Any, range_name: str, period: str) -> Any:
    """Spend's work() before playground/spend/snapshot.py: a report row per day and model, stacked
    three times, and every latency and speed row (each chart filtered them on the GUI thread)."""
    from playground.spend.charts import period_start, range_start, stacked
    from playground.spend.overview import Overview, month_days

    reports = core.reports
    until = reports.clock.today()
    since = range_start(range_name, until)
    overview = Overview(reports)
    rows = overview.models(since, until)
    spend_rows = reports.spend(since, until, period=period, by="model")
    min((period_start(r.period) for r in spend_rows), default=until)
    budgets = core.budgets.get()
    first, last = month_days(until)
    return (
        reports.spend(first, last, period="day", by=None),
        reports.latency(since, until),
        reports.latency(since, until, metric="ttft_ms"),
        reports.speed(since, until),
        overview.cards(rows, until, budgets, until),
        stacked(spend_rows),
        stacked(spend_rows, "input_tokens").totals(),
        stacked(spend_rows, "output_tokens").totals(),
    )
