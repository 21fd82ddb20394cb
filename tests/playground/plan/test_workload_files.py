"""Workload files: TOML and JSON read and written back unchanged; bad ones refused in one clear line."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from playground.plan.workload import Tokens, Workload, WorkloadError, load, save

DATA = Path(__file__).resolve().parents[2] / "data" / "plan"


def test_the_sample_files_load_with_exact_decimals():
    bot = load(DATA / "support_bot.toml")
    assert bot.name == "support bot" and bot.requests_per_day == 1000
    assert bot.input == Tokens(10_000, 10_000) and bot.cacheable_share == D("0.8")
    nightly = load(DATA / "nightly_summaries.json")
    assert nightly.requests_per_day == 10_000  # 300,000 a month of 30 days
    assert nightly.batch_share == D("0.4") and nightly.growth_per_month == D("0.05")


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_a_saved_workload_reads_back_the_same(tmp_path, suffix):
    w = Workload(
        D("2000.5"),
        Tokens(1200, 3000),
        Tokens(300, 800),
        Tokens(0, 400),
        D("0.6"),
        D("0.85"),
        D("0.3"),
        D("0.02"),
        D("0.1"),
        max_tokens=1024,
        name='a "quoted" name',
    )
    path = tmp_path / f"w{suffix}"
    save(w, path)
    assert load(path) == w


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "version = 1\nrequests_per_day = 1\ninput_tokens = 1\noutput_tokens = 1\ncache_hit_rate = 1.5\n",
            "cache_hit_rate",
        ),
        ("version = 2\nrequests_per_day = 1\ninput_tokens = 1\noutput_tokens = 1\n", "version must be 1"),
        ("version = 1\ninput_tokens = 1\noutput_tokens = 1\n", "requests_per_day or requests_per_month"),
        (
            "version = 1\nrequests_per_day = 1\ninput_tokens = {p50 = 9, p95 = 3}\noutput_tokens = 1\n",
            r"input_tokens\.p95 must be at least the typical \(p50\) size, 9, not 3",
        ),
        ("version = 1\nrequests_per_day = 1\ninput_tokens = 1.5\noutput_tokens = 1\n", "whole number"),
        (
            "version = 1\nrequests_per_day = 1\ninput_tokens = 1\noutput_tokens = 1\ncolour = 3\n",
            "unknown field 'colour'",
        ),
        ("version = 1\nrequests_per_day = [\n", "not valid TOML"),
    ],
)
def test_a_bad_file_says_what_is_wrong(tmp_path, text, words):
    path = tmp_path / "w.toml"
    path.write_text(text)
    with pytest.raises(WorkloadError, match=words) as err:
        load(path)
    assert "\n" not in str(err.value).strip()


def test_a_missing_file_is_a_workload_error(tmp_path):
    with pytest.raises(WorkloadError, match="cannot read"):
        load(tmp_path / "nope.toml")


@pytest.mark.parametrize("name", ["🙂 mood", "tab\there", "del\x7fchar", 'quote " and \\ back'])
def test_a_name_with_emoji_or_odd_characters_reads_back_from_toml(tmp_path, name):
    path = tmp_path / "w.toml"
    save(Workload(D(1), Tokens.fixed(1), Tokens.fixed(1), name=name), path)
    assert load(path).name == name
