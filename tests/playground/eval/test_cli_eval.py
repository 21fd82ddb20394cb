"""`playground eval` as a user runs it: 20 cases x 3 columns against the local test servers."""

import json
import os
import signal
import sqlite3
import time
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from tests.playground.cli.cli_proc import cli, one_error_line, popen
from tests.servers.base import asked_since

DATA = Path(__file__).resolve().parents[2] / "data" / "eval"
SUITE = DATA / "capitals.toml"
# What each model answers, whatever the case (the servers answer by model):
ANSWERS = {
    "gpt-4o": "The capital is Paris.",  # passes the 6 Paris cases without an is_json check
    "gpt-4o-mini": "Sorry, maybe Paris.",  # "sorry" fails every case
}
CLAUDE = '{"capital": "Paris"}'  # passes all 10 Paris cases, JSON included
PASSED = [6, 0, 10]


@pytest.fixture
def servers(openai_server, anthropic_server):
    openai_server.api_key = anthropic_server.api_key = None
    openai_server.answer_per_model(ANSWERS)
    anthropic_server.answer_per_model({"claude-haiku-4-5": CLAUDE})
    for name, server, api in (
        ("local", openai_server, "openai"),
        ("localant", anthropic_server, "anthropic"),
    ):
        out = cli("endpoints", "add", name, "--base-url", server.base_url, "--api", api, "--price-as", api)
        assert out.returncode == 0, out.stderr
    return openai_server, anthropic_server


def test_twenty_cases_by_three_columns_pass_rates_costs_and_junit(servers, tmp_path):
    junit = tmp_path / "report.xml"
    out = cli("eval", str(SUITE), "--json", "--junit", str(junit), "--per-endpoint", "1")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    columns = data["columns"]
    assert [c["label"] for c in columns] == [
        "v1 · local / gpt-4o",
        "v1 · local / gpt-4o-mini (temperature=0)",
        "v1 · localant / claude-haiku-4-5",
    ]
    errors = [c for c in data["cells"] if c["status"] != "ok"]
    assert errors == [], [(c["error"], c["duration_ms"]) for c in errors]
    assert [c["passed"] for c in columns] == PASSED
    assert [c["cells"] for c in columns] == [20, 20, 20]
    assert [c["pass_rate"] for c in columns] == [0.3, 0.0, 0.5]
    # Every call is in History under the run's id, and the costs add up to what History recorded.
    listed = json.loads(cli("history", "--json", "--limit", "100").stdout)
    assert len(listed) == 60
    for column, label in zip(columns, ("gpt-4o", "gpt-4o-mini", "claude-haiku-4-5"), strict=True):
        recorded = sum(Decimal(r["cost_usd"]) for r in listed if r["model"] == label)
        assert Decimal(column["cost_usd"]) == recorded > 0
    assert Decimal(columns[0]["cost_per_pass_usd"]) == Decimal(columns[0]["cost_usd"]) / 6
    assert columns[1]["cost_per_pass_usd"] is None  # nothing passed: no cost per pass, never $0
    cells = data["cells"]
    assert len(cells) == 60 and len({c["call_id"] for c in cells}) == 60
    failed = next(c for c in cells if c["column"] == 1)
    assert any("sorry" in check["detail"] for check in failed["checks"] if not check["passed"])
    root = ET.parse(junit).getroot()
    suites = root.findall("testsuite")
    assert [int(s.get("tests")) for s in suites] == [20, 20, 20]
    assert [int(s.get("failures")) for s in suites] == [20 - p for p in PASSED]
    sent = servers[0].received[0].body
    assert sent["messages"][0] == {"role": "system", "content": "Answer with the city only."}
    assert sent["max_tokens"] == 50


def test_the_table_and_the_pass_rate_threshold(servers):
    out = cli("eval", str(SUITE), "--min-pass-rate", "0.25")
    assert out.returncode == 1  # gpt-4o-mini passed 0%
    assert "below --min-pass-rate 25%" in out.stderr
    lines = out.stdout.splitlines()
    assert lines[1].split()[:3] == ["column", "passed", "pass", "rate"][:3]
    row = next(line for line in lines if "gpt-4o-mini" in line)
    assert "0/20" in row and "unknown (no passing case)" in row


def test_a_bad_suite_is_refused_before_anything_is_sent(servers, tmp_path):
    (tmp_path / "cases.csv").write_text("name,expected\na,Paris\n")  # no country column
    suite = SUITE.read_text().replace('cases_file = "capitals.csv"', 'cases_file = "cases.csv"')
    suite += '\n[[checks]]\ntype = "regex"\nvalue = "(unclosed"\n'
    (tmp_path / "bad.toml").write_text(suite)
    out = cli("eval", str(tmp_path / "bad.toml"))
    assert out.returncode == 2
    line = one_error_line(out.stderr)
    assert "case 1 (a): no value for country" in line and "invalid regex" in line
    assert servers[0].received == [] and servers[1].received == []


