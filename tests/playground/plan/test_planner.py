"""The plan against hand-computed bills.

Expected figures are worked out here from genai-prices' published per-MTok prices (bundled data):
claude-sonnet-4-5 $3 input / $0.30 cache read / $3.75 cache write / $15 output;
o4-mini $1.10 / $4.40; gpt-4o-mini $0.15 / $0.60; gpt-4o $2.50 / $10;
gpt-5.4 $2.50 / $15 up to 272K input tokens, $5 / $22.50 above; gpt-4 has an 8,192-token context.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from playground.llm.endpoints import BUILTIN
from playground.plan.candidates import all_chat, named
from playground.plan.discounts import DEFAULT_BATCH_DISCOUNTS, with_rate
from playground.plan.moves import moves
from playground.plan.planner import plan
from playground.plan.workload import Tokens, Workload
from playground.pricing.prices import Pricer

ENDPOINTS = {e.name: e for e in BUILTIN}
MTOK = D(1_000_000)


def _plan(workload: Workload, *models: str, **kw):
    return plan(workload, named(models, ENDPOINTS.__getitem__), Pricer(), **kw)


def test_a_cacheable_prefix_with_hits_and_writes():
    # 30,000 requests a month of 10,000 input tokens, 8,000 of them a shared prefix, 75% found cached
    w = Workload(
        D(1000), Tokens.fixed(10_000), Tokens.fixed(500), cacheable_share=D("0.8"), cache_hit_rate=D("0.75")
    )
    row = _plan(w, "claude-sonnet-4-5").rows[0]
    n = 30_000
    plain = 2_000 * D(3) / MTOK
    read = 8_000 * D("0.30") / MTOK
    write = 8_000 * D("3.75") / MTOK
    out = 500 * D(15) / MTOK
    assert row.monthly.input == plain * n  # $180
    assert row.monthly.cached_input == read * D("0.75") * n  # $54
    assert row.monthly.cache_writes == write * D("0.25") * n  # $225
    assert row.monthly.output == out * n  # $225
    assert row.total == D(684)
    assert row.per_1k == D("22.8")
    # break-even: the extra a miss pays for writing equals what hits save on reading
    hit, miss, none = plain + read + out, plain + write + out, 10_000 * D(3) / MTOK + out
    assert row.break_even_hit_rate == (miss - none) / (miss - hit)
    assert f"{row.break_even_hit_rate:.3f}" == "0.217"
    cache = next(m for m in moves(_plan(w, "claude-sonnet-4-5")) if m.name.startswith("cache"))
    assert cache.saving == none * n - D(684)  # $1,125 without caching
    assert cache.detail == "hit rate 75%; break-even hit rate 21.7% (cache writes cost 1.25× plain input)"


def test_a_reasoning_model_bills_reasoning_as_output_and_retries_in_full():
    w = Workload(
        D(2000),
        Tokens.fixed(1000),
        Tokens.fixed(200),
        Tokens.fixed(800),
        retry_rate=D("0.1"),
        max_tokens=2000,
    )
    p = _plan(w, "o4-mini")
    row = p.rows[0]
    n = 60_000 * D("1.1")
    assert row.monthly.input == 1000 * D("1.10") / MTOK * n
    assert row.monthly.output == 200 * D("4.40") / MTOK * n
    assert row.monthly.reasoning == 800 * D("4.40") / MTOK * n
    assert row.total == D(363)  # (66 + 52.80 + 211.20) x 1.1
    cap = next(m for m in moves(p) if m.name.startswith("cap"))
    # at most the 5% of requests above the p95 (1,000 tokens with reasoning) running to 2,000
    assert cap.at_most and cap.saving == n * D("0.05") * 1000 * D("4.40") / MTOK


def test_a_prompt_that_crosses_a_long_context_tier_is_flagged_and_priced_at_both():
    w = Workload(D(10), Tokens(100_000, 300_000), Tokens.fixed(1000))
    row = _plan(w, "gpt-5.4").rows[0]
    assert row.request_p50 == 100_000 * D("2.5") / MTOK + 1000 * D(15) / MTOK  # $0.265
    assert row.request_p95 == 300_000 * D(5) / MTOK + 1000 * D("22.5") / MTOK  # $1.5225
    assert row.total == 300 * row.request_p50
    assert row.monthly_p95 == 300 * row.request_p95
    assert "tier" in row.tier_cliff and "$5/MTok at p95" in row.tier_cliff
    below = _plan(Workload(D(10), Tokens(100_000, 200_000), Tokens.fixed(1000)), "gpt-5.4").rows[0]
    assert below.tier_cliff == ""


def test_a_batch_share_takes_the_documented_discount_off_that_share_only():
    w = Workload(D(10_000), Tokens.fixed(1000), Tokens.fixed(100), batch_share=D("0.4"))
    full = 300_000 * (1000 * D("0.15") + 100 * D("0.60")) / MTOK  # $63
    p = _plan(w, "gpt-4o-mini")
    row = p.rows[0]
    assert row.total == full * D("0.8")  # 40% of requests at half price
    assert "platform.openai.com/docs/guides/batch" in row.batch.source
    batch = next(m for m in moves(p) if m.name.startswith("batch"))
    assert batch.saving == full * D("0.2") and batch.uses_batch_discount
    edited = _plan(w, "gpt-4o-mini", batch_discounts=with_rate(DEFAULT_BATCH_DISCOUNTS, D("0.25"))).rows[0]
    assert edited.total == full * D("0.9")
    assert "set by you" in edited.batch.source
    unbatched = _plan(Workload(D(10_000), Tokens.fixed(1000), Tokens.fixed(100)), "gpt-4o-mini").rows[0]
    assert unbatched.total == full and unbatched.batch is None


def test_a_model_whose_context_is_too_small_is_listed_apart_with_the_reason():
    w = Workload(D(100), Tokens(2000, 8000), Tokens(200, 500))
    p = _plan(w, "gpt-4", "gpt-4o", "gpt-4o-mini")
    assert [r.candidate.label for r in p.rows] == ["openai/gpt-4o-mini", "openai/gpt-4o"]  # ranked by cost
    [unfit] = p.unfit
    assert unfit.candidate.label == "openai/gpt-4"
    assert "8,500" in unfit.reason and "8,192" in unfit.reason
    switch = next(m for m in moves(p, "openai/gpt-4o") if m.name.startswith("switch"))
    per_request = (2000 * (D("2.5") - D("0.15")) + 200 * (D(10) - D("0.60"))) / MTOK
    assert switch.saving == 3000 * per_request and "gpt-4o-mini" in switch.detail


def test_an_unpriced_model_is_unknown_and_ranked_last_never_zero():
    w = Workload(D(100), Tokens.fixed(100), Tokens.fixed(10))
    p = _plan(w, "no-such-model-xyz", "gpt-4o-mini")
    assert p.rows[-1].candidate.model == "no-such-model-xyz"
    assert p.rows[-1].total is None and p.rows[-1].monthly is None


def test_all_chat_models_are_candidates_and_only_chat_ones():
    found = all_chat(BUILTIN, Pricer())
    labels = {c.label for c in found}
    assert "openai/gpt-4o-mini" in labels and "anthropic/claude-sonnet-4-5" in labels
    assert not any("embedding" in x or "tts" in x or "whisper" in x for x in labels)


def test_growth_compounds_to_month_twelve():
    w = Workload(D(100), Tokens.fixed(1000), Tokens.fixed(100), growth_per_month=D("0.05"))
    row = _plan(w, "gpt-4o-mini").rows[0]
    assert row.month_12 == row.total * D("1.05") ** 11


@pytest.mark.parametrize("share", [D("-0.1"), D("1.01")])
def test_shares_outside_zero_to_one_are_refused(share):
    from playground.plan.workload import WorkloadError

    with pytest.raises(WorkloadError, match="batch_share"):
        Workload(D(1), Tokens.fixed(1), Tokens.fixed(1), batch_share=share)


def test_caching_where_writes_cost_nothing_extra_says_every_hit_saves():
    """OpenAI charges nothing extra to write its cache: the break-even hit rate is 0, and the move
    says why instead of "break-even hit rate 0.0%"."""
    w = Workload(
        D(1000), Tokens.fixed(10_000), Tokens.fixed(500), cacheable_share=D("0.8"), cache_hit_rate=D("0.75")
    )
    row = _plan(w, "gpt-4o").rows[0]
    assert row.break_even_hit_rate == 0
    cache = next(m for m in moves(_plan(w, "gpt-4o")) if m.name.startswith("cache"))
    assert cache.detail == (
        "hit rate 75%; cache writes are billed at the plain input price (no write premium), "
        "so every hit saves"
    )
    assert cache.saving is not None and cache.saving > 0


def test_a_move_the_workload_does_not_allow_says_which_field_to_set():
    """The Plan page read like debug output: "n/a — ... (cacheable_share = 0)". A move with nothing
    to estimate names the form field to fill (and the file's key), not a variable at 0."""
    from playground.plan.export import move_line

    w = Workload(D(1000), Tokens.fixed(1000), Tokens.fixed(300))
    found = {m.name.split()[0]: m for m in moves(_plan(w, "gpt-4o"))}
    assert found["cache"].detail.startswith("set Shared prefix % (cacheable_share) above 0")
    assert found["batch"].detail.startswith("set Batch share % (batch_share) above 0")
    assert found["cap"].detail.startswith("set Max tokens (max_tokens)")
    line = move_line(
        {
            "name": "cache the shared prefix",
            "model": "openai/gpt-4o",
            "saving_per_month_usd": None,
            "at_most": False,
            "depends_on_batch_discount": False,
            "detail": found["cache"].detail,
        }
    )
    assert "not estimated" in line and "n/a" not in line
