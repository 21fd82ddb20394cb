"""The trim-the-prompt move against hand-computed savings (prices as in test_planner: gpt-4o $2.50 input
per MTok; claude-sonnet-4-5 $3 input, $0.30 cache read, $3.75 cache write)."""

from __future__ import annotations

import json
from decimal import Decimal as D

from playground.plan import export
from playground.plan.moves import MessageSize, PromptSize, moves
from playground.plan.workload import Tokens, Workload
from playground.pricing.prices import Pricer
from tests.playground.plan.test_planner import _plan

MTOK = D(1_000_000)


def _trim(found):
    return next(m for m in found if m.name.startswith("trim"))


def test_half_the_system_prompt_saves_its_input_tokens_on_every_request():
    prompt = PromptSize((MessageSize("system", 0, 4000), MessageSize("user", 1, 1000)), 5003)
    w = Workload(D(1000), Tokens.fixed(5003), Tokens.fixed(500))
    p = _plan(w, "gpt-4o")
    move = _trim(moves(p, prompt=prompt, pricer=Pricer()))
    # 30,000 requests a month, 2,000 input tokens fewer each, at $2.50 per MTok: $150
    assert move.saving == 30_000 * 2000 * D("2.50") / MTOK == D(150)
    assert move.tokens_saved_per_request == 2000
    assert move.largest_message == MessageSize("system", 0, 4000)
    assert "largest message: system #0, 4,000 tokens of 5,003" in move.detail
    data = export.to_data(p, moves(p, prompt=prompt, pricer=Pricer()))
    entry = next(m for m in data["moves"] if m["name"].startswith("trim"))
    assert entry["saving_per_month_usd"] == "150"
    assert entry["largest_message"] == {"role": "system", "index": 0, "tokens": 4000}
    assert entry["tokens_saved_per_request"] == 2000
    assert json.loads(export.dumps_json(data))["moves"][-1]["name"] == "trim the system prompt by 50%"
    assert "trim the system prompt by 50% (openai/gpt-4o): $150.00/month" in export.to_table(data)
    assert "trim the system prompt by 50% (openai/gpt-4o): $150.00/month" in export.to_markdown(data)


def test_trimming_a_cached_prefix_saves_at_the_cache_rates():
    # 10,000 input tokens; the 8,000-token system prompt is the cached prefix, found cached 75% of the time
    prompt = PromptSize((MessageSize("system", 0, 8000), MessageSize("user", 1, 1997)), 10_000)
    w = Workload(
        D(1000), Tokens.fixed(10_000), Tokens.fixed(500), cacheable_share=D("0.8"), cache_hit_rate=D("0.75")
    )
    move = _trim(moves(_plan(w, "claude-sonnet-4-5"), prompt=prompt, pricer=Pricer()))
    # 4,000 prefix tokens fewer: 75% of requests read them at $0.30, 25% write them at $3.75
    per_token = (D("0.75") * D("0.30") + D("0.25") * D("3.75")) / MTOK
    assert move.saving == 30_000 * 4000 * per_token == D("139.5")


def test_a_shorter_cut_and_no_system_prompt():
    prompt = PromptSize((MessageSize("system", 0, 1000), MessageSize("user", 1, 3000)), 4003)
    w = Workload(D(100), Tokens.fixed(4003), Tokens.fixed(100))
    move = _trim(moves(_plan(w, "gpt-4o"), prompt=prompt, pricer=Pricer(), trim=D("0.2")))
    assert move.name == "trim the system prompt by 20%"
    assert move.saving == 3000 * 200 * D("2.50") / MTOK  # 3,000 requests a month, 200 tokens fewer
    assert move.largest_message == MessageSize("user", 1, 3000)
    bare = PromptSize((MessageSize("user", 1, 3000),), 3006)
    none = _trim(moves(_plan(w, "gpt-4o"), prompt=bare, pricer=Pricer()))
    assert none.saving is None and "no system prompt" in none.detail and "user #1" in none.detail
    assert all(not m.name.startswith("trim") for m in moves(_plan(w, "gpt-4o")))  # no prompt, no move
