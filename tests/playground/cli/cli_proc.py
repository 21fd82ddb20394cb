"""The real `playground` command in its own process, as a user runs it (shared by the CLI tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
COMMAND = [sys.executable, "-m", "playground"]


def cli(*args: str, stdin: str | bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COMMAND, *args],
        capture_output=True,
        text=not isinstance(stdin, bytes),
        input=stdin,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def popen(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [*COMMAND, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )


def one_error_line(stderr: str | bytes) -> str:
    """The single line a failing command printed; fails the test on a traceback or extra lines."""
    text = stderr.decode() if isinstance(stderr, bytes) else stderr
    assert "Traceback" not in text, text
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert lines[0].startswith("playground: error: "), text
    return lines[0]


# The installed `playground` command (ui/launcher.py), then what it left in sys.modules.
PROBE = """
import sys
from ui.launcher import main
sys.argv = ["playground", *sys.argv[1:]]
try:
    code = main()
except SystemExit as exc:
    code = exc.code
print("EXIT", code)
print("MODULES", " ".join(sorted(sys.modules)))
"""


def loaded(tmp_path: Path, *args: str) -> tuple[str, set[str]]:
    env = {**os.environ, "PLAYGROUND_HOME": str(tmp_path / "home")}
    env.pop("OPENAI_API_KEY", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60
    )
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-2] == "EXIT 0", done.stdout + done.stderr
    return "\n".join(lines[:-2]), set(lines[-1].split()[1:])
