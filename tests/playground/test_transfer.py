"""Export and import: our own JSON round-trips without duplicates; llm's logs.db becomes priced calls."""

import csv
import io
import json
import sqlite3

import genai_prices
import pytest

from playground.cli import main
from playground.errors import PlaygroundError
from playground.money import Money
from playground.request import Request
from playground.transfer import export_rows, import_file, to_csv, to_json
from tests.servers.base import Script


def make_calls(core, server, n=3):
    for i in range(n):
        server.push(Script(text=f"answer {i}", prompt_tokens=10 + i))
        core.runner.run(Request.single("local", "gpt-4o-mini", f"question {i}", params={"temperature": 0.5}))


def test_json_export_round_trips_into_another_history_without_duplicates(
    core, local_openai, tmp_path, encodings
):
    from playground.core import build_core

    make_calls(core, local_openai)
    path = tmp_path / "export.json"
    path.write_text(to_json(export_rows(core.storage)))
    other = build_core(tmp_path / "other", keyring_backend=None, environ={}, encodings=encodings)
    first = import_file(other.storage, path, other.pricer)
    again = import_file(other.storage, path, other.pricer)
    assert (first.added, first.skipped, again.added, again.skipped) == (3, 0, 0, 3)
    theirs, ours = other.history.recent(limit=10), core.history.recent(limit=10)
    assert [(r["output"], r["cost_usd"], r["params"]) for r in theirs] == [
        (r["output"], r["cost_usd"], r["params"]) for r in ours
    ]
    assert other.history.recent(search="question")  # searchable after import
    (month,) = other.reports.spend(period="month", by=None)
    assert month.cost == Money.of_costs(r["cost_usd"] for r in ours) and month.calls == 3
    other.close()


def test_csv_export_has_a_header_and_one_row_per_call(core, local_openai):
    make_calls(core, local_openai, 2)
    rows = list(csv.DictReader(io.StringIO(to_csv(export_rows(core.storage)))))
    assert len(rows) == 2 and rows[0]["model"] == "gpt-4o-mini" and rows[0]["status"] == "ok"
    assert "pid" not in rows[0]


def make_llm_db(path):
    """A logs.db with the tables the llm tool's migrations create (m010 + m013 + m019)."""
    db = sqlite3.connect(path)
    db.executescript("""
        create table conversations (id text primary key, name text, model text);
        create table responses (id text primary key, model text, prompt text, system text,
            prompt_json text, options_json text, response text, response_json text,
            conversation_id text references conversations(id),
            duration_ms integer, datetime_utc text, input_tokens integer, output_tokens integer,
            token_details text, schema_id text, resolved_model text);
    """)
    db.executemany(
        "insert into responses (id, model, prompt, system, response, duration_ms, datetime_utc, input_tokens,"
        " output_tokens) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                "01jabc",
                "gpt-4o-mini",
                "Tell me a joke",
                None,
                "Why did...",
                812,
                "2026-10-01T10:00:00.123456",
                12,
                40,
            ),
            (
                "01jabd",
                "claude-sonnet-4-6",
                "Summarize",
                "Be brief",
                "Short.",
                1500,
                "2026-10-02T11:00:00",
                200,
                5,
            ),
            ("01jabe", "some-local-model", "hi", None, "hello", 90, "2026-10-03T12:00:00", 3, 2),
        ],
    )
    db.commit()
    db.close()


def test_llm_logs_become_priced_calls_once(core, tmp_path):
    path = tmp_path / "logs.db"
    make_llm_db(path)
    result = import_file(core.storage, path, core.pricer)
    assert (result.added, result.skipped) == (3, 0)
    assert import_file(core.storage, path, core.pricer).skipped == 3
    rows = {r["model"]: r for r in core.history.recent(limit=10)}
    expected = genai_prices.calc_price(
        genai_prices.Usage(input_tokens=12, output_tokens=40), "gpt-4o-mini"
    ).total_price
    assert rows["gpt-4o-mini"]["cost_usd"] == expected and rows["gpt-4o-mini"]["duration_ms"] == 812
    assert rows["claude-sonnet-4-6"]["system"] == "Be brief"
    assert (
        rows["some-local-model"]["cost_usd"] is None and "unknown" in rows["some-local-model"]["price_source"]
    )
    assert rows["gpt-4o-mini"]["started_at"].startswith("2026-10-01T10:00:00.123")


def test_a_wrong_file_is_refused_clearly(core, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    with pytest.raises(PlaygroundError, match=r"neither a history export nor an llm logs\.db"):
        import_file(core.storage, bad, core.pricer)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"calls": []}))
    with pytest.raises(PlaygroundError, match="not an LLM Playground history export"):
        import_file(core.storage, other, core.pricer)


def test_cli_export_and_import(tmp_path, capsys):
    path = tmp_path / "logs.db"
    make_llm_db(path)
    assert main(["import", str(path)]) == 0
    assert "3 calls imported" in capsys.readouterr().out
    assert main(["export", "--format", "json", "-o", str(tmp_path / "out.json")]) == 0
    data = json.loads((tmp_path / "out.json").read_text())
    assert len(data["calls"]) == 3 and {c["uid"] for c in data["calls"]} == {
        "llm:01jabc",
        "llm:01jabd",
        "llm:01jabe",
    }
