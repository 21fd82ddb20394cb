"""The quick commands load only what they need: `--help`, `cost` and `count` (an OpenAI model) answer
without importing an SDK, numpy, Qt or the keyring (each costs 50-450 ms of a one-line answer)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.playground.cli.cli_proc import ROOT, loaded

HEAVY = ("openai", "anthropic", "numpy", "pandas", "PySide6", "keyring", "pyqtgraph")


@pytest.mark.parametrize(
    ("args", "shows"),
    [
        (("--help",), "send a prompt and stream the answer"),
        (("cost", "-m", "gpt-4o", "--input", "1000", "--output", "500"), "$0.0075"),
        (("count", "-m", "gpt-4o", "hello world"), "9 input tokens [tiktoken o200k_base]"),  # 2 + framing
    ],
)
def test_quick_commands_import_no_sdk_numpy_qt_or_keyring(tmp_path, args, shows):
    out, modules = loaded(tmp_path, *args)
    assert shows in out  # the command did its work (gpt-4o: $2.50 / $10 per million tokens)
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert heavy == []


def test_run_still_imports_its_sdk_and_numpy_stays_importable(tmp_path):
    """The hiding is for sqlite-utils' optional imports only: numpy imports normally afterwards."""
    code = (
        "import sys\nfrom playground.cli.entry import main\n"
        "main(['cost', '-m', 'gpt-4o', '--input', '1', '--output', '1'])\n"
        "import numpy\nprint('numpy', numpy.__name__)\n"
    )
    env = {**os.environ, "PLAYGROUND_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "numpy numpy" in done.stdout


def test_quick_commands_read_the_saved_configuration_without_sqlite_utils(tmp_path):
    """An endpoint and a price set through the normal CLI are honoured by `cost` and `count`, which
    read them with the stdlib sqlite3 (sqlite-utils brings click, pluggy and dateutil: ~90 ms)."""
    for args in (
        ("endpoints", "add", "lab", "--base-url", "http://127.0.0.1:9/v1"),
        ("prices", "set", "lab", "lab-model", "--input", "2", "--output", "4"),
    ):
        loaded(tmp_path, *args)
    out, modules = loaded(
        tmp_path, "cost", "-m", "lab-model", "--endpoint", "lab", "--input", "1000000", "--output", "500000"
    )
    assert "$4.00 (input $2.00, output $2.00) [override (lab/lab-model): 2/4 per MTok]" in out
    out_count, count_modules = loaded(
        tmp_path, "count", "-m", "lab-model", "--endpoint", "lab", "hello world"
    )
    assert "[override (lab/lab-model): 2/4 per MTok]" in out_count
    assert not {"sqlite_utils", "click", "pluggy", "dateutil"} & (modules | count_modules)


def test_cost_reads_a_history_a_writer_holds_open(tmp_path):
    """The app writing its history at the same moment (an open write transaction) does not stop `cost`."""
    loaded(tmp_path, "prices", "set", "openai", "gpt-4o", "--input", "1", "--output", "1")
    import sqlite3

    writer = sqlite3.connect(tmp_path / "home" / "history.db")
    writer.execute("begin immediate")
    writer.execute("insert into endpoints (name, api, base_url) values ('mid', 'openai', 'http://x/v1')")
    try:
        out, _ = loaded(tmp_path, "cost", "-m", "gpt-4o", "--input", "1000000", "--output", "0")
    finally:
        writer.rollback()
        writer.close()
    assert "[override (openai/gpt-4o): 1/1 per MTok]" in out
