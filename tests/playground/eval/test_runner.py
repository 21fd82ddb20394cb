"""Suites from files, and runs in-process through the Compare engine: cancel, resume, summaries."""

import json
import threading
from decimal import Decimal

import pytest

from playground.compare.runner import Concurrency
from playground.eval.runner import EvalRunner
from playground.eval.store import CellResult, EvalStore
from playground.eval.suite import SuiteError, load, read_cases
from playground.eval.summary import summarize
from tests.servers.base import Script


def write_suite(folder, cases: str = "cases.jsonl", repeats: int = 1, extra: str = ""):
    (folder / "s.toml").write_text(
        f'name = "t"\ncases_file = "{cases}"\nrepeats = {repeats}\n'
        'prompt = "Say {{word}}"\n'
        '[[targets]]\nendpoint = "local"\nmodel = "gpt-4o-mini"\n'
        '[[checks]]\ntype = "contains"\nvalue = "{{word}}"\n' + extra
    )
    return folder / "s.toml"


def test_jsonl_cases_in_both_shapes(tmp_path):
    (tmp_path / "cases.jsonl").write_text(
        json.dumps({"word": "alpha", "expected": "A"})
        + "\n\n"
        + json.dumps({"vars": {"word": 3}, "name": "n"})
        + "\n"
    )
    cases = read_cases(tmp_path / "cases.jsonl")
    assert [(dict(c.vars), c.expected, c.name) for c in cases] == [
        ({"word": "alpha"}, "A", "cases.jsonl line 1"),
        ({"word": "3"}, None, "n"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'word,checks\nhi,\nho,"[{""type"": ""regex"", ""value"": ""[""}]"\n',
            "case 2 \\(c.csv row 3\\): invalid regex",
        ),
        ("word\nhi,extra\n", "row 2 has more cells than the header"),
        ("word,checks\nhi,not json\n", "checks are not JSON"),
        ("other\nhi\n", r"case 1 \(c.csv row 2\): no value for word"),
    ],
)
def test_bad_cases_files_are_clear_before_anything_runs(tmp_path, core, text, message):
    (tmp_path / "c.csv").write_text(text)
    runner = EvalRunner(core.runner, EvalStore(core.storage))
    with pytest.raises(SuiteError, match=message):
        runner.run(load(write_suite(tmp_path, "c.csv")).suite)


def test_a_run_with_repeats_reports_pass_rate_costs_and_timings(tmp_path, core, local_openai):
    (tmp_path / "cases.jsonl").write_text("\n".join(json.dumps({"word": w}) for w in ("red", "blue")))
    local_openai.default = Script("red")  # the "red" case passes, the "blue" one fails, in each repeat
    suite = load(write_suite(tmp_path, repeats=2)).suite
    outcome = EvalRunner(core.runner, EvalStore(core.storage), Concurrency(2, 2)).run(suite)
    assert not outcome.cancelled and len(outcome.cells) == 4
    (summary,) = summarize(outcome.run.columns, outcome.cells, 2, 2)
    assert summary.passed == 2 and summary.pass_rate == 0.5 and summary.spread == (0.5, 0.5)
    rows = core.history.group(outcome.run.id)  # every call in History under the run's id
    assert len(rows) == 4 and {r.tag for r in rows} == {"eval"}
    assert summary.cost.exact == sum(Decimal(r.cost_usd) for r in rows) > 0
    assert summary.cost_per_pass == summary.cost.exact / 2
    assert summary.p50_duration_ms is not None and summary.p50_first_token_ms is not None


def cell(case, repeat, passed, cost):
    return CellResult(case, 0, repeat, None, "ok", passed, (), cost, 10.0 * (case + 1), 100.0 * (case + 1))


def test_summary_spread_over_repeats_and_unknown_cost_per_pass():
    cells = [cell(0, 0, True, Decimal("0.01")), cell(1, 0, False, Decimal("0.01"))]
    cells += [cell(0, 1, True, Decimal("0.01")), cell(1, 1, True, None)]
    (s,) = summarize(["c"], cells, 2, 2)
    assert s.pass_rate == 0.75 and s.spread == (0.5, 1.0)
    assert s.cost.priced == Decimal("0.03") and s.cost.unpriced == 1
    assert s.cost_per_pass is None and s.cost_per_pass_note == "unknown: 1 call(s) without a price"
    assert s.p50_first_token_ms == 15.0 and s.p50_duration_ms == 150.0
    (known,) = summarize(["c"], cells[:3], 2, 2)
    assert known.cost_per_pass == Decimal("0.03") / 2


