"""The bill at the average request sizes: measured from History, given in a file, carried through the
moves; without an average the bill is at p50 and the notes say it is likely low.

Prices as in test_planner: gpt-4o-mini $0.15 input / $0.60 output per MTok; gpt-4o $2.50 input;
claude-sonnet-4-5 $3 input, $0.30 cache read, $3.75 cache write.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D

import pytest

from playground.history.filters import Filters
from playground.plan import export
from playground.plan.measure import measure
from playground.plan.moves import MessageSize, PromptSize, moves
from playground.plan.workload import Tokens, Workload, WorkloadError, load, save
from playground.pricing.prices import Pricer
from tests.playground.plan.test_measure import _call
from tests.playground.plan.test_planner import _plan

MTOK = D(1_000_000)
MINI_IN, MINI_OUT = D("0.15") / MTOK, D("0.60") / MTOK


def _skewed_history(core) -> Workload:
    """One day of gpt-4o-mini calls: 9 of 100 input / 10 output tokens, 1 of 10,000 / 1,000."""
    day = datetime(2026, 2, 1, 12, tzinfo=UTC)
    for _ in range(9):
        _call(core, "gpt-4o-mini", day, "ok", 100, 10)
    _call(core, "gpt-4o-mini", day, "ok", 10_000, 1_000)
    core.storage.writer.flush()
    return measure(core.storage.read(), Filters(since="2026-02-01", until="2026-02-01")).workload


def test_a_long_tailed_history_is_billed_at_its_average_request(core):
    w = _skewed_history(core)
    assert w.input == Tokens(100, 10_000, 1090) and w.output == Tokens(10, 1000, 109)
    row = _plan(w, "gpt-4o-mini").rows[0]
    # each call's own cost, averaged: what a month of such calls is really billed
    calls = [(100, 10)] * 9 + [(10_000, 1_000)]
    average = sum(i * MINI_IN + o * MINI_OUT for i, o in calls) / len(calls)
    assert average == (1090 * MINI_IN + 109 * MINI_OUT)
    assert row.total == 300 * average == D("0.06867")  # 10 a day for 30 days; at p50 it was $0.0063
    assert row.per_1k == 1000 * average
    assert row.without_cache == row.total
    assert row.month_12 == row.total
    assert row.request_p50 == 100 * MINI_IN + 10 * MINI_OUT  # one request at the p50 sizes, as before
    assert row.request_p95 == 10_000 * MINI_IN + 1000 * MINI_OUT
    p = _plan(w, "gpt-4o-mini")
    assert p.median_sizes == ()
    assert "the bill uses the average request sizes" in " ".join(p.notes)


def test_without_an_average_the_bill_is_at_p50_and_says_it_is_likely_low():
    w = Workload(D(10), Tokens(100, 10_000), Tokens.fixed(10))
    p = _plan(w, "gpt-4o-mini")
    assert p.rows[0].total == 300 * (100 * MINI_IN + 10 * MINI_OUT)
    assert p.median_sizes == ("input",)
    note = (
        "the bill uses the median (p50) input size (no average given): with a long tail the average "
        "request is larger, so the real bill is likely higher; measure from History or give the average"
    )
    assert note in p.notes
    data = export.to_data(p)
    assert data["median_sizes"] == ["input"]
    assert f"_{note}._" in export.to_markdown(data) and note in export.to_table(data)
    mixed = _plan(Workload(D(10), Tokens(100, 10_000, 1090), Tokens(10, 1000)), "gpt-4o-mini")
    assert mixed.notes[1].startswith("the bill uses the average input size and the median (p50) output size")


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_a_file_with_averages_reads_back_the_same(tmp_path, suffix):
    w = Workload(D(100), Tokens(1200, 3000, 1900), Tokens(300, 800, 350), Tokens(0, 400, 20))
    path = tmp_path / f"w{suffix}"
    save(w, path)
    assert load(path) == w
    if suffix == ".toml":
        assert "input_tokens = { p50 = 1200, p95 = 3000, mean = 1900 }" in path.read_text()


def test_an_old_file_without_averages_still_loads(tmp_path):
    path = tmp_path / "old.toml"
    path.write_text(
        "version = 1\nrequests_per_day = 5\ninput_tokens = {p50 = 9, p95 = 30}\noutput_tokens = 4\n"
    )
    w = load(path)
    assert w.input == Tokens(9, 30) and w.input.mean is None and w.output == Tokens(4, 4)


@pytest.mark.parametrize(
    ("mean", "words"),
    [
        ("-1", "w.toml: input_tokens.mean cannot be negative, not -1"),
        ("1.5", "w.toml: input_tokens.mean must be a whole number of tokens, not 1.5"),
        ("1e10", "w.toml: input_tokens.mean must be at most 1,000,000,000"),
        ('"lots"', "w.toml: input_tokens.mean must be a number, not 'lots'"),
    ],
)
def test_a_bad_average_is_named_in_one_line(tmp_path, mean, words):
    path = tmp_path / "w.toml"
    path.write_text(
        "version = 1\nrequests_per_day = 1\noutput_tokens = 1\n"
        f"input_tokens = {{p50 = 1, p95 = 2, mean = {mean}}}\n"
    )
    with pytest.raises(WorkloadError) as err:
        load(path)
    assert str(err.value).startswith(words) and "\n" not in str(err.value)


def test_an_unknown_size_key_names_the_keys_it_takes(tmp_path):
    path = tmp_path / "w.json"
    path.write_text(
        '{"version": 1, "requests_per_day": 1, "output_tokens": 1, '
        '"input_tokens": {"p50": 1, "p95": 2, "avg": 1}}'
    )
    with pytest.raises(
        WorkloadError, match=r"input_tokens must be a number or a table of p50, p95 and \(if known\) mean"
    ):
        load(path)
    with pytest.raises(WorkloadError, match=r"input_tokens\.mean cannot be negative"):
        Workload(D(1), Tokens(1, 2, -3), Tokens.fixed(1))


def test_trimming_the_prompt_cuts_the_average_too_so_the_saving_is_the_trim_alone():
    prompt = PromptSize((MessageSize("system", 0, 4000), MessageSize("user", 1, 1000)), 5003)
    w = Workload(D(1000), Tokens(5003, 9000, 6003), Tokens.fixed(500))
    move = next(
        m for m in moves(_plan(w, "gpt-4o"), prompt=prompt, pricer=Pricer()) if m.name.startswith("trim")
    )
    # 30,000 requests, 2,000 tokens fewer each at $2.50 per MTok; billing the trimmed workload at its p50
    # (3,003) instead of its average (4,003) would have claimed $225
    assert move.saving == 30_000 * 2000 * D("2.50") / MTOK == D(150)
    assert Tokens(5003, 9000, 6003).less(2000) == Tokens(3003, 7000, 4003)


def test_trimming_a_cached_prefix_of_the_average_request_saves_at_the_cache_rates():
    prompt = PromptSize((MessageSize("system", 0, 8000), MessageSize("user", 1, 1997)), 10_000)
    w = Workload(
        D(1000),
        Tokens(10_000, 20_000, 12_000),
        Tokens.fixed(500),
        cacheable_share=D("0.8"),
        cache_hit_rate=D("0.75"),
    )
    found = moves(_plan(w, "claude-sonnet-4-5"), prompt=prompt, pricer=Pricer())
    move = next(m for m in found if m.name.startswith("trim"))
    # the billed prefix (80% of 12,000) is 4,000 tokens shorter; the plain input stays 2,400
    per_token = (D("0.75") * D("0.30") + D("0.25") * D("3.75")) / MTOK
    assert move.saving == 30_000 * 4000 * per_token == D("139.5")
