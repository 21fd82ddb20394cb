"""History filters and `export`/`history --since/--until` mean the user's local days, not UTC days."""

import json
from datetime import UTC, datetime

import pytest

from playground.cli.entry import main
from playground.history.calls import CallEnd, CallStart
from playground.history.filters import Filters
from playground.llm.request import Request

# 2026-03-01 11:00Z is March 2, 01:00 in Kiritimati (UTC+14) and still March 1 everywhere west of it.
# 2026-03-02 05:00Z is March 1, 21:00 in Los Angeles (UTC-8) and March 2 in UTC.
CALLS = {"a": datetime(2026, 3, 1, 11, tzinfo=UTC), "b": datetime(2026, 3, 2, 5, tzinfo=UTC)}


@pytest.fixture
def calls(core):
    for prompt, when in CALLS.items():
        call = core.history.start_call(
            CallStart(Request.single("e", "m", prompt), "openai", None, {}, started_at=when)
        )
        core.history.finish_call(call, CallEnd("ok"))
    return core


@pytest.mark.parametrize(
    ("zone", "march_1", "march_2"),
    [
        ("Pacific/Kiritimati", [], ["a", "b"]),
        ("America/Los_Angeles", ["a", "b"], []),
        ("UTC", ["a"], ["b"]),
    ],
)
def test_a_day_filter_selects_the_calls_of_that_local_day(calls, zone, march_1, march_2):
    def prompts(day: str) -> list[str]:
        rows = calls.history.page(Filters(since=day, until=day, zone=zone))
        return sorted(r.prompt for r in rows)

    assert prompts("2026-03-01") == march_1
    assert prompts("2026-03-02") == march_2


@pytest.mark.parametrize(
    ("zone", "since", "until", "expected"),
    [
        ("Pacific/Kiritimati", "2026-03-02", None, ["a", "b"]),
        ("America/Los_Angeles", "2026-03-02", None, []),
        ("America/Los_Angeles", None, "2026-03-01", ["a", "b"]),
        ("Pacific/Kiritimati", None, "2026-03-01", []),
    ],
)
def test_export_and_history_use_the_zone_of_the_settings(calls, capsys, zone, since, until, expected):
    calls.reports.clock.set_zone(zone)
    days = [*(["--since", since] if since else []), *(["--until", until] if until else [])]
    assert main(["export", *days]) == 0
    exported = json.loads(capsys.readouterr().out)["calls"]
    assert sorted(c["messages"][0]["content"] for c in exported) == expected
    assert main(["history", "--json", *days]) == 0
    assert sorted(r["prompt"] for r in json.loads(capsys.readouterr().out)) == expected


def test_a_bad_day_is_refused_in_one_line(core, capsys):
    assert main(["export", "--until", "March 1"]) == 1
    assert "--until must be a date like 2026-01-31" in capsys.readouterr().err


def test_history_shows_local_times_beside_local_day_filters(calls, capsys):
    """Call a at 11:00Z shows as 01:00 on March 2 in Kiritimati, the day its filter puts it on."""
    calls.reports.clock.set_zone("Pacific/Kiritimati")
    assert main(["history", "--since", "2026-03-02", "--until", "2026-03-02"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any("2026-03-02 01:00:00" in line for line in lines)
    assert not any("2026-03-01 11:00:00" in line for line in lines)
