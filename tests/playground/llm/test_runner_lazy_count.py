"""The prompt is counted only when a figure needs it: a server that reports usage gets the same row
either way, and `playground run` against it never loads the tokenizer (~40 MB, ~0.4 s of CPU)."""

from __future__ import annotations

import json

import pytest

from playground.llm.request import Request
from tests.playground.cli.cli_proc import loaded
from tests.servers.base import Script
from tests.servers.openai_server import OpenAITestServer

PROMPT = "Write one sentence about the sea."


def cli_run(tmp_path, script: Script) -> tuple[dict, bool]:
    with OpenAITestServer(api_key=None) as server:
        server.push(script)
        args = ["run", "--json", "-m", "gpt-4o", "--base-url", server.base_url, PROMPT]
        out, modules = loaded(tmp_path, *args)  # the installed command in its own process
    return json.loads(out.splitlines()[-1]), "tiktoken" in modules


def test_run_against_a_server_that_reports_usage_never_imports_tiktoken(tmp_path):
    answer, tokenizer = cli_run(tmp_path, Script(text="The sea is wide.", prompt_tokens=14))
    assert answer["text"] == "The sea is wide." and answer["input_tokens"] == 14
    assert not answer["input_estimated"] and not answer["output_estimated"]
    assert not tokenizer


def test_run_against_a_server_without_usage_counts_and_marks_it(tmp_path, core):
    answer, tokenizer = cli_run(tmp_path, Script(text="alpha beta gamma", usage="none"))
    request = Request.single("x", "gpt-4o", PROMPT)
    assert answer["input_tokens"] == core.runner.estimate_input(request).tokens > 0
    assert answer["output_tokens"] == 3
    assert answer["input_estimated"] and answer["output_estimated"]  # the cost: unknown or estimated
    assert answer["cost_usd"] is None or answer["cost_estimated"]
    assert tokenizer


@pytest.mark.parametrize("usage", ["separate", "none"])
def test_the_recorded_figures_do_not_depend_on_the_comparison_count(core, local_openai, usage):
    rows = []
    for compare in (True, False):
        local_openai.push(Script(text="One two three", prompt_tokens=42, usage=usage))
        request = Request.single("local", "gpt-4o", PROMPT)
        result = core.runner.run(request, compare_estimate=compare)
        assert result.status == "ok"
        expected = core.runner.estimate_input(request).tokens if compare else None
        assert result.estimated_input_tokens == expected
        row = core.history.get(result.call_id)
        rows.append((result.usage, result.cost, row.input_tokens, row.input_estimated, row.cost_usd))
    assert rows[0] == rows[1]
    assert rows[0][2] == (42 if usage == "separate" else core.runner.estimate_input(request).tokens)
    assert rows[0][3] == (usage == "none")