def test_cancel_keeps_finished_cells_and_resume_runs_only_the_rest(tmp_path, core, local_openai):
    words = [f"w{i}" for i in range(8)]
    (tmp_path / "cases.jsonl").write_text("\n".join(json.dumps({"word": w}) for w in words))
    local_openai.default = Script("w0 w1 w2 w3 w4 w5 w6 w7", token_delay=0.03)
    suite = load(write_suite(tmp_path)).suite
    store = EvalStore(core.storage)
    runner = EvalRunner(core.runner, store, Concurrency(1, 1))
    done = []

    def on_cell(cell):
        done.append(cell)
        if len(done) == 3:
            threading.Thread(target=runner.cancel).start()

    first = runner.run(suite, on_cell=on_cell)
    assert first.cancelled and 3 <= len(first.cells) < 8
    assert store.run(first.run.id).status == "cancelled"
    sent = len(local_openai.received)
    second = EvalRunner(core.runner, store).run(suite, resume=first.run.id)
    assert not second.cancelled and second.skipped == len(first.cells)
    assert len(local_openai.received) - sent == 8 - len(first.cells)
    assert sorted(c.case for c in second.cells) == list(range(8))
    assert all(c.passed for c in second.cells)
    assert store.run(first.run.id).status == "done"


def test_resume_refuses_a_changed_suite(tmp_path, core, local_openai):
    (tmp_path / "cases.jsonl").write_text(json.dumps({"word": "x"}))
    store = EvalStore(core.storage)
    outcome = EvalRunner(core.runner, store).run(load(write_suite(tmp_path)).suite)
    changed = load(write_suite(tmp_path, extra='[[checks]]\ntype = "length"\nmax = 3\n')).suite
    with pytest.raises(SuiteError, match="another version of this suite"):
        EvalRunner(core.runner, store).run(changed, resume=outcome.run.id)


def test_a_failed_call_fails_its_cell_with_the_reason(tmp_path, core, local_openai):
    (tmp_path / "cases.jsonl").write_text(json.dumps({"word": "x"}))
    local_openai.push(*[Script(status=400, error_type="invalid_request_error", error_message="bad model")])
    outcome = EvalRunner(core.runner, EvalStore(core.storage)).run(load(write_suite(tmp_path)).suite)
    (cell,) = outcome.cells
    assert cell.status == "error" and not cell.passed and "bad model" in cell.error


def test_called_tool_is_judged_on_the_calls_the_model_streamed(tmp_path, core, local_openai):
    """The suite's tools go with every call; a cell passes only when the model called the named tool
    with arguments that keep to its schema."""
    (tmp_path / "cases.jsonl").write_text(
        "\n".join(json.dumps({"word": w}) for w in ("Oslo", "Rome", "Nice"))
    )
    tools = (
        '[params.tools]\nchoice = "auto"\n'
        '[[params.tools.tools]]\nname = "get_weather"\ndescription = "Weather"\n'
        '[params.tools.tools.parameters]\ntype = "object"\nrequired = ["city"]\n'
        '[[checks]]\ntype = "called_tool"\nvalue = "get_weather"\n'
    )
    path = write_suite(tmp_path, extra=tools)
    (tmp_path / "s.toml").write_text(
        path.read_text().replace('[[checks]]\ntype = "contains"\nvalue = "{{word}}"\n', "")
    )
    local_openai.push(
        Script(tool_calls=[("get_weather", '{"city": "Oslo"}')]),
        Script(tool_calls=[("get_weather", '{"town": "Rome"}')]),
        Script("It is sunny in Nice."),
    )
    outcome = EvalRunner(core.runner, EvalStore(core.storage), Concurrency(1, 1)).run(load(path).suite)
    sent = [r.body for r in local_openai.received if r.method == "POST"]
    assert all(b["tools"][0]["function"]["name"] == "get_weather" for b in sent)
    by_case = {c.case: c for c in outcome.cells}
    assert [by_case[i].passed for i in range(3)] == [True, False, False]
    assert "invalid arguments" in by_case[1].outcomes[0].detail
    assert by_case[2].outcomes[0].detail == "did not call get_weather (called no tool)"


