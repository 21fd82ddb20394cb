"""The Spend figures a tester computed by hand on known histories: percentiles of small samples and
tokens per second. Each expected figure is computed here from the rows written."""

import math
from datetime import date, datetime

import pytest

from playground.history.rollups import BUCKET_ACCURACY, bucket, percentile, rebuild
from playground.spend.budgets import Budgets
from playground.spend.overview import Overview
from playground.spend.snapshot import take
from tests.playground.spend.noon_history import write


def nearest_rank(values: list[float], q: float) -> float:
    """The smallest value with at least ``q`` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q * len(ordered) - 1e-9)) - 1]


# Percentiles


@pytest.mark.parametrize(
    "values",
    [
        [700.0, 800.0],
        [2000.0, 3000.0, 4000.0],
        [float(v) for v in range(100, 2100, 100)],  # 20 values
        [float(v) for v in (120, 95, 300, 3000, 140, 150, 160, 2500, 130, 125, 110, 105, 99)],
    ],
)
@pytest.mark.parametrize("q", [0.5, 0.95])
def test_a_histogram_percentile_is_the_nearest_rank_within_the_stated_accuracy(values, q):
    counts: dict[int, int] = {}
    for v in values:
        counts[bucket(v)] = counts.get(bucket(v), 0) + 1  # type: ignore[index]
    exact = nearest_rank(values, q)
    got = percentile(counts, q)
    assert got is not None and abs(got - exact) / exact <= BUCKET_ACCURACY


def test_the_stated_accuracy_is_the_bucket_schemes_worst_error():
    worst = 0.0
    for i in range(1, 20_000):
        v = 10 ** (i / 4000)  # 1 ms .. 100 s, finely
        got = percentile({bucket(v): 1}, 0.5)  # type: ignore[dict-item]
        assert got is not None
        worst = max(worst, abs(got - v) / v)
    assert worst <= BUCKET_ACCURACY < worst + 0.001


def test_the_model_table_and_the_daily_bands_show_nearest_rank_percentiles(known):
    history, reports = known(date(2026, 11, 2))
    samples = {"gpt-4o-mini": [700.0, 800.0], "gpt-4o": [2000.0, 3000.0, 4000.0]}
    for model, durations in samples.items():
        for ms in durations:
            write(history, "2026-11-02", model, duration_ms=ms, ttft_ms=ms / 4, output_tokens=10)
    write(history, "2026-11-02", "gpt-4o", "error", duration_ms=9000.0)  # not an OK call's latency
    snap = take(reports, Budgets, "7 days", "day")
    table = {r.model: r for r in snap.models}
    for model, durations in samples.items():
        for q, shown in ((0.5, table[model].p50_ms), (0.95, table[model].p95_ms)):
            exact = nearest_rank(durations, q)
            assert shown is not None and abs(shown - exact) / exact <= BUCKET_ACCURACY, (model, q)
        ttft = nearest_rank([ms / 4 for ms in durations], 0.5)
        assert abs(table[model].ttft_p50_ms - ttft) / ttft <= BUCKET_ACCURACY  # type: ignore[operator]
        band = snap.latency[model]
        assert (band.y, band.high) == ([table[model].p50_ms], [table[model].p95_ms])  # one day: the same
    assert table["gpt-4o-mini"].p95_ms > 790  # type: ignore[operator]  # was ~685 (the 700 ms call's bucket)


# Tokens per second


def test_tokens_per_s_is_output_per_second_after_the_first_token_of_calls_with_output(known):
    history, reports = known(date(2026, 11, 3))
    # day, status, output tokens, duration ms, first token ms
    calls = [
        ("2026-11-02", "ok", 100, 2000.0, 500.0),  # 100 tokens in 1.5 s after the first
        ("2026-11-02", "ok", 200, 3000.0, 600.0),  # 200 in 2.4 s
        ("2026-11-02", "error", 0, 30_000.0, None),  # a failure: no output, its time counts nowhere
        ("2026-11-03", "error", 0, 5000.0, None),  # a day with a failed call only
    ]
    for day, status, tout, ms, ttft in calls:
        write(history, day, "gpt-4o", status, output_tokens=tout, duration_ms=ms, ttft_ms=ttft)
    with_output = [c for c in calls if c[2] and c[4] is not None]
    expected = sum(c[2] for c in with_output) / sum((c[3] - c[4]) / 1000 for c in with_output)  # type: ignore[operator]
    assert 66.7 < expected < 83.4
    snap = take(reports, Budgets, "7 days", "day")
    (row,) = snap.models
    assert row.tokens_per_s == pytest.approx(expected)
    speed = snap.speed["gpt-4o"]
    assert speed.x == [datetime(2026, 11, 2).timestamp()]  # no point on the failed-only day
    assert speed.y == [pytest.approx(expected)]
    week = take(reports, Budgets, "7 days", "week")  # the speed chart is per day whatever the bars
    assert week.speed["gpt-4o"].x == speed.x and week.speed["gpt-4o"].y == speed.y
    assert [r[2] for r in reports.speed()] == [pytest.approx(expected)]


def test_a_recount_keeps_the_speed_and_the_percentiles(known):
    history, reports = known(date(2026, 11, 3))
    for tout, ms, ttft in ((100, 2000.0, 500.0), (200, 3000.0, 600.0), (0, 800.0, None)):
        write(history, "2026-11-02", "gpt-4o", output_tokens=tout, duration_ms=ms, ttft_ms=ttft)
    before = take(reports, Budgets, "7 days", "day")
    reports.storage.writer.call(rebuild)  # type: ignore[union-attr]
    after = take(reports, Budgets, "7 days", "day")
    assert after.models == before.models and after.speed == before.speed and after.latency == before.latency
    assert before.models[0].tokens_per_s == pytest.approx(300 / 3.9)


def test_overview_alone_gives_the_same_speed(known):
    history, reports = known(date(2026, 11, 3))
    write(history, "2026-11-02", "gpt-4o", output_tokens=100, duration_ms=2000.0, ttft_ms=500.0)
    (row,) = Overview(reports).models(None, None)
    assert row.tokens_per_s == pytest.approx(100 / 1.5)
