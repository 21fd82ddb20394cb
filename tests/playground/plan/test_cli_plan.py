"""`playground plan` in a real process: the JSON is the in-process plan's, a bad file exits 2 in one line."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal as D
from pathlib import Path

from playground.llm.endpoints import BUILTIN
from playground.plan import export
from playground.plan.candidates import named
from playground.plan.moves import moves
from playground.plan.planner import plan
from playground.plan.workload import load
from playground.pricing.prices import Pricer
from tests.playground.cli.cli_proc import cli, one_error_line

DATA = Path(__file__).resolve().parents[2] / "data" / "plan"
MODELS = "claude-sonnet-4-5,gpt-4o-mini,gpt-4"


def test_json_through_a_real_process_matches_the_plan_and_the_hand_figure():
    done = cli("plan", "--file", str(DATA / "support_bot.toml"), "--models", MODELS, "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    by_model = {m["model"]: m for m in data["models"]}
    # $684 a month: worked out by hand in test_planner (same workload, claude-sonnet-4-5)
    assert by_model["anthropic/claude-sonnet-4-5"]["monthly_usd"] == "684"
    assert by_model["anthropic/claude-sonnet-4-5"]["split_usd"]["cache_writes"] == "225"
    assert [u["model"] for u in data["unfit"]] == ["openai/gpt-4"]  # 10,500 tokens > 8,192
    # identical to what a page would show for the saved workload (the same dict, in process)
    endpoints = {e.name: e for e in BUILTIN}
    candidates = named(MODELS.split(","), endpoints.__getitem__)
    result = plan(load(DATA / "support_bot.toml"), candidates, Pricer())
    found = moves(result, candidates[0].label, quality={})  # the command read an empty history
    assert data == json.loads(export.dumps_json(export.to_data(result, found, quality={})))


def test_flags_override_the_file_and_csv_and_markdown_carry_the_batch_mark():
    done = cli(
        "plan",
        "--file",
        str(DATA / "nightly_summaries.json"),
        "--models",
        "gpt-4o-mini",
        "--batch-share",
        "0.5",
        "--csv",
    )
    assert done.returncode == 0, done.stderr
    [row] = list(csv.DictReader(io.StringIO(done.stdout)))
    full = 300_000 * (1000 * D("0.15") + 100 * D("0.60")) / 1_000_000  # $63
    assert D(row["monthly_usd"]) == full * D("0.75") and row["batch_discount"] == "0.5"
    md = cli("plan", "--file", str(DATA / "nightly_summaries.json"), "--models", "gpt-4o-mini", "--markdown")
    assert "| openai/gpt-4o-mini | $50.40† |" in md.stdout
    assert "platform.openai.com/docs/guides/batch" in md.stdout


def test_a_bad_workload_file_gives_one_clear_line_and_exit_2():
    done = cli("plan", "--file", str(DATA / "bad_share.toml"), "--models", "gpt-4o-mini")
    assert done.returncode == 2
    line = one_error_line(done.stderr)
    assert "bad_share.toml" in line and "cache_hit_rate must be between 0 and 1" in line
    missing = cli("plan", "--requests-per-day", "10", "--input", "100")
    assert missing.returncode == 2 and "output_tokens" in one_error_line(missing.stderr)


def test_moves_for_a_model_that_does_not_fit_are_refused_in_words():
    done = cli(
        "plan",
        "--requests-per-day",
        "10",
        "--input",
        "9000",
        "--output",
        "10",
        "--models",
        "gpt-4,gpt-4o-mini",
        "--current",
        "gpt-4",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["moves"] == []
    assert "openai/gpt-4 is not a priced model that fits" in done.stderr


def test_the_input_flag_takes_an_average_and_the_bill_is_priced_at_it():
    """P50:P95:AVERAGE, as a file's {p50, p95, mean}: 300 requests of 1,090 input and 10 output tokens
    on gpt-4o-mini ($0.15 and $0.60 per million) is $0.04905 + $0.0018."""
    done = cli(
        "plan", "--requests-per-day", "10", "--input", "100:10000:1090", "--output", "10",
        "--models", "gpt-4o-mini", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(done.stdout)["models"]
    assert D(row["monthly_usd"]) == D("0.04905") + D("0.0018")
    bad = cli("plan", "--requests-per-day", "10", "--input", "1:2:3:4", "--output", "10")
    assert bad.returncode == 2
    assert "--input takes N, P50:P95 or P50:P95:AVERAGE, not '1:2:3:4'" in one_error_line(bad.stderr)
