"""Bad input, bugs, closed pipes, signals and an unusable data folder: one line, never a traceback."""

import json
import os
import signal
import sqlite3
import time
from decimal import Decimal

import pytest

from playground.cli import commands
from playground.cli.entry import main
from playground.history.calls import HistoryStore
from tests.playground.cli.cli_proc import cli, one_error_line, popen
from tests.servers.base import Script


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["run", "-m", "gpt-4o", "--base-url", "http://127.0.0.1:9/v1", "-o", "temperature=nan", "Hi"],
            "finite",
        ),
        (["run", "-m", "gpt-4o", "--base-url", "http://127.0.0.1:9/v1", "-o", "top_p=-inf", "Hi"], "finite"),
        (["run", "-m", "gpt-4o", "--base-url", "http://[::1", "Hi"], "not a valid URL"),
        (["run", "-m", "gpt-4o", "--base-url", "localhost:8080", "Hi"], "http:// or https://"),
        (["endpoints", "add", "x", "--base-url", "http://[::1"], "not a valid URL"),
        (["endpoints", "add", "x", "--base-url", "http://local host:8000/v1"], "no spaces"),
        (["endpoints", "add", "x", "--base-url", "http://localhost:99999/v1"], "check the port"),
        (["cost", "-m", "no-such-model-anywhere", "--input", "5", "--output", "5"], "price unknown"),
        (["budget", "--daily", "nan"], "--daily must be a finite amount"),
        (["prices", "set", "openai", "gpt-4o", "--input", "inf"], "--input must be a finite amount"),
        (["history", "--limit", "-1"], "--limit must be between 1"),
        (["history", "--limit", str(10**20)], "--limit must be between 1"),
        (["export", "-o", "/no-such-folder/calls.csv"], "cannot write /no-such-folder/calls.csv"),
        (["import", "."], "is a folder"),
        (["import", "no-such-file.json"], "no such file"),
    ],
)
def test_bad_input_is_one_line(args, expected):
    out = cli(*args)
    assert out.returncode != 0
    assert expected in one_error_line(out.stderr)


def test_out_of_range_parameter_is_refused_before_sending(openai_server):
    out = cli("run", "-m", "gpt-4o", "--base-url", openai_server.base_url, "-o", "temperature=7", "Hi")
    assert out.returncode == 1 and "temperature must be at most 2" in one_error_line(out.stderr)
    assert openai_server.received == []


def test_a_prompt_that_is_not_utf8_names_its_file(tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("café".encode("latin-1"))
    for command in (["count", "-m", "gpt-4o"], ["run", "-m", "gpt-4o", "--base-url", "http://127.0.0.1:9"]):
        out = cli(*command, "-f", str(bad))
        assert out.returncode == 1 and f"{bad} is not UTF-8" in one_error_line(out.stderr)
    piped = cli("run", "-m", "gpt-4o", "--base-url", "http://127.0.0.1:9", "-", stdin=b"caf\xe9")
    assert piped.returncode == 1 and "standard input is not UTF-8" in one_error_line(piped.stderr)


def test_a_bug_is_one_line_with_the_traceback_in_the_log_and_with_debug(monkeypatch, capsys, isolated_home):
    def broken(core, args):
        raise RuntimeError("something we did not expect")

    monkeypatch.setitem(commands.COMMANDS, "history", broken)
    assert main(["history"]) == 1
    err = capsys.readouterr().err
    assert "run with --debug" in one_error_line(err) and "something we did not expect" in err
    log = (isolated_home / "playground.log").read_text()
    assert "Traceback" in log and "RuntimeError: something we did not expect" in log
    assert main(["history", "--debug"]) == 1
    assert "Traceback" in capsys.readouterr().err


def test_run_reports_a_failed_history_write_in_one_line(openai_server, monkeypatch, capsys):
    """It used to end in an IndexError traceback: the worker died and left no result behind."""
    openai_server.api_key = None

    def locked(self, call_id, end):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(HistoryStore, "finish_call", locked)
    code = main(["run", "-m", "gpt-4o", "--base-url", openai_server.base_url, "Hi"])
    captured = capsys.readouterr()
    assert code == 1 and "history database is busy" in one_error_line(captured.err)
    assert captured.out.startswith("Hello from the local test server.")  # what arrived was shown


def test_history_into_a_closed_pipe_exits_quietly(core):
    from playground.history.calls import CallEnd, CallStart
    from playground.llm.request import Request

    for i in range(60):
        call = core.history.start_call(
            CallStart(Request.single("openai", "gpt-4o", f"q{i}"), "openai", None, {})
        )
        core.history.finish_call(call, CallEnd("ok", output="word " * 1000))
    core.close()
    proc = popen("history", "--json", "--limit", "100")
    assert proc.stdout.read(10)  # a reader that wants one line, then goes away (`| head -1`)
    proc.stdout.close()
    assert proc.wait(timeout=30) != 0
    err = proc.stderr.read().decode()
    assert err == "", err


STREAM = Script(text=" ".join(f"w{i}" for i in range(400)), token_delay=0.02, prompt_tokens=5)


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)])
def test_a_signal_stops_the_stream_and_keeps_what_arrived(openai_server, sig, code):
    openai_server.api_key = None
    openai_server.push(STREAM)
    proc = popen("run", "-m", "gpt-4o", "--base-url", openai_server.base_url, "--price-as", "openai", "Go")
    seen = b""
    deadline = time.monotonic() + 30
    while seen.count(b" ") < 20 and time.monotonic() < deadline:
        seen += os.read(proc.stdout.fileno(), 4096)
    proc.send_signal(sig)
    rest, err = proc.communicate(timeout=30)
    printed = (seen + rest).decode()
    assert proc.returncode == code, err
    assert "Traceback" not in err.decode() and "partial answer is kept" in err.decode()
    assert 20 <= len(printed.split()) < 400  # stopped early, and the text shown
    (row,) = json.loads(cli("history", "--json").stdout)
    assert row["status"] == "cancelled" and row["output"] == printed.rstrip("\n")
    assert row["output_tokens"] >= 20 and row["cost_usd"] is not None  # what arrived is counted and priced
    assert row["output_estimated"] and row["cost_estimated"]  # and marked as our estimate


