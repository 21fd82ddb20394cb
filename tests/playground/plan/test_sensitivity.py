"""The sensitivity series come from the planner: its own point is the table's figure, and the curves
move the way the bill does."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from playground.llm.endpoints import BUILTIN
from playground.plan.candidates import named
from playground.plan.planner import plan
from playground.plan.sensitivity import rate_points, sensitivity
from playground.plan.workload import load
from playground.pricing.prices import Pricer

DATA = Path(__file__).resolve().parents[2] / "data" / "plan"


def test_the_own_point_is_the_plan_figure_and_caching_more_costs_less():
    endpoints = {e.name: e for e in BUILTIN}
    candidates = named(["claude-sonnet-4-5", "gpt-4o-mini"], endpoints.__getitem__)
    pricer = Pricer()
    base = plan(load(DATA / "support_bot.toml"), candidates, pricer)
    found = sensitivity(base, pricer)
    totals = {r.candidate.label: r.total for r in base.rows}
    for series in found.by_rate:
        assert series.at(D(1000)) == totals[series.model]
        assert series.at(D(10_000)) == totals[series.model] * 10  # the bill is linear in the rate
    sonnet = next(s for s in found.by_hit_rate if s.model == "anthropic/claude-sonnet-4-5")
    assert sonnet.at(D("0.75")) == D(684)  # the hand figure in test_planner
    assert sonnet.at(D(1)) < sonnet.at(D("0.5")) < sonnet.at(D(0))


def test_rate_points_are_log_spaced_around_the_own_rate():
    points = rate_points(D(1000))
    assert D(1000) in points and points[0] == D(10) and points[-1] == D(100_000)
    assert rate_points(D(0))[0] == D(1)
