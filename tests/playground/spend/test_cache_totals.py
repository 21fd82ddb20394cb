"""History's "uses cache" filter and the cache totals of what the filters show, on a known history whose
savings are worked out by hand from the published rates (per million tokens):
claude-haiku-4-5 input $1, 5-minute write $1.25, 1-hour write $2, read $0.10;
gpt-4o-mini input $0.15, cached input $0.075."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from playground.history.calls import CallEnd, CallStart
from playground.history.filters import Filters
from playground.llm.request import Request
from playground.spend.cache_totals import CacheTotals, call_savings, saved_text, totals
from tests.playground.history.known_history import fill

M = Decimal(1_000_000)
START = datetime(2026, 3, 2, 12, tzinfo=UTC)
# (endpoint, model, input, read, write, write 1h, saved by hand or None when unpriced)
CALLS = [
    ("anthropic", "claude-haiku-4-5", 10_000, 8000, 0, 0, 8000 * (Decimal("1") - Decimal("0.10")) / M),
    ("anthropic", "claude-haiku-4-5", 5000, 0, 4000, 4000, -4000 * (Decimal("2") - 1) / M),
    ("anthropic", "claude-haiku-4-5", 3000, 0, 2000, 0, -2000 * (Decimal("1.25") - 1) / M),
    ("anthropic", "claude-haiku-4-5", 900, 0, 0, 0, None),  # no cache use: not shown by the filter
    ("gone", "claude-haiku-4-5", 3000, 500, 0, 0, None),  # its endpoint was deleted: unpriced
    ("openai", "gpt-4o-mini", 3000, 2048, 0, 0, 2048 * (Decimal("0.15") - Decimal("0.075")) / M),
]


def record(core, calls=None):
    """``calls`` (endpoint, model, input, read, write, write 1h, ...) finished an hour apart."""
    for i, (endpoint, model, tin, read, write, hour, *_) in enumerate(CALLS if calls is None else calls):
        call = core.history.start_call(
            CallStart(
                Request.single(endpoint, model, f"call {i}"),
                "anthropic",
                None,
                {},
                started_at=START + timedelta(hours=i),
            )
        )
        core.history.finish_call(
            call,
            CallEnd(
                "ok",
                output="x",
                input_tokens=tin,
                output_tokens=10,
                cache_read_tokens=read,
                cache_write_tokens=write,
                cache_write_1h_tokens=hour,
                cost_usd=Decimal("0.01"),
            ),
        )
    core.history.flush()


@pytest.fixture
def known(core):
    fill(core, calls=40)  # calls without any cache use around them
    record(core)
    return core


def test_uses_cache_filter_shows_only_calls_that_read_or_wrote(known):
    shown = known.history.page(Filters(uses_cache=True), limit=100)
    assert sorted(r.messages[0]["content"] for r in shown) == [
        "call 0",
        "call 1",
        "call 2",
        "call 4",
        "call 5",
    ]
    assert known.history.totals(Filters(uses_cache=True)).calls == 5
    assert known.history.totals(Filters(uses_cache=True, since="2026-03-02", until="2026-03-02")).calls == 5


def test_cache_totals_match_the_hand_worked_history(known):
    figures = totals(known.history, Filters(), known.pricer, known.config.endpoint)
    assert figures.calls == 5
    assert figures.read_tokens == 8000 + 500 + 2048
    assert figures.write_tokens == 4000 + 2000
    expected = sum(c[6] for c in CALLS if c[6] is not None)
    assert figures.saved.priced == expected and figures.saved.unpriced == 1
    assert figures.text().startswith("5 calls used the cache · 10,548 read · 6,000 written · saved $0.00285")
    assert "savings of 1 call unknown (no cache price)" in figures.text()


def test_filters_narrow_the_cache_totals(known):
    only_openai = totals(known.history, Filters(endpoint="openai"), known.pricer, known.config.endpoint)
    assert (only_openai.calls, only_openai.read_tokens) == (1, 2048)
    assert only_openai.saved.priced == CALLS[5][6] and only_openai.saved.complete
    none = totals(known.history, Filters(model="gpt-4o"), known.pricer, known.config.endpoint)
    assert none == CacheTotals() and none.text() == "no calls used the prompt cache"


def test_one_call_savings_and_words(known):
    rows = {r.messages[0]["content"]: r for r in known.history.page(Filters(uses_cache=True), limit=100)}
    wrote = call_savings(rows["call 1"], known.pricer, known.config.endpoint)
    assert (
        wrote.saved == CALLS[1][6]
        and wrote.words().startswith("cost $0.004")
        and wrote.words().endswith(" extra")
    )
    gone = call_savings(rows["call 4"], known.pricer, known.config.endpoint)
    assert gone.saved is None and gone.words().startswith("unknown")


def test_saved_text_never_shows_unknown_as_zero():
    from playground.pricing.money import Money

    assert saved_text(Money(Decimal(0), 3)) == "savings unknown (no price)"
    assert saved_text(Money(Decimal("-0.5"), 0)) == "cost extra $0.50"


# calls either side of a model's long-context tier (Sonnet 4.5 over 200k input, GPT-5.4 over 272k)
TIERED = [
    ("anthropic", "claude-sonnet-4-5", 150_000, 100_000, 0, 0),
    ("anthropic", "claude-sonnet-4-5", 250_000, 200_000, 0, 0),
    ("anthropic", "claude-sonnet-4-5", 250_000, 0, 50_000, 50_000),
    ("anthropic", "claude-sonnet-4-5", 200_000, 0, 10_000, 0),  # exactly at the start: still the base tier
    ("anthropic", "claude-sonnet-4-5", 200_001, 0, 10_000, 0),
    ("openai", "gpt-5.4", 100_000, 60_000, 0, 0),
    ("openai", "gpt-5.4", 300_000, 280_000, 0, 0),
    ("openai", "gpt-4o-mini", 3000, 2048, 0, 0),
]


def test_sums_per_tier_equal_every_call_priced_alone(core):
    """The tiered sums give what pricing each call on its own gives, to the picodollar; and the
    tiers matter here (the base-tier rates would give another figure)."""
    from playground.llm.usage import Usage
    from playground.pricing.cache_savings import savings

    record(core, TIERED)
    one_by_one = base_tier = Decimal(0)
    for endpoint, model, tin, read, write, hour in TIERED:
        ep = core.config.endpoint(endpoint)
        alone = savings(core.pricer, ep, model, Usage(tin, 10, read, write, cache_write_1h_tokens=hour))
        small = savings(
            core.pricer, ep, model, Usage(read + write, 10, read, write, cache_write_1h_tokens=hour)
        )
        assert alone.saved is not None and small.saved is not None
        one_by_one += alone.saved
        base_tier += small.saved
    figures = totals(core.history, Filters(), core.pricer, core.config.endpoint)
    assert figures.calls == len(TIERED) and figures.saved.complete
    assert figures.saved.priced == one_by_one != base_tier


@pytest.mark.parametrize(
    "filters", [Filters(), Filters(model="gpt-4o"), Filters(since="2026-03-01", until="2026-03-31")]
)
def test_cache_sums_read_the_cache_index_not_every_call(known, filters):
    """The figures History and Spend show on each change read only the calls that used the cache, or
    seek an index for a narrower filter (a scan of every call took 1.1-1.7 s on a million)."""
    from playground.history.usage_sums import cache_groups_query

    sql, args = cache_groups_query(filters, {("anthropic", "claude-sonnet-4-5"): (200_000,)})
    plan = " ".join(
        str(row) for row in known.history._readers.get().execute(f"explain query plan {sql}", args)
    )
    assert "idx_calls_cache" in plan or "SEARCH calls USING" in plan  # never every call in turn
