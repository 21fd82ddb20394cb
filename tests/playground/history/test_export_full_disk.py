"""An export onto a disk that fills up (a real file-size limit on a real process): one clear line, and
neither the target nor a partial file is left behind; an older file of the same name stays as it was."""

from __future__ import annotations

import resource
import subprocess
import sys

import pytest

from tests.playground.cli.cli_proc import COMMAND, ROOT, one_error_line

LIMIT = 64 * 1024  # bytes: the "disk" holds less than the export


def limited(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))  # Python ignores SIGXFSZ: EFBIG

    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
                          preexec_fn=small_disk)  # fmt: skip


@pytest.fixture
def big_history(isolated_home):
    isolated_home.mkdir(parents=True, exist_ok=True)
    made = subprocess.run(
        [sys.executable, "-m", "bench.gen_history", "--calls", "2000", str(isolated_home / "history.db")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    import os

    return {**os.environ, "PLAYGROUND_HOME": str(isolated_home)}


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_cli_export_onto_a_full_disk_leaves_the_old_file(big_history, tmp_path, fmt):
    (out := tmp_path / "out").mkdir()
    target = out / f"calls.{fmt}"
    target.write_text("the previous export\n")
    done = limited([*COMMAND, "export", "--format", fmt, "-o", str(target)], big_history)
    assert done.returncode == 1
    assert "File too large" in one_error_line(done.stderr)
    assert target.read_text() == "the previous export\n"
    assert [p.name for p in out.iterdir()] == [target.name]


def test_the_windows_export_onto_a_full_disk_leaves_no_partial_file(big_history, tmp_path):
    (out := tmp_path / "out").mkdir()
    target = out / "calls.json"
    script = (
        "import sys; from pathlib import Path; from playground.core import build_core; "
        "from playground.history.filters import Filters\n"
        "from playground.history.transfer import export_file\n"
        "core = build_core(Path(sys.argv[1]))\n"
        "try:\n    export_file(core.storage, Filters(), Path(sys.argv[2]), False)\n"
        "except OSError as exc:\n    print('failed:', exc.strerror)\n"
        "core.close()\n"
    )
    done = limited([sys.executable, "-c", script, big_history["PLAYGROUND_HOME"], str(target)], big_history)
    assert "failed: File too large" in done.stdout, done.stderr
    assert list(out.iterdir()) == []
