"""Export and import: our own JSON round-trips without duplicates; llm's logs.db becomes priced calls."""

import csv
import io
import json
import sqlite3
from datetime import timedelta

import genai_prices
import pytest

from playground.cli.entry import main
from playground.history.transfer import export_rows, import_file, to_csv, to_json
from playground.llm.errors import PlaygroundError
from playground.llm.request import Request
from playground.pricing.money import Money
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
    assert [(r.output, r.cost_usd, r.params) for r in theirs] == [
        (r.output, r.cost_usd, r.params) for r in ours
    ]
    assert other.history.recent(search="question")  # searchable after import
    (month,) = other.reports.spend(period="month", by=None)
    assert month.cost == Money.of_costs(r.cost_usd for r in ours) and month.calls == 3
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
    rows = {r.model: r for r in core.history.recent(limit=10)}
    expected = genai_prices.calc_price(
        genai_prices.Usage(input_tokens=12, output_tokens=40), "gpt-4o-mini"
    ).total_price
    assert rows["gpt-4o-mini"].cost_usd == expected and rows["gpt-4o-mini"].duration_ms == 812
    assert rows["claude-sonnet-4-6"].system == "Be brief"
    assert rows["some-local-model"].cost_usd is None and "unknown" in rows["some-local-model"].price_source
    assert rows["gpt-4o-mini"].cursor[0].startswith("2026-10-01T10:00:00.123")


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


def exported(core, server, tmp_path, n=3):
    make_calls(core, server, n)
    data = json.loads(to_json(export_rows(core.storage)))
    return data


def write(tmp_path, data, name="import.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def test_an_import_with_a_bad_row_is_refused_whole_and_history_untouched(
    core, local_openai, tmp_path, encodings
):
    from playground.core import build_core

    data = exported(core, local_openai, tmp_path)
    data["calls"][1]["input_tokens"] = "many"
    path = write(tmp_path, data)
    other = build_core(tmp_path / "other", keyring_backend=None, environ={}, encodings=encodings)
    before = other.history.recent(limit=10)
    with pytest.raises(PlaygroundError, match=r"call 2: input_tokens='many' must be a whole number"):
        import_file(other.storage, path, other.pricer)
    assert other.history.recent(limit=10) == before == []
    data["calls"][1]["input_tokens"] = 11  # mended, the same file imports whole
    assert import_file(other.storage, write(tmp_path, data), other.pricer).added == 3
    other.close()


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("started_at", "yesterday", "ISO-8601"),
        ("ended_at", 12, "ISO-8601"),
        ("status", "done", "must be one of"),
        ("output_tokens", -3, "at least 0"),
        ("output_tokens", 2.5, "whole number"),
        ("cost_usd", 0.25, "decimal string"),
        ("cost_usd", "NaN", "at least 0"),
        ("cost_usd", "cheap", "decimal string"),
        ("model", "", "non-empty"),
        ("messages", "not json", "list of messages"),
        ("duration_ms", float("inf"), "number"),
        ("cost_estimated", "yes", "true or false"),
    ],
)
def test_each_bad_value_is_named(core, local_openai, tmp_path, field, value, reason):
    data = exported(core, local_openai, tmp_path, 1)
    data["calls"][0][field] = value
    with pytest.raises(PlaygroundError, match=rf"call 1: {field}=.*{reason}") as refused:
        import_file(core.storage, write(tmp_path, data), core.pricer)
    assert refused.value.problems[0].field == field


def test_many_problems_name_the_first_few_and_count_the_rest(core, local_openai, tmp_path):
    data = exported(core, local_openai, tmp_path, 3)
    for call in data["calls"]:
        call.update(input_tokens="many", output_tokens=None, status="weird", retries=-1)
    data["calls"].append(dict(data["calls"][0]))  # the same uid twice
    with pytest.raises(PlaygroundError) as refused:
        import_file(core.storage, write(tmp_path, data), core.pricer)
    message = str(refused.value)
    assert message.count("call ") == 5 and "and 8 more" in message and "13 problems" in message
    assert any(p.reason == "repeats call 1" for p in refused.value.problems)


def test_llm_logs_with_bad_counts_are_refused(core, tmp_path):
    path = tmp_path / "logs.db"
    make_llm_db(path)
    db = sqlite3.connect(path)
    db.execute("update responses set input_tokens = 'many' where id = '01jabd'")
    db.commit()
    db.close()
    with pytest.raises(PlaygroundError, match=r"call 2: input_tokens='many'"):
        import_file(core.storage, path, core.pricer)
    assert core.history.recent(limit=10) == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"format": "llm-playground-history", "version": 1, "calls": [{"uid"', "neither a history export"),
        ("uid,started_at,ended_at,endpoint\nx,y,z,w\n", "looks like a CSV export"),
        ('{"format": "llm-playground-history", "version": 9, "calls": []}', "newer version"),
        ('{"format": "llm-playground-history", "version": 1, "calls": {}}', "no list of calls"),
    ],
)
def test_wrong_files_are_one_line_through_the_cli(tmp_path, capsys, content, expected):
    path = tmp_path / "file.json"
    path.write_text(content)
    assert main(["import", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("playground: error: nothing imported:") and expected in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert main(["history"]) == 0 and "No calls yet." in capsys.readouterr().out


def test_imported_times_with_an_offset_are_stored_in_utc_so_day_filters_agree_with_spend(
    core, local_openai, tmp_path, encodings
):
    """23:30 in New York on Jan 1 is 04:30 UTC on Jan 2: the day filter finds it where spend counts it."""
    from playground.core import build_core
    from playground.history.filters import Filters

    data = exported(core, local_openai, tmp_path, 2)
    data["calls"][0]["started_at"] = "2026-01-01T23:30:00-05:00"
    data["calls"][1]["started_at"] = "2026-01-02T12:00:00+00:00"
    other = build_core(tmp_path / "other", keyring_backend=None, environ={"TZ": "UTC"}, encodings=encodings)
    try:
        other.reports.clock.set_zone("UTC")
        assert import_file(other.storage, write(tmp_path, data), other.pricer).added == 2
        rows = other.history.page(Filters(since="2026-01-02", until="2026-01-02", zone="UTC"))
        days = [r.period for r in other.reports.spend(period="day", by=None)]
    finally:
        other.close()
    assert len(rows) == 2 and all(r.started_at.utcoffset() == timedelta(0) for r in rows)
    assert days == ["2026-01-02"]


@pytest.mark.parametrize("cost", ["1e400", "20000000"])
def test_an_impossible_cost_is_refused_at_import(core, local_openai, tmp_path, cost):
    data = exported(core, local_openai, tmp_path, 1)
    data["calls"][0]["cost_usd"] = cost
    with pytest.raises(PlaygroundError, match=r"call 1: cost_usd=.*at most"):
        import_file(core.storage, write(tmp_path, data), core.pricer)


def test_an_impossible_price_is_refused_at_entry():
    from playground.history.config_store import parse_price

    with pytest.raises(PlaygroundError, match="beyond any real price"):
        parse_price("1e999", "Input price")
    assert parse_price("15", "Input price") == 15
