"""The Plan page under hostile input: absurd numbers get one line and the last plan stays; a failed
export keeps the file that was there; odd saved names are refused before any file is touched."""

from __future__ import annotations

import subprocess
import sys

import pytest

from playground.plan import export
from tests.ui.plan.conftest import WAIT
from tests.ui.plan.test_plan_page import choose


@pytest.mark.parametrize(
    ("box", "text", "said"),
    [
        ("input_tokens", "1e999999999", "Input tokens, typical (p50) must be at most 1,000,000,000"),
        ("requests", "1e400", "Requests must be at most 1,000,000,000,000"),
        ("retry_rate", "1e400", "Retry rate must be at most 10,000 %"),
    ],
)
def test_an_absurd_number_is_refused_in_one_line_and_the_last_plan_stays(qtbot, page, box, text, said):
    choose(qtbot, page, "gpt-4o-mini")
    shown = page.data
    if box == "requests":
        edit = page.form.requests
    elif box in page.form.sizes:
        edit = page.form.sizes[box][0]
    else:
        edit = page.form.shares[box]
    edit.setText(text)
    page.recompute()
    assert said in page.status.text()
    assert page.data is shown and page.table.column_texts("Monthly")["openai/gpt-4o-mini"] == "$9.90"


def test_an_export_onto_a_full_disk_keeps_the_old_file_and_says_why(qtbot, page, answers, tmp_path):
    """A real full disk: the export runs in a process whose file-size limit is below the plan's size."""
    choose(qtbot, page, "gpt-4o-mini,claude-sonnet-4-5")
    (folder := tmp_path / "out").mkdir()
    target = folder / "plan.md"
    target.write_text("the previous plan\n", encoding="utf-8")
    script = (
        "import resource, sys; from pathlib import Path; from playground.files import write_whole\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))  # Python ignores SIGXFSZ: EFBIG\n"
        "try:\n    write_whole(Path(sys.argv[1]), sys.stdin.read())\n"
        "except OSError as exc:\n    print(exc.strerror)\n"
    )
    text = export.to_markdown(page.data)
    assert len(text.encode()) > 64
    done = subprocess.run(
        [sys.executable, "-c", script, str(target)], input=text, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "File too large" and done.stderr == ""
    assert target.read_text(encoding="utf-8") == "the previous plan\n"
    assert [p.name for p in folder.iterdir()] == ["plan.md"]


def test_an_export_into_a_folder_that_cannot_be_made_says_so_in_one_line(qtbot, page, answers, tmp_path):
    choose(qtbot, page, "gpt-4o-mini")
    (blocker := tmp_path / "a file").write_text("x")
    answers["paths"].append(blocker / "plan.csv")  # its "folder" is a file
    page.export_buttons["CSV"].click()
    qtbot.waitUntil(lambda: "Not exported" in page.status.text(), timeout=WAIT)
    assert page.status.text() == f"Not exported to {blocker / 'plan.csv'}: Not a directory"
