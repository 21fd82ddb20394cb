from decimal import Decimal

import genai_prices

from playground.llm.request import Request
from playground.pricing.money import Money
from playground.spend.whatif import reprice
from tests.servers.base import Script


def test_reprice_at_todays_prices_and_on_another_model(core, local_openai):
    for i in range(3):
        local_openai.push(Script(text="word " * (10 + i), prompt_tokens=100 * (i + 1)))
        core.runner.run(Request.single("local", "gpt-4o", f"q{i}"))
    rows = core.history.recent(limit=10)
    same = reprice(rows, core.pricer, core.config.endpoint)
    assert same.calls == 3 and same.unpriced == 0 and same.repriced == same.recorded
    cheaper = reprice(rows, core.pricer, core.config.endpoint, ("openai", "gpt-4o-mini"))
    expected = sum(
        genai_prices.calc_price(
            genai_prices.Usage(input_tokens=r.input_tokens, output_tokens=r.output_tokens),
            "gpt-4o-mini",
            provider_id="openai",
        ).total_price
        for r in rows
    )
    assert cheaper.repriced == expected and cheaper.repriced < cheaper.recorded
    assert "on openai / gpt-4o-mini" in cheaper.describe() and "%" in cheaper.describe()


def test_unknown_prices_are_left_out_not_counted_as_zero(core, local_openai):
    core.runner.run(Request.single("local", "gpt-4o", "q"))
    rows = core.history.recent(limit=10)
    result = reprice(rows, core.pricer, core.config.endpoint, ("local", "no-such-model"))
    assert result.unpriced == 1 and "left out" in result.describe()
    assert result.repriced_total == Money(Decimal(0), 1) and result.repriced_total.exact is None


def test_one_call_is_one_call():
    from playground.spend.whatif import WhatIf

    text = WhatIf(2, Decimal("0.002"), Decimal("0.001"), 1, "openai / gpt-4o-mini").describe()
    assert text == (
        "1 call cost $0.002 as recorded; on openai / gpt-4o-mini they would cost $0.001, -50% "
        "(1 call without a price left out)."
    )
