"""Two processes in two zones: the app's start counts days in its zone, a command run under another TZ
reports in that stored zone (and says so) without recounting the rollups under the app."""

import os
import subprocess
import sys
from pathlib import Path

from playground.history.localtime import BUILT_WITH
from playground.history.storage import connect

APP_START = """
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from playground.core import build_core
from playground.history.calls import CallEnd, CallStart
from playground.llm.request import Request

core = build_core(Path(sys.argv[1]), keyring_backend=None)
if len(sys.argv) > 2:  # 2026-03-01 20:00 UTC: March 1 in Paris, March 2 in Tokyo
    call = core.history.start_call(CallStart(Request.single("e", "m", "p"), "openai", None, {},
        started_at=datetime(2026, 3, 1, 20, tzinfo=UTC)))
    core.history.finish_call(call, CallEnd("ok", cost_usd=Decimal("1.25"), duration_ms=800))
core.close()
"""


def run(home: Path, tz: str, *args: str) -> str:
    env = {**os.environ, "TZ": tz, "PLAYGROUND_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout


def stored(home: Path) -> tuple[str, list[str]]:
    db = connect(home / "history.db")
    try:
        zone = db.execute("select value from settings where key = ?", [BUILT_WITH]).fetchone()[0]
        return zone, [r[0] for r in db.execute("select day from daily_stats order by day")]
    finally:
        db.conn.close()


def test_a_command_under_another_tz_reports_in_the_stored_zone_and_recounts_nothing(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    run(home, "Europe/Paris", "-c", APP_START, str(home), "record")
    assert stored(home) == ("Europe/Paris", ["2026-03-01"])
    out = run(home, "Asia/Tokyo", "-m", "playground", "spend", "--by", "day")
    assert "Europe/Paris" in out and "2026-03-01" in out and "$1.25" in out
    assert stored(home) == ("Europe/Paris", ["2026-03-01"])  # not recounted into Tokyo's days
    run(home, "Asia/Tokyo", "-c", APP_START, str(home))  # the app started in Tokyo follows its zone
    assert stored(home) == ("Asia/Tokyo", ["2026-03-02"])
    out = run(home, "Europe/Paris", "-m", "playground", "spend", "--by", "day")
    assert "Asia/Tokyo" in out and "2026-03-02" in out
    assert stored(home) == ("Asia/Tokyo", ["2026-03-02"])
