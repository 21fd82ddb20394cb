"""A suite edited in the window and saved reads back as the same suite, standing alone."""

import json
from dataclasses import replace
from pathlib import Path

import pytest

from playground.compare.columns import Column
from playground.eval.checks import Check, Kind
from playground.eval.suite import Case, load
from playground.eval.suite_file import save

DATA = Path(__file__).resolve().parents[2] / "data" / "eval"


def test_a_saved_suite_reads_back_the_same_with_its_cases_inline(tmp_path):
    suite = load(DATA / "capitals.toml").suite
    edited = replace(
        suite,
        cases=(
            *suite.cases[:-1],
            Case(
                {"country": "Wales"},
                "Cardiff",
                (Check(Kind.LENGTH, minimum=1, maximum=40), Check(Kind.JSON_PATH, {"a": 1}, path="x.y")),
                "wales",
            ),
        ),
        grader=Column("local", "gpt-4o", {"temperature": 0}),
    )
    path = tmp_path / "saved.json"
    save(path, edited)
    again = load(path).suite
    assert again == edited
    assert again.fingerprint() == edited.fingerprint()  # a run of the saved suite is the same run
    data = json.loads(path.read_text())
    assert "cases_file" not in data and len(data["cases"]) == len(suite.cases)


def test_a_failed_save_keeps_the_old_file(tmp_path):
    suite = load(DATA / "capitals.toml").suite
    path = tmp_path / "suite.json"
    save(path, suite)
    before = path.read_text()
    (tmp_path / "suite.json.partial").mkdir()  # the temporary file cannot be written
    with pytest.raises(OSError):
        save(path, replace(suite, name="changed"))
    assert path.read_text() == before