def test_resume_after_a_kill_sends_only_the_unfinished_cells(servers, isolated_home):
    openai_server, anthropic_server = servers
    openai_server.answer_per_model(ANSWERS, token_delay=0.08)
    anthropic_server.answer_per_model({"claude-haiku-4-5": CLAUDE}, token_delay=0.08)
    proc = popen("eval", str(SUITE), "--parallel", "2", "--per-endpoint", "1")
    db = isolated_home / "history.db"
    deadline = time.monotonic() + 40
    finished = 0
    while time.monotonic() < deadline and finished < 8:
        time.sleep(0.1)
        finished = _count(db, "select count(*) from eval_cells")
    assert finished >= 8, proc.stderr.read() if proc.poll() is not None else "too slow"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    run_id = _one(db, "select id from eval_runs")
    kept = _count(db, "select count(*) from eval_cells")
    assert 8 <= kept < 60
    # the killed process's last request may still be unread in a socket (CI counted it after the kill)
    assert openai_server.wait_idle() and anthropic_server.wait_idle()
    marks = (len(openai_server.received), len(anthropic_server.received))
    out = cli("eval", str(SUITE), "--resume", run_id, "--json")
    assert out.returncode == 0, out.stderr
    # each unfinished cell asked once, a finished one never again (CI once counted 53 requests for 52
    # cells: one sent twice, as a kill's late request or a resend on a closed connection does)
    assert len(asked_since(servers, marks)) == 60 - kept
    data = json.loads(out.stdout)
    assert data["run_id"] == run_id and data["resumed_cells"] == kept
    assert [c["passed"] for c in data["columns"]] == PASSED


def test_resume_refuses_an_unknown_run(servers):
    out = cli("eval", str(SUITE), "--resume", "nosuchrun")
    assert out.returncode == 2 and "no evaluation run 'nosuchrun'" in one_error_line(out.stderr)


def test_sigterm_stops_the_run_prints_what_finished_and_how_to_resume(servers, isolated_home):
    openai_server, anthropic_server = servers
    openai_server.answer_per_model(ANSWERS, token_delay=0.08)
    anthropic_server.answer_per_model({"claude-haiku-4-5": CLAUDE}, token_delay=0.08)
    proc = popen("eval", str(SUITE), "--parallel", "2", "--json")
    db = isolated_home / "history.db"
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline and _count(db, "select count(*) from eval_cells") < 4:
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 128 + signal.SIGTERM, stderr
    data = json.loads(stdout)
    assert data["cancelled"] is True and 4 <= len(data["cells"]) < 60
    assert f"continue with --resume {data['run_id']}" in stderr.decode()
    assert _count(db, "select count(*) from eval_cells") == len(data["cells"])
    assert _one(db, "select status from eval_runs") == "cancelled"


def _count(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0


def _one(db: Path, sql: str) -> str:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
        return str(conn.execute(sql).fetchone()[0])


def test_an_unknown_endpoint_is_named_once_and_nothing_is_sent_or_recorded(servers, tmp_path):
    suite = SUITE.read_text().replace('endpoint = "localant"', 'endpoint = "nowhere"')
    assert "nowhere" in suite
    (tmp_path / "capitals.csv").write_text((DATA / "capitals.csv").read_text())
    (tmp_path / "elsewhere.toml").write_text(suite)
    out = cli("eval", str(tmp_path / "elsewhere.toml"))
    assert out.returncode == 2
    line = one_error_line(out.stderr)
    assert "no endpoint named 'nowhere'" in line and "nothing was sent" in line
    assert servers[0].received == [] and servers[1].received == []
    assert json.loads(cli("history", "--json").stdout) == []


def test_a_rubric_graded_by_the_model_given_with_grader(servers, tmp_path):
    servers[0].answer_per_model(
        {"gpt-4o-mini": "Paris", "gpt-4o": '{"pass": true, "reason": "a capital city"}'}
    )
    (tmp_path / "r.toml").write_text(
        'name = "r"\nprompt = "Name a capital"\n[[targets]]\nendpoint = "local"\nmodel = "gpt-4o-mini"\n'
        '[[cases]]\n[[checks]]\ntype = "rubric"\nvalue = "Names a capital city"\n'
    )
    refused = cli("eval", str(tmp_path / "r.toml"))
    assert refused.returncode == 2 and "a rubric check needs a grader model" in refused.stderr
    assert servers[0].received == []
    out = cli("eval", str(tmp_path / "r.toml"), "--grader", "local/gpt-4o", "--json")
    assert out.returncode == 0, out.stderr
    (cell,) = json.loads(out.stdout)["cells"]
    assert cell["passed"] and cell["checks"][0]["check"] == "rubric (model-judged): Names a capital city"
    assert [r.body["model"] for r in servers[0].received if r.method == "POST"] == ["gpt-4o-mini", "gpt-4o"]
