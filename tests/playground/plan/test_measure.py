"""--from-history: sizes, request rate and per-model latency measured from calls written through the store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from playground.history.calls import CallEnd, CallStart
from playground.history.filters import Filters
from playground.llm.request import Request
from playground.plan.measure import measure, percentile
from playground.plan.workload import WorkloadError


def _call(core, model, when, status, tin, tout, reasoning=0, ttft=None, duration=None):
    call = core.history.start_call(
        CallStart(Request.single("openai", model, "hi"), "openai", None, {}, started_at=when)
    )
    core.history.finish_call(
        call,
        CallEnd(
            status,
            input_tokens=tin,
            output_tokens=tout,
            reasoning_tokens=reasoning,
            ttft_ms=ttft,
            duration_ms=duration,
        ),
    )


def test_history_gives_percentiles_rate_and_per_model_latency(core):
    day = datetime(2026, 1, 1, 12, tzinfo=UTC)
    for i in range(1, 21):  # 20 ok calls over days 1-10: input 100..2000, output 10..200 plus 5 reasoning
        _call(
            core,
            "o4-mini",
            day + timedelta(days=i % 10),
            "ok",
            100 * i,
            10 * i + 5,
            5,
            ttft=float(i),
            duration=10.0 * i,
        )
    for _ in range(5):
        _call(core, "o4-mini", day, "error", 0, 0)
    _call(core, "gpt-4o", day, "ok", 50, 5, ttft=300.0, duration=900.0)
    core.storage.writer.flush()
    found = measure(core.storage.read(), Filters(since="2026-01-01", until="2026-01-10", model="o4-mini"))
    w = found.workload
    assert found.calls == 25 and found.days == 10
    assert w.requests_per_day == 25 / 10
    assert (w.input.p50, w.input.p95) == (1000, 1900)  # nearest rank of 100..2000 (ok calls only)
    assert (w.output.p50, w.output.p95) == (100, 190)  # visible output: reasoning taken out
    assert (w.reasoning.p50, w.reasoning.p95) == (5, 5)
    stats = found.per_model["openai/o4-mini"]
    assert stats.ttft_p50_ms == 10.0 and stats.duration_p50_ms == 100.0
    assert stats.error_rate == 5 / 25
    assert "openai/gpt-4o" not in found.per_model


def test_no_matching_calls_is_a_clear_error(core):
    with pytest.raises(WorkloadError, match="no finished calls"):
        measure(core.storage.read(), Filters(model="nothing"))


def test_percentile_is_nearest_rank():
    assert percentile([5, 1, 3], 0.5) == 3
    assert percentile(list(range(1, 101)), 0.95) == 95
    assert percentile([], 0.5) is None


def test_plan_from_history_through_the_command(core):
    import json

    from tests.playground.cli.cli_proc import cli

    day = datetime(2026, 1, 1, 12, tzinfo=UTC)
    for _ in range(10):  # 10 calls a day for 3 days, 2,000 input and 100 output tokens each
        for d in range(3):
            _call(core, "gpt-4o-mini", day + timedelta(days=d), "ok", 2000, 100, ttft=200.0, duration=800.0)
    core.storage.writer.flush()
    done = cli(
        "plan",
        "--from-history",
        "--since",
        "2026-01-01",
        "--until",
        "2026-01-03",
        "--models",
        "gpt-4o-mini",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    assert "measured 30 calls over 3 days" in done.stderr
    [row] = json.loads(done.stdout)["models"]
    # 10 a day x 30 days = 300 requests a month at (2,000 x $0.15 + 100 x $0.60) per MTok
    assert row["monthly_usd"] == "0.108"
    assert row["measured"] == {"calls": 30, "ttft_p50_ms": 200.0, "duration_p50_ms": 800.0, "error_rate": 0.0}
