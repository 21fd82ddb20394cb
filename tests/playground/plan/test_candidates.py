"""Every chat model, each price once: a server priced as a provider adds no second copy of its models.

The endpoints are configured as the app stores them: 'local' (the ``local_openai`` fixture) is an
OpenAI-compatible server added in Settings ▸ Endpoints with "Price as: openai"."""

from __future__ import annotations

from decimal import Decimal as D

from playground.llm.endpoints import Endpoint
from playground.plan.candidates import all_chat
from playground.plan.service import make_plan
from playground.plan.workload import Tokens, Workload
from playground.pricing.prices import PriceOverride

WORKLOAD = Workload(D(100), Tokens.fixed(1000), Tokens.fixed(100))


def _labels(core, keep=None, builtin_only=False) -> list[str]:
    endpoints = [e for e in core.config.endpoints() if e.builtin or not builtin_only]
    return [c.label for c in all_chat(endpoints, core.pricer, keep)]


def test_a_server_priced_as_openai_lists_each_openai_model_once_under_openai(core, local_openai):
    labels = _labels(core)
    assert "openai/gpt-4o-mini" in labels and "anthropic/claude-sonnet-4-5" in labels
    assert not [x for x in labels if x.startswith("local/")]
    assert labels == _labels(core, builtin_only=True)  # the same list, in the same order, as with no server


def test_the_model_in_use_is_the_one_listed_for_its_price(core, local_openai):
    plain = _labels(core)
    kept = _labels(core, keep="local/gpt-4o-mini")
    assert "local/gpt-4o-mini" in kept and "openai/gpt-4o-mini" not in kept
    assert kept.index("local/gpt-4o-mini") == plain.index("openai/gpt-4o-mini")  # in the same place
    # `playground plan --current local/gpt-4o-mini` (no --models): its moves are for that row
    result = make_plan(core, WORKLOAD, current="local/gpt-4o-mini")
    assert result.moves and {m.model for m in result.moves} == {"local/gpt-4o-mini"}
    assert [r["model"] for r in result.data["models"]].count("local/gpt-4o-mini") == 1


def test_a_price_set_for_the_server_is_its_own_and_listed(core, local_openai):
    core.config.set_price(PriceOverride("local", "*", D("0.01"), D("0.02")))
    core.storage.writer.flush()
    labels = _labels(core)
    assert "openai/gpt-4o-mini" in labels and "local/gpt-4o-mini" in labels


def test_a_plan_of_every_chat_model_has_one_row_per_price(core, local_openai):
    rows = [r["model"] for r in make_plan(core, WORKLOAD).data["models"]]
    assert "openai/gpt-4o-mini" in rows and "local/gpt-4o-mini" not in rows
    assert len(rows) == len(set(rows))


def test_a_second_server_priced_as_anthropic_adds_nothing(core, local_openai):
    core.config.add_endpoint(Endpoint("proxy", "anthropic", "http://127.0.0.1:9/v1", price_as="anthropic"))
    assert _labels(core) == _labels(core, builtin_only=True)
