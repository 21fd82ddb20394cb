"""Spend and latency from the rollups, checked against totals computed by hand."""

from datetime import UTC, date, datetime
from decimal import Decimal

from playground.history.calls import CallEnd, CallStart, HistoryStore
from playground.history.rollups import bucket, bucket_ms, percentile, rebuild
from playground.history.storage import Storage
from playground.llm.request import Request
from playground.pricing.money import Money
from playground.spend.reports import Reports

CALLS = [
    # day, model, status, cost, input, output, duration_ms, ttft_ms
    ("2026-10-30", "gpt-4o", "ok", "0.10", 100, 50, 1000.0, 200.0),
    ("2026-10-30", "gpt-4o", "ok", "0.000001", 10, 5, 2000.0, 300.0),
    ("2026-10-31", "claude-haiku-4-5", "ok", None, 20, 10, 500.0, 100.0),
    ("2026-11-01", "gpt-4o", "error", "0", 30, 0, None, None),
    ("2026-11-02", "claude-haiku-4-5", "ok", "0.0375", 40, 20, 800.0, 150.0),
    ("2026-11-02", "gpt-4o", "ok", "1.234567890123", 1000, 900, 4000.0, 400.0),
]


def fill(history: HistoryStore) -> None:
    for day, model, status, cost, tin, tout, duration, ttft in CALLS:
        when = datetime.fromisoformat(f"{day}T12:00:00").replace(tzinfo=UTC)
        call = history.start_call(
            CallStart(Request.single("e", model, "p"), "openai", None, {}, started_at=when)
        )
        history.finish_call(
            call,
            CallEnd(
                status,
                input_tokens=tin,
                output_tokens=tout,
                cost_usd=None if cost is None else Decimal(cost),
                duration_ms=duration,
                ttft_ms=ttft,
            ),
        )


def test_spend_per_day_and_per_month_match_hand_totals(tmp_path):
    storage = Storage(tmp_path / "h.db")
    fill(HistoryStore(storage))
    reports = Reports(storage)
    days = {(r.period, r.key): r for r in reports.spend(period="day")}
    assert days[("2026-10-30", "gpt-4o")].cost == Money(Decimal("0.100001"))
    assert days[("2026-10-30", "gpt-4o")].calls == 2 and days[("2026-10-30", "gpt-4o")].input_tokens == 110
    assert days[("2026-10-31", "claude-haiku-4-5")].unpriced == 1
    assert days[("2026-11-01", "gpt-4o")].errors == 1
    months = {(r.period, r.key): r.cost.exact for r in reports.spend(period="month", by="model")}
    assert months[("2026-11", "gpt-4o")] == Decimal("1.234567890123")
    assert months[("2026-11", "claude-haiku-4-5")] == Decimal("0.0375")
    (total,) = reports.spend(period="month", by=None, since=date(2026, 11, 1))
    assert total.cost == Money(Decimal("1.272067890123")) and total.calls == 3
    storage.close()


def test_rebuilding_the_rollups_gives_the_same_totals(tmp_path):
    storage = Storage(tmp_path / "h.db")
    fill(HistoryStore(storage))
    reports = Reports(storage)
    before = reports.spend(period="day")
    latency_before = reports.latency()
    storage.writer.call(rebuild)
    assert reports.spend(period="day") == before and reports.latency() == latency_before
    storage.close()


def test_latency_percentiles_are_within_one_bucket():
    assert bucket(1000.0) != bucket(1200.0)
    counts = {}
    for ms in [100.0] * 40 + [1000.0] * 55 + [5000.0] * 5:
        counts[bucket(ms)] = counts.get(bucket(ms), 0) + 1
    assert abs(percentile(counts, 0.5) - 1000) / 1000 < 0.1
    assert abs(percentile(counts, 0.96) - 5000) / 5000 < 0.1
    assert bucket_ms(bucket(250.0)) / 250 < 1.1