@pytest.fixture
def blocked_home(tmp_path):
    """A data folder that cannot exist: its parent is a regular file."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    return {"PLAYGROUND_HOME": str(blocker / "data")}


def test_cost_and_count_work_without_a_usable_data_folder(blocked_home):
    cost = cli("cost", "-m", "gpt-4o", "--input", "1000000", "--output", "0", "--json", env=blocked_home)
    assert cost.returncode == 0 and Decimal(json.loads(cost.stdout)["cost_usd"]) == Decimal("2.5")
    count = cli("count", "-m", "gpt-4o", "--json", "Hello world", env=blocked_home)
    assert count.returncode == 0 and json.loads(count.stdout)["input_tokens"] == 9
    assert "Traceback" not in cost.stderr + count.stderr


def test_cost_works_on_a_corrupt_history_and_keeps_it_aside_as_before(tmp_path):
    """The read-only reading cannot read it, so the full storage opens it: kept aside, said once."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "history.db").write_bytes(b"not a database " * 400)
    out = cli(
        "cost", "-m", "gpt-4o", "--input", "1000000", "--output", "0", env={"PLAYGROUND_HOME": str(home)}
    )
    assert out.returncode == 0 and out.stdout.startswith("$2.50 ")
    assert "could not be read" in out.stderr and "Traceback" not in out.stderr
    assert [p.name for p in home.glob("history.db.damaged-*")]


@pytest.mark.parametrize("args", [["history"], ["spend"], ["run", "-m", "gpt-4o", "Hi"]])
def test_commands_that_need_history_name_the_unusable_folder(blocked_home, args):
    out = cli(*args, env=blocked_home)
    line = one_error_line(out.stderr)
    assert out.returncode == 1
    assert blocked_home["PLAYGROUND_HOME"] in line and "Not a directory" in line


def test_run_into_a_closed_pipe_stops_the_call_quietly(openai_server):
    openai_server.api_key = None
    openai_server.push(STREAM)
    proc = popen("run", "-m", "gpt-4o", "--base-url", openai_server.base_url, "Go")
    assert proc.stdout.read(5)  # `playground run ... | head -c 5`
    proc.stdout.close()
    assert proc.wait(timeout=30) != 0
    assert proc.stderr.read().decode() == ""
    (row,) = json.loads(cli("history", "--json").stdout)
    assert row["status"] == "cancelled" and 0 < len(row["output"].split()) < 400
