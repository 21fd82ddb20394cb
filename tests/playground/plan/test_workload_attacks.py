"""Hostile workload input: absurd numbers are refused in one line, quickly, before any arithmetic can
hang or overflow (the form parses on the GUI thread, so a slow parse freezes the window)."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys

import pytest

from playground.llm.endpoints import BUILTIN
from playground.plan.candidates import named
from playground.plan.planner import plan
from playground.plan.sensitivity import sensitivity
from playground.plan.workload import WorkloadError, load
from playground.pricing.prices import Pricer

BASE = {"version": 1, "requests_per_day": "1000", "input_tokens": "1000", "output_tokens": "500"}
ENDPOINTS = {e.name: e for e in BUILTIN}


def parse_within(data: dict[str, object], seconds: float = 10.0) -> object:
    """from_data's answer (a Workload or the WorkloadError), failing if it takes longer than ``seconds``
    (a subprocess: a huge int conversion holds the GIL, so a thread could not be timed out)."""
    script = (
        "import json, pickle, sys\n"
        "from playground.plan.workload import from_data\n"
        "try:\n    answer = from_data(json.loads(sys.argv[1]))\n"
        "except Exception as exc:\n    answer = exc\n"
        "sys.stdout.buffer.write(pickle.dumps(answer))\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", script, json.dumps(data)], capture_output=True, timeout=seconds, check=True
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"parsing {data} took more than {seconds} s")
    return pickle.loads(done.stdout)


@pytest.mark.parametrize("field", ["input_tokens", "output_tokens", "reasoning_tokens", "max_tokens"])
def test_an_absurd_token_count_is_refused_at_once(field):
    answer = parse_within({**BASE, field: "1e999999999"})
    assert isinstance(answer, WorkloadError)
    assert field in str(answer) and "at most" in str(answer)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("requests_per_day", "1e999999999"),
        ("requests_per_day", "1e400"),
        ("requests_per_month", "1e400"),
        ("retry_rate", "1e400"),
        ("growth_per_month", "1e400"),
    ],
)
def test_an_absurd_rate_is_refused_not_overflowed(field, value):
    data = {k: v for k, v in BASE.items() if k != "requests_per_day"} | {field: value}
    if field != "requests_per_month":
        data.setdefault("requests_per_day", "1000")
    answer = parse_within(data)
    assert isinstance(answer, WorkloadError), answer
    assert field in str(answer) and "at most" in str(answer)


def test_the_largest_accepted_workload_plans_and_charts_without_error():
    biggest = parse_within(
        {
            **BASE,
            "requests_per_day": "1e12",
            "input_tokens": "1000",
            "retry_rate": "100",
            "growth_per_month": "100",
        }
    )
    assert not isinstance(biggest, Exception)
    candidates = named(["gpt-4o-mini", "claude-sonnet-4-5"], ENDPOINTS.__getitem__)
    result = plan(biggest, candidates, Pricer())  # type: ignore[arg-type]
    assert all(r.total is not None and r.total > 0 for r in result.rows)
    chart = sensitivity(result, Pricer())
    assert all(y is not None for s in chart.by_rate for y in s.ys)


@pytest.mark.parametrize("text", ["1,000", "NaN", "Infinity", "0x10", "½"])
def test_garbage_numbers_name_the_field(text):
    answer = parse_within({**BASE, "requests_per_day": text})
    assert isinstance(answer, WorkloadError) and "requests_per_day" in str(answer)


def test_unicode_digits_read_as_the_number_they_show():
    answer = parse_within({**BASE, "requests_per_day": "١٠٠"})  # Arabic-Indic 100
    assert not isinstance(answer, Exception) and answer.requests_per_day == 100  # type: ignore[union-attr]


def test_a_huge_workload_file_is_refused_without_reading_it(tmp_path):
    huge = tmp_path / "huge.toml"
    with huge.open("wb") as out:
        out.truncate(500_000_000)  # sparse: 500 MB of nothing
    with pytest.raises(
        WorkloadError, match=r"huge.toml is 500,000,000 bytes; a workload file is at most 1 MB"
    ):
        load(huge)
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    with pytest.raises(WorkloadError, match=r"cannot read .*folder.toml"):
        load(folder)
