"""A killed `playground run` keeps the answer up to about a second before the kill (real process, SIGKILL)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from playground.core import build_core
from tests.servers.base import Script

ROOT = Path(__file__).resolve().parents[3]
WORDS = " ".join(f"w{i}" for i in range(600))
SAVE_EVERY_S = 1.0
MARGIN_S = 0.2  # the writer's commit and the local hop


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_kill_9_loses_at_most_the_last_second(openai_server, isolated_home, memory_keyring, encodings):
    openai_server.api_key = None
    openai_server.push(Script(text=WORDS, token_delay=0.05))
    proc = _start_run(openai_server)
    samples: list[tuple[float, int]] = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            samples.append((time.monotonic(), openai_server.text_chunks_sent))
            if samples[-1][1] and samples[-1][0] - _first_text(samples) >= 2.5:
                break
            time.sleep(0.02)
        killed_at = time.monotonic()
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    sent_before = max(n for t, n in samples if t <= killed_at - SAVE_EVERY_S - MARGIN_S)
    assert sent_before >= 10  # the stream had been running for a while

    core = build_core(isolated_home, keyring_backend=memory_keyring, environ={}, encodings=encodings)
    try:
        (row,) = core.history.recent(5)
        saved = row.output
        assert row.status == "interrupted"
        assert WORDS.startswith(saved)
        assert len(saved.split()) >= sent_before
        # Reopening priced it: output counted from the saved text, everything marked as an estimate.
        assert row.output_tokens == core.counter.count_text("gpt-4o-mini", saved).tokens
        assert row.input_tokens > 0 and row.input_estimated and row.output_estimated
        assert row.cost_estimated and row.cost_usd > 0
        assert "openai/gpt-4o-mini" in row.price_source
        (spent,) = core.reports.totals()  # the daily totals count it as priced, not unknown
        assert spent.cost.unpriced == 0 and spent.output_tokens == row.output_tokens
    finally:
        core.close()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_kill_9_after_the_server_went_silent_keeps_what_arrived(
    openai_server, isolated_home, memory_keyring, encodings
):
    """The in-process read blocks while the server is silent; the text before the silence is saved anyway."""
    openai_server.api_key = None
    openai_server.push(Script(text=WORDS, silent_after=40))
    proc = _start_run(openai_server)
    try:
        deadline = time.monotonic() + 60
        while openai_server.text_chunks_sent < 40 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert openai_server.text_chunks_sent == 40
        time.sleep(SAVE_EVERY_S + MARGIN_S + 0.5)  # silence: no byte arrives, yet the saver should have run
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()

    core = build_core(isolated_home, keyring_backend=memory_keyring, environ={}, encodings=encodings)
    try:
        (row,) = core.history.recent(5)
        assert row.status == "interrupted"
        assert row.output.split() == WORDS.split()[:40]
    finally:
        core.close()


def _start_run(server) -> subprocess.Popen:
    args = ["run", "-m", "gpt-4o-mini", "--base-url", server.base_url, "--price-as", "openai", "Hi"]
    return subprocess.Popen(
        [sys.executable, "-m", "playground", *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ),
    )


def _first_text(samples: list[tuple[float, int]]) -> float:
    return next(t for t, n in samples if n)
