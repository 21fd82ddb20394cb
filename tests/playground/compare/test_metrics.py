"""The metrics grid's figures: spreads over repeats, unknown and estimated costs, the best per row."""

from decimal import Decimal

from playground.compare.blind import HIDDEN_MODEL, masked
from playground.compare.metrics import ROW_NAMES, metrics_grid
from playground.llm.result import CallResult
from playground.llm.usage import Usage
from playground.pricing.prices import Cost


def result(ms=100.0, ttft=20.0, tps=50.0, out=10, cost="0.001", estimated=False, status="ok", finish="stop"):
    return CallResult(
        1,
        status,
        finish_reason=finish,
        usage=Usage(7, out, output_estimated=estimated),
        usage_reported=True,
        cost=Cost(None if cost is None else Decimal(cost), None, None, "test", estimated),
        duration_ms=ms,
        ttft_ms=ttft,
        tokens_per_s=tps,
    )


def row(grid, name):
    return grid[ROW_NAMES.index(name)]


def test_repeats_show_min_median_max_and_the_best_is_marked_by_median():
    a = [result(ms=300, cost="0.002"), result(ms=100, cost="0.004"), result(ms=200, cost="0.003")]
    b = [result(ms=900, tps=80, cost="0.0001"), result(ms=150, tps=90, cost="0.0003")]
    grid = metrics_grid([a, b])
    duration = row(grid, "Duration")
    assert [c.text for c in duration] == ["100 ms / 200 ms / 300 ms", "150 ms / 525 ms / 900 ms"]
    assert [c.best for c in duration] == [True, False]  # lower median
    cost = row(grid, "Cost")
    assert [c.text for c in cost] == ["$0.002 / $0.003 / $0.004", "$0.0001 / $0.0002 / $0.0003"]
    assert [c.best for c in cost] == [False, True]
    assert [c.best for c in row(grid, "Tokens/s")] == [False, True]  # higher is better
    assert [c.text for c in row(grid, "Input tokens")] == ["7", "7"]  # all equal: one value, no best
    assert not any(c.best for c in row(grid, "Input tokens"))
    assert [c.text for c in row(grid, "Finish reason")] == ["stop × 3", "stop × 2"]


def test_an_unknown_cost_is_unknown_and_an_estimate_is_marked():
    grid = metrics_grid([[result(cost=None)], [result(cost="0.5", estimated=True, out=12)], [None]])
    assert [c.text for c in row(grid, "Cost")] == ["unknown", "~$0.50", "–"]
    assert not any(c.best for c in row(grid, "Cost"))  # one known value: nothing to choose between
    assert row(grid, "Output tokens")[1].text == "~12"


def test_a_failed_or_stopped_call_says_so_in_the_finish_row():
    grid = metrics_grid([[result(status="error", finish=None)], [result(status="cancelled", finish=None)]])
    assert [c.text for c in row(grid, "Finish reason")] == ["failed", "stopped"]


def test_a_cost_of_no_finished_run_says_why_it_is_so_low():
    """A failed column's "$0" beside the others' costs read as a free model."""
    failed = [result(status="error", finish=None, cost="0", out=0)]
    stopped = [result(status="cancelled", finish=None, cost="0.0004", estimated=True)]
    mixed = [result(status="error", finish=None, cost="0"), result(cost="0.002")]
    grid = metrics_grid([failed, stopped, mixed, [result(cost="0.001")], [result(cost="0.003")]])
    assert [c.text for c in row(grid, "Cost")] == [
        "$0 (failed)",
        "~$0.0004 (stopped)",
        "$0 / $0.001 / $0.002",
        "$0.001",
        "$0.003",
    ]
    # only columns whose runs all finished are ranked: a failed "$0" is not the cheapest
    assert [c.best for c in row(grid, "Cost")] == [False, False, False, True, False]


def test_a_masked_call_keeps_its_words_but_not_its_model_tokens_or_cost(core, local_openai):
    from playground.compare.columns import Column
    from playground.llm.request import Message

    done = core.runner.run(Column("local", "gpt-4o").request("", [Message("user", "hi")], {}), group_id="g1")
    (row_,) = core.history.group("g1")
    hidden = masked(row_)
    assert row_.model == "gpt-4o" and row_.cost_usd is not None
    assert (hidden.endpoint, hidden.model) != (row_.endpoint, row_.model) and hidden.model == HIDDEN_MODEL
    assert hidden.cost_usd is None and hidden.price_source is None and hidden.output_tokens is None
    assert hidden.ttft_ms is None and hidden.params == {}
    assert hidden.output == done.text == row_.output and hidden.prompt == row_.prompt


def test_the_cache_row_shows_reads_writes_and_savings_and_marks_the_biggest_saving():
    from dataclasses import replace

    from playground.pricing.cache_savings import CacheSavings

    def cached(read, wrote, saved):
        money = None if saved is None else Decimal(saved)
        return replace(
            result(),
            usage=Usage(7, 10, cache_read_tokens=read, cache_write_tokens=wrote),
            cache_savings=CacheSavings(
                money, Decimal("0.001"), None if money is None else money + Decimal("0.001")
            ),
        )

    grid = metrics_grid(
        [
            [cached(3000, 0, "0.0081"), cached(1000, 0, "0.0027"), cached(2000, 0, "0.0054")],
            [cached(0, 2000, "-0.0015")],
            [cached(3000, 0, None)],
            [result()],  # no cache use
        ]
    )
    assert [c.text for c in row(grid, "Prompt cache")] == [
        "2,000 read · saved $0.0054",  # medians over the three runs
        "0 read · 2,000 written · cost $0.0015 more",
        "3,000 read · saving unknown",
        "–",
    ]
    assert [c.best for c in row(grid, "Prompt cache")] == [True, False, False, False]


def test_a_stopped_call_is_never_the_best_however_fast_or_cheap():
    """After Stop all, the cut answers' short durations and low costs were bolded as the best."""
    grid = metrics_grid(
        [
            [result(ms=100.0, cost="0.002")],
            [result(ms=200.0, cost="0.003")],
            [result(ms=50.0, cost="0.0001", status="cancelled", finish=None)],
        ]
    )
    assert [c.best for c in row(grid, "Duration")] == [True, False, False]
    assert [c.best for c in row(grid, "Cost")] == [True, False, False]
    stopped = metrics_grid([[result(status="cancelled", finish=None)], [result(ms=20.0, status="cancelled")]])
    assert not any(c.best for r in stopped for c in r)


def test_figures_that_read_the_same_are_marked_alike():
    """65.2 and 65.4 tok/s both read "65": one of them was bolded "best", a difference nobody saw."""
    grid = metrics_grid([[result(tps=65.2)], [result(tps=65.4)], [result(tps=50.0)]])
    speed = row(grid, "Tokens/s")
    assert [c.text for c in speed] == ["65", "65", "50"]
    assert [c.best for c in speed] == [True, True, False]
    grid = metrics_grid([[result(tps=65.2)], [result(tps=65.4)]])
    assert not any(c.best for c in row(grid, "Tokens/s"))  # all read the same: none is best
