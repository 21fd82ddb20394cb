"""Recorded calls saved as evaluation cases, then replayed by a suite: the round trip a user makes from
History to Evaluate."""

import json

from playground.compare.runner import Concurrency
from playground.eval.from_history import export_cases
from playground.eval.runner import EvalRunner
from playground.eval.store import EvalStore
from playground.eval.suite import load, read_cases
from playground.history.filters import Filters
from playground.llm.request import Message, Request
from tests.servers.base import Script


def test_selected_calls_become_cases_that_a_suite_replays(tmp_path, core, local_openai):
    local_openai.push(
        Script("Paris"),
        Script("Rome"),
        Script(status=400, error_type="invalid_request_error", error_message="bad"),
    )
    asked = [
        Request.single("local", "gpt-4o-mini", "Capital of France?", system="One word."),
        Request(
            "local",
            "gpt-4o-mini",
            (Message("user", "Hi"), Message("assistant", "Hello"), Message("user", "Capital of Italy?")),
        ),
        Request.single("local", "gpt-4o-mini", "Capital of Spain?"),
    ]
    results = [core.runner.run(r) for r in asked]
    core.history.flush()
    path = tmp_path / "cases.jsonl"
    written, skipped = export_cases(core.storage, Filters(), path)
    assert (written, skipped) == (3, 0)
    cases = read_cases(path)
    assert [c.vars["input"] for c in cases] == [
        "Capital of France?",
        "Capital of Italy?",
        "Capital of Spain?",
    ]
    assert cases[0].vars["system"] == "One word." and "system" not in cases[1].vars
    assert [c.expected for c in cases] == ["Paris", "Rome", None]  # a failed call has no expected answer
    assert cases[0].name == f"call {results[0].call_id}"

    only = tmp_path / "one.jsonl"
    assert export_cases(core.storage, Filters(), only, ids=[results[1].call_id]) == (1, 0)
    (suite_path := tmp_path / "replay.toml").write_text(
        'name = "replay"\nprompt = "{{input}}"\ncases_file = "one.jsonl"\n'
        '[[targets]]\nendpoint = "local"\nmodel = "gpt-4o"\n'
        '[[checks]]\ntype = "equals"\nvalue = "{{expected}}"\n'
    )
    local_openai.push(Script("Rome"))
    outcome = EvalRunner(core.runner, EvalStore(core.storage), Concurrency(1, 1)).run(load(suite_path).suite)
    (cell,) = outcome.cells
    assert cell.passed
    sent = [r.body for r in local_openai.received if r.method == "POST"][-1]
    assert sent["messages"][-1] == {"role": "user", "content": "Capital of Italy?"}
    assert json.loads(only.read_text())["expected"] == "Rome"
