"""`playground --smoke` with PLAYGROUND_SMOKE=modes (what the installer runs from the bundle): every
mode opens and Spend draws the calls recorded before it, with their price."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ui.actions import MODES

ROOT = Path(__file__).resolve().parents[2]


def record_call(home: Path) -> dict:
    """One real call through the CLI against the local OpenAI wire-protocol server."""
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.servers.serve", "openai", "--tokens", "5"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = server.stdout.readline().strip() if server.stdout else ""
        command = ["run", "--json", "-m", "gpt-4o-mini", "--base-url", url, "--api", "openai"]
        out = subprocess.run(
            [sys.executable, "-m", "playground", *command, "--price-as", "openai", "Say hi"],
            cwd=ROOT,
            env={**os.environ, "PLAYGROUND_HOME": str(home)},
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.communicate("")
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout)


@pytest.mark.slow
def test_smoke_modes_opens_every_mode_and_spend_draws_the_recorded_call(tmp_path):
    call = record_call(tmp_path)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PLAYGROUND_HOME": str(tmp_path),
        "PLAYGROUND_SMOKE": "modes",
    }
    out = subprocess.run(
        [sys.executable, "-m", "ui.launcher", "--smoke"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stdout + out.stderr[-2000:]
    lines = out.stdout.splitlines()
    assert [x.removeprefix("SMOKE MODE ") for x in lines if x.startswith("SMOKE MODE ")] == [
        name for name, _ in MODES
    ]
    spend = next(x for x in lines if x.startswith("SMOKE SPEND "))
    assert f"calls=1 priced={call['cost_usd']} unpriced=0 bars=1" in spend
