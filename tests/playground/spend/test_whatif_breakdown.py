"""What-if per recorded model, for several targets, from the grouped history: checked against
genai-prices call by call; a set cancel flag stops it."""

import threading
from decimal import Decimal

import genai_prices

from playground.history.filters import Filters
from playground.spend.whatif import breakdown, priced_choices
from tests.playground.history.known_history import fill

TARGETS = [None, ("openai", "gpt-4o-mini"), ("anthropic", "claude-sonnet-4-5")]
PROVIDER = {"openai": "openai", "anthropic": "anthropic"}


def price(model_provider, model, row) -> Decimal | None:
    try:
        usage = genai_prices.Usage(input_tokens=row.input_tokens, output_tokens=row.output_tokens)
        return genai_prices.calc_price(usage, model, provider_id=model_provider).total_price
    except LookupError:
        return None


def rows_of(core):
    out, after = [], None
    while page := core.history.page(Filters(), after=after, limit=50):
        out += page
        after = page[-1].cursor
    return out


def test_breakdown_equals_pricing_each_call(core):
    fill(core, calls=90)
    result = breakdown(core.history.usage_groups(Filters()), core.pricer, core.config.endpoint, TARGETS)
    rows = rows_of(core)
    assert not result.cancelled and result.calls == len(rows)
    for line in result.lines:
        mine = [r for r in rows if (r.endpoint, r.model) == line.source]
        provider, model = line.target or (PROVIDER.get(line.source[0]), line.source[1])
        compared = [
            (r.cost_usd, price(provider, model, r))
            for r in mine
            if r.cost_usd is not None and r.status != "running" and provider
        ]
        compared = [(was, now) for was, now in compared if now is not None]
        assert line.result.calls == len(mine)
        assert line.result.unpriced == len(mine) - len(compared)
        assert line.result.recorded == sum((was for was, _ in compared), Decimal(0))
        assert line.result.repriced == sum((now for _, now in compared), Decimal(0))
    # the unknown-price model is never compared, on any target
    never = [line for line in result.lines if line.source == ("e", "m")]
    assert never and all(line.result.recorded == 0 and line.result.unpriced > 0 for line in never)
    mini = result.total(("openai", "gpt-4o-mini"))
    assert mini.repriced < mini.recorded and "on openai / gpt-4o-mini" in mini.describe()


def test_cancel_stops_at_the_next_group(core):
    fill(core, calls=60)
    cancel = threading.Event()
    seen = []

    def progress(calls: int) -> None:
        seen.append(calls)
        cancel.set()  # as the Cancel button would, from the GUI thread

    result = breakdown(
        core.history.usage_groups(Filters()), core.pricer, core.config.endpoint, TARGETS, progress, cancel
    )
    assert result.cancelled and seen == [result.calls] and result.calls < 60


def test_choices_are_priced_models(core):
    choices = priced_choices(core.config.endpoints(), core.pricer)
    assert ("openai", "gpt-4o-mini") in [c.target for c in choices]
    assert all(c.input_mtok is not None and c.output_mtok is not None for c in choices)
    targets = [c.target for c in choices]
    assert ("openai", "gpt-4o-mini-tts") not in targets and ("openai", "babbage-002") not in targets
    mini = next(c for c in choices if c.target == ("openai", "gpt-4o-mini"))
    assert mini.text() == "openai / gpt-4o-mini  ($0.15 in / $0.60 out per 1M)"  # as the picker words it


def test_a_server_priced_as_openai_adds_no_second_copy_and_the_model_in_use_is_kept(core, local_openai):
    """'local' is priced as OpenAI (as Settings stores it): "local / gpt-4o-mini" would answer exactly as
    "openai / gpt-4o-mini" does, so each price is listed once."""
    texts = [c.text() for c in priced_choices(core.config.endpoints(), core.pricer)]
    minis = [t for t in texts if t.split("  (")[0].endswith(" / gpt-4o-mini")]
    assert minis == ["openai / gpt-4o-mini  ($0.15 in / $0.60 out per 1M)"]
    kept = [c.target for c in priced_choices(core.config.endpoints(), core.pricer, ("local", "gpt-4o-mini"))]
    assert ("local", "gpt-4o-mini") in kept and ("openai", "gpt-4o-mini") not in kept
