"""Quality in the plan: blind votes and evaluation cells written through the real stores, read back as
vote shares and the latest finished run's pass rate; the quality move's saving worked out by hand."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest

from playground.eval.store import CANCELLED, DONE, CellResult, EvalStore
from playground.history.calls import CallEnd, CallStart
from playground.llm.request import Request
from playground.plan.quality import Quality, parse_floor, read_quality, vote_label
from playground.plan.service import make_plan
from playground.plan.workload import Tokens, Workload
from tests.playground.cli.cli_proc import cli, one_error_line

MODELS = ["gpt-4o", "gpt-4o-mini", "claude-sonnet-4-5"]
# 1,000 requests a day (30,000 a month) of 1,000 input and 100 output tokens, nothing cached:
# gpt-4o      30,000 x (1,000 x $2.50 + 100 x $10.00) / MTok = $105.00
# gpt-4o-mini 30,000 x (1,000 x $0.15 + 100 x $0.60) / MTok  = $6.30
WORKLOAD = Workload(D(1000), Tokens(1000, 1000), Tokens(100, 100), name="quality")
SAVING = D("105") - D("6.3")  # $98.70


def _cell(core, model: str, index: int, passed: bool) -> CellResult:
    call = core.history.start_call(
        CallStart(Request.single("openai", model, "hi"), "openai", None, {}, started_at=datetime.now(UTC))
    )
    core.history.finish_call(call, CallEnd("ok", input_tokens=10, output_tokens=2))
    return CellResult(index, 0, 0, call, "ok", passed, (), None, None, None)


def _run(core, status: str, results: dict[str, tuple[int, int]]) -> str:
    """A run over ``results`` (model → (cells, passed)), finished with ``status``."""
    store = EvalStore(core.storage)
    run = store.new_run("capitals", "fp", [f"p · openai / {m}" for m in results])
    index = 0
    for model, (cells, passed) in results.items():
        for i in range(cells):
            store.save_cell(run.id, _cell(core, model, index, i < passed))
            index += 1
    store.set_status(run.id, status)
    return run.id


@pytest.fixture
def history(core):
    """gpt-4o: 9 of 10 in the older run; gpt-4o-mini: 5 of 10 there, then 3 of 4 in a newer run; a
    cancelled run after both (gpt-4o failing 2 of 2) counts for nothing. Three blind votes."""
    old = _run(core, DONE, {"gpt-4o": (10, 9), "gpt-4o-mini": (10, 5)})
    new = _run(core, DONE, {"gpt-4o-mini": (4, 3)})
    _run(core, CANCELLED, {"gpt-4o": (2, 0)})
    both = ["openai / gpt-4o", "openai / gpt-4o-mini (temperature=0)"]
    for winner in ("openai / gpt-4o", "openai / gpt-4o", "openai / gpt-4o-mini (temperature=0)"):
        core.votes.record("g", winner, both)
    core.storage.writer.flush()
    return old, new


def test_votes_and_the_latest_finished_run_give_each_model_its_figures(core, history):
    old, new = history
    quality = read_quality(core.storage.read())
    assert quality["openai/gpt-4o"] == Quality(wins=2, votes=3, passed=9, cells=10, run_id=old)
    assert quality["openai/gpt-4o-mini"] == Quality(wins=1, votes=3, passed=3, cells=4, run_id=new)
    assert quality["openai/gpt-4o"].pass_rate == 0.9 and quality["openai/gpt-4o-mini"].pass_rate == 0.75
    assert quality["openai/gpt-4o"].vote_share == 2 / 3
    assert "anthropic/claude-sonnet-4-5" not in quality  # unknown, not 0


def test_a_grade_by_hand_counts_in_the_pass_rate_as_on_the_evaluate_page(core, history):
    """The Evaluate page counts a person's grade over the checks'; the plan read the checks' alone."""
    from playground.eval.grades import GradeStore, HumanGrade, Verdict

    old, new = history
    grades = GradeStore(core.storage)
    grades.save(HumanGrade(new, 3, 0, 0, Verdict.SCORE_5))  # gpt-4o-mini's failed 4th cell: a pass
    grades.save(HumanGrade(old, 0, 0, 0, Verdict.SCORE_3))  # gpt-4o's passed 1st cell: 3 of 5 fails
    core.storage.writer.flush()
    quality = read_quality(core.storage.read())
    assert (quality["openai/gpt-4o-mini"].passed, quality["openai/gpt-4o-mini"].cells) == (4, 4)
    assert (quality["openai/gpt-4o"].passed, quality["openai/gpt-4o"].cells) == (8, 10)