def test_totals_are_the_priced_sum_and_count_the_unpriced_calls(tmp_path):
    storage = Storage(tmp_path / "h.db")
    fill(HistoryStore(storage))
    reports = Reports(storage)
    priced = [Decimal(c[3]) for c in CALLS if c[3] is not None]
    unpriced = sum(1 for c in CALLS if c[3] is None)
    (everything,) = reports.spend(period="month", by=None, since=date(2026, 10, 1), until=date(2026, 10, 31))
    assert everything.cost == Money(Decimal("0.100001"), 1)
    assert everything.cost.text() == "at least $0.10 · 1 call unpriced"
    whole = Money.sum(r.cost for r in reports.totals(by="model"))
    assert whole.priced == sum(priced) and whole.unpriced == unpriced
    by_model = {r.key: r.cost for r in reports.totals(by="model")}
    assert by_model["claude-haiku-4-5"] == Money(Decimal("0.0375"), 1)
    assert by_model["claude-haiku-4-5"].exact is None  # never a made-up total
    from playground.spend.budgets import Budgets
    from playground.spend.overview import Overview

    october = Overview(reports)
    cards = october.cards(october.models(None, None), date(2026, 10, 31), Budgets(), date(2026, 10, 31))
    assert cards.month == Money(Decimal("0.100001"), 1) and "1 call unpriced" in cards.month.text()
    storage.close()


def test_an_unpriced_error_is_unknown_not_free(tmp_path):
    storage = Storage(tmp_path / "h.db")
    history = HistoryStore(storage)
    when = datetime(2026, 11, 3, 12, tzinfo=UTC)
    call = history.start_call(CallStart(Request.single("e", "m", "p"), "openai", None, {}, started_at=when))
    history.finish_call(call, CallEnd("interrupted", output_tokens=40, cost_usd=None))
    reports = Reports(storage)
    (row,) = reports.spend(period="day", by=None)
    assert row.cost == Money(Decimal(0), 1) and row.cost.text() == "unknown · 1 call unpriced"
    storage.writer.call(rebuild)
    assert reports.spend(period="day", by=None) == [row]
    storage.close()


def test_range_percentiles_from_months_and_edge_days_equal_the_calls_own(tmp_path):
    """Per-model and per-day percentiles (read from the monthly sums, the edge days and the kept
    per-day percentiles) equal those of the calls' own latencies, also after a delete and a recount."""
    import random
    from collections import defaultdict
    from datetime import timedelta

    from playground.spend.overview import Overview

    rng = random.Random(3)
    storage = Storage(tmp_path / "h.db")
    history = HistoryStore(storage)
    made = []  # (day, model, duration, ttft, id)
    for _ in range(400):
        day = date(2026, 1, 20) + timedelta(days=rng.randrange(80))  # late January to early April
        model = rng.choice(("gpt-4o", "o3"))
        duration = rng.lognormvariate(7, 0.8)
        ttft = duration * rng.uniform(0.1, 0.5)
        when = datetime.combine(day, datetime.min.time(), UTC).replace(hour=12)
        call = history.start_call(
            CallStart(Request.single("e", model, "p"), "openai", None, {}, started_at=when)
        )
        history.finish_call(call, CallEnd("ok", duration_ms=duration, ttft_ms=ttft))
        made.append((day, model, duration, ttft, call))
    reports = Reports(storage)

    def by_hand(first, last, key):
        hist = defaultdict(lambda: defaultdict(int))
        for day, model, duration, ttft, _id in made:
            if (first is None or first <= day) and day <= last:
                hist[(key(day, model), "d")][bucket(duration)] += 1
                hist[(key(day, model), "t")][bucket(ttft)] += 1
        return hist

    def check() -> None:
        ranges = [
            (date(2026, 1, 25), date(2026, 3, 31)),  # February and March whole, January's end by day
            (date(2026, 2, 1), date(2026, 2, 28)),  # one whole month
            (date(2026, 2, 10), date(2026, 3, 5)),  # no whole month
            (None, date(2026, 3, 15)),  # all before, March by day
            (date(2026, 3, 1), date(2026, 4, 30)),
        ]
        for first, last in ranges:
            hist = by_hand(first, last, lambda _d, m: m)
            rows = {r.model: r for r in Overview(reports).models(first, last)}
            for model, row in rows.items():
                assert row.p50_ms == percentile(hist[(model, "d")], 0.5), (first, last, model)
                assert row.p95_ms == percentile(hist[(model, "d")], 0.95), (first, last, model)
                assert row.ttft_p50_ms == percentile(hist[(model, "t")], 0.5), (first, last, model)
        days = by_hand(None, date(2026, 12, 31), lambda d, m: (d.isoformat(), m))
        got = {(r.day, r.model): (r.p50_ms, r.p95_ms) for r in reports.latency()}
        assert got == {
            k: (percentile(h, 0.5), percentile(h, 0.95)) for (k, what), h in days.items() if what == "d"
        }

    check()
    gone = [m for m in made if m[0].month == 2][:30]
    history.delete([m[4] for m in gone])
    made = [m for m in made if m not in gone]
    check()
    storage.writer.call(rebuild)
    check()
    storage.close()
