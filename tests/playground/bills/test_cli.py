"""`playground bills` in its own process, against the admin test servers and the sample CSVs."""

from __future__ import annotations

from pathlib import Path

from tests.playground.cli.cli_proc import cli, one_error_line

DATA = Path(__file__).parents[2] / "data" / "bills"
RANGE = ("--from", "2026-11-01", "--to", "2026-11-07")


def test_import_then_show_prints_billed_recorded_and_the_difference(history, openai_admin):
    env = {"OPENAI_ADMIN_KEY": openai_admin.admin_key}
    done = cli(
        "bills", "import", "--provider", "openai", *RANGE, "--base-url", openai_admin.api_base, env=env
    )
    assert done.returncode == 0, done.stderr
    assert "Imported OpenAI 2026-11-01 to 2026-11-07: 6 pages." in done.stdout
    assert "costs stored through 2026-11-03" in done.stderr
    shown = cli("bills", "show", *RANGE)
    assert shown.returncode == 0, shown.stderr
    lines = {line.split()[0] + " " + line.split()[2]: line for line in shown.stdout.splitlines()[1:-1]}
    assert lines["2026-11-02 gpt-4o-mini"].split()[3:6] == ["$2.25", "$1.00", "+$1.25"]
    assert "calls made elsewhere" in lines["2026-11-03 gpt-4o"]
    assert "unknown" in lines["2026-11-02 claude-sonnet-4"]  # Anthropic's bill was not imported
    assert shown.stdout.rstrip().endswith("Days are UTC days, as the providers bill them.")
    by_model = cli("bills", "show", *RANGE, "--by", "model")
    mini = next(line for line in by_model.stdout.splitlines() if "gpt-4o-mini" in line)
    assert mini.split()[2:5] == ["$4.15", "$2.80", "+$1.35"]


def test_a_wrong_key_is_one_clear_line_without_the_key(openai_admin):
    env = {"OPENAI_ADMIN_KEY": "sk-proj-ordinary-key-1234567890"}
    done = cli(
        "bills", "import", "--provider", "openai", *RANGE, "--base-url", openai_admin.api_base, env=env
    )
    assert done.returncode == 1
    line = one_error_line(done.stderr)
    assert "not an admin key" in line and "ordinary" not in line


def test_import_csv_and_a_bad_file(history):
    done = cli("bills", "import-csv", str(DATA / "anthropic_cost.csv"))
    assert done.returncode == 0, done.stderr
    assert "Imported 3 rows (anthropic), 2026-11-02 to 2026-11-04, $4.45 in all." in done.stdout
    bad = cli("bills", "import-csv", str(DATA / "bad_cost.csv"))
    assert bad.returncode == 1
    assert "Line 3: cost 'twelve' is not a number" in one_error_line(bad.stderr)
    shown = cli("bills", "show", *RANGE)
    assert "gpt-4o-mini" in shown.stdout and "$0.50" not in shown.stdout  # nothing of the bad file


def test_a_bad_date_is_one_line():
    done = cli("bills", "show", "--from", "November")
    assert "--from must be a date" in one_error_line(done.stderr)
