"""An endpoint priced as one known model: every model it serves costs what that model costs."""

from playground.llm.endpoints import Endpoint
from playground.llm.usage import Usage
from playground.pricing.choices import price_choices
from playground.pricing.prices import Pricer


def test_price_as_a_model_prices_any_local_model_at_that_models_price():
    pricer = Pricer()
    usage = Usage(input_tokens=1_000_000, output_tokens=1_000_000)
    local = Endpoint("mine", "openai", "http://localhost:11434/v1", price_as="openai/gpt-4o-mini")
    reference = pricer.price(Endpoint("openai", "openai", price_as="openai"), "gpt-4o-mini", usage)
    cost = pricer.price(local, "llama3.2", usage)
    assert reference.total is not None and cost.total == reference.total
    assert "gpt-4o-mini" in cost.source
    facts = pricer.facts(local, "llama3.2")
    assert facts is not None and facts.input_mtok == pricer.facts(local, "gpt-4o-mini").input_mtok


def test_the_choices_hold_providers_and_their_models():
    values = {c.value for c in price_choices()}
    assert {"openai", "anthropic", "openai/gpt-4o-mini"} <= values