def test_an_empty_history_knows_nothing_and_says_not_measured(core):
    assert read_quality(core.storage.read()) == {}
    result = make_plan(core, WORKLOAD, MODELS, quality={})
    assert all(m["quality"] is None for m in result.data["models"])
    [move] = [m for m in result.moves if m.name.startswith("switch to the cheapest model that keeps")]
    assert move.saving is None
    assert move.detail == "openai/gpt-4o's pass rate is not measured (run an evaluation that includes it)"


def test_the_move_to_a_pass_rate_floor_saves_the_hand_figure_and_says_what_it_costs(core, history):
    quality = read_quality(core.storage.read())
    result = make_plan(core, WORKLOAD, MODELS, quality=quality, min_pass_rate=0.75)
    move = result.moves[-1]
    assert move.name == "switch to the cheapest model with pass rate ≥ 75%"
    assert move.saving == SAVING
    assert (move.quality.current, move.quality.new) == (0.9, 0.75)
    assert "pass rate 90% → 75%" in move.detail
    assert "not measured: anthropic/claude-sonnet-4-5" in move.detail
    data = result.data["moves"][-1]
    assert data["saving_per_month_usd"] == "98.7"
    assert data["quality"] == {"figure": "pass_rate", "current": 0.9, "new": 0.75, "at_least": 0.75}
    assert result.data["left_out"] == []


def test_the_default_floor_is_the_current_models_own_pass_rate(core, history):
    result = make_plan(core, WORKLOAD, MODELS, quality=read_quality(core.storage.read()))
    move = result.moves[-1]
    assert move.name == "switch to the cheapest model with pass rate ≥ 90%"
    assert move.saving == 0  # gpt-4o-mini's 75% does not keep 90%
    assert move.detail.startswith("openai/gpt-4o is already the cheapest with pass rate ≥ 90%")


def test_a_vote_share_floor_uses_the_blind_votes(core, history):
    result = make_plan(core, WORKLOAD, MODELS, quality=read_quality(core.storage.read()), min_vote_share=0.3)
    move = result.moves[-1]
    assert move.saving == SAVING
    assert "vote share 66.7% → 33.3% (2 of 3 blind votes; 1 of 3 blind votes)" in move.detail


def test_the_current_model_unmeasured_says_what_is_missing(core, history):
    quality = read_quality(core.storage.read())
    result = make_plan(
        core, WORKLOAD, MODELS, current="claude-sonnet-4-5", quality=quality, min_pass_rate=0.5
    )
    move = result.moves[-1]
    assert move.saving is None
    assert "anthropic/claude-sonnet-4-5's pass rate is not measured" in move.detail


def test_the_command_prints_the_same_figures(core, history):
    base = ["plan", "--requests-per-day", "1000", "--input", "1000", "--output", "100"]
    done = cli(*base, "--models", ",".join(MODELS), "--min-pass-rate", "75%", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    by_model = {m["model"]: m for m in data["models"]}
    assert by_model["openai/gpt-4o"]["quality"]["pass_rate"] == 0.9
    assert by_model["openai/gpt-4o"]["quality"]["cells"] == 10
    assert by_model["anthropic/claude-sonnet-4-5"]["quality"] is None
    assert data["moves"][-1]["saving_per_month_usd"] == "98.7"
    table = cli(*base, "--models", ",".join(MODELS), "--min-pass-rate", "75%")
    assert "anthropic/claude-sonnet-4-5" in table.stdout
    assert "pass rate 90% (run" in table.stdout
    bad = cli(*base, "--min-pass-rate", "150")
    assert bad.returncode == 2
    assert (
        one_error_line(bad.stderr) == "playground: error: --min-pass-rate: '150' is outside 0-1 (or 0%-100%)"
    )


def test_floors_and_vote_labels_parse():
    assert parse_floor("85%") == 0.85 and parse_floor("0.85") == 0.85
    with pytest.raises(ValueError, match="not a share"):
        parse_floor("high")
    assert vote_label("openai / gpt-4o (temperature=0.2, top_p=1)") == "openai/gpt-4o"