def test_a_rubric_is_judged_by_the_grader_model_and_its_calls_are_recorded(tmp_path, core, local_openai):
    (tmp_path / "cases.jsonl").write_text("\n".join(json.dumps({"word": w}) for w in ("Paris", "Lyon")))
    rubric = '[grader]\nendpoint = "local"\nmodel = "gpt-4o"\n'
    rubric += '[[checks]]\ntype = "rubric"\nvalue = "Names a capital"\n'
    local_openai.answer_per_model(  # the suite's model answers; the grader (gpt-4o) judges
        {"gpt-4o-mini": "Paris and Lyon", "gpt-4o": 'Here: {"pass": false, "reason": "Lyon is no capital"}'}
    )
    outcome = EvalRunner(core.runner, EvalStore(core.storage)).run(
        load(write_suite(tmp_path, extra=rubric)).suite
    )
    for cell in outcome.cells:
        contains, judged = cell.outcomes
        assert contains.passed and not judged.passed and not cell.passed
        assert judged.check == "rubric (model-judged): Names a capital"
        assert judged.detail == "local / gpt-4o judged it a fail: Lyon is no capital"
    graded = [r.body for r in local_openai.received if r.method == "POST" and r.body["model"] == "gpt-4o"]
    assert len(graded) == 2 and all(b["temperature"] == 0 for b in graded)
    asked = graded[0]["messages"][-1]["content"]
    assert "<answer>\nParis and Lyon\n</answer>" in asked and "<rubric>\nNames a capital\n</rubric>" in asked
    rows = core.history.group(outcome.run.id)
    assert sorted(r.tag for r in rows) == ["eval", "eval", "eval-grader", "eval-grader"]
    assert all(r.cost_usd for r in rows)  # the grader's calls are priced like any other


@pytest.mark.parametrize(
    ("text", "passed", "reason"),
    [
        ('Sure. {"pass": true, "reason": "it names Paris"}', True, "it names Paris"),
        ('{"pass": false, "reason": "rude"}', False, "rude"),
        ("It is fine.", None, 'the grader did not answer {"pass": …}'),
        ('{"pass": "yes"}', None, 'the grader did not answer {"pass": …}'),
    ],
)
def test_a_verdict_is_read_from_the_grader_reply(text, passed, reason):
    from playground.eval.grader import verdict
    from playground.llm.result import CallResult

    grade = verdict(CallResult(1, "ok", text), "local / gpt-4o")
    assert grade.passed is passed and grade.reason.startswith(reason)


def test_a_grader_reply_without_a_verdict_fails_the_check_with_what_it_said(tmp_path, core, local_openai):
    (tmp_path / "cases.jsonl").write_text(json.dumps({"word": "Paris"}))
    rubric = '[grader]\nendpoint = "local"\nmodel = "gpt-4o"\n[[checks]]\ntype = "rubric"\nvalue = "Polite"\n'
    local_openai.push(Script("Paris"), Script("I think it is fine."))
    outcome = EvalRunner(core.runner, EvalStore(core.storage)).run(
        load(write_suite(tmp_path, extra=rubric)).suite
    )
    (cell,) = outcome.cells
    assert not cell.passed and cell.outcomes[1].detail.startswith('the grader did not answer {"pass": …}')


def test_a_rubric_without_a_grader_is_refused_before_anything_is_sent(tmp_path, core, local_openai):
    (tmp_path / "cases.jsonl").write_text(json.dumps({"word": "Paris"}))
    path = write_suite(tmp_path, extra='[[checks]]\ntype = "rubric"\nvalue = "Polite"\n')
    with pytest.raises(SuiteError, match="a rubric check needs a grader model"):
        EvalRunner(core.runner, EvalStore(core.storage)).run(load(path).suite)
    assert not [r for r in local_openai.received if r.method == "POST"]
