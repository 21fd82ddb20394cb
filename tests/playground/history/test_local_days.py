"""Days are the user's local days: a call at 2026-03-01T12:00Z is on March 2 in Kiritimati (UTC+14)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from playground.cli.entry import main
from playground.history.calls import CallEnd, CallStart
from playground.history.localtime import BUILT_WITH, LocalTime, day_bounds, day_function
from playground.llm.errors import PlaygroundError
from playground.llm.request import Request
from playground.pricing.money import Money
from playground.spend.reports import Reports

NOON_UTC = datetime(2026, 3, 1, 12, tzinfo=UTC)
EARLY_UTC = datetime(2026, 3, 1, 5, tzinfo=UTC)  # still February 28 in Los Angeles


def record(core, when: datetime, cost: str = "1.25", ms: float = 800.0) -> int:
    call = core.history.start_call(
        CallStart(Request.single("e", "m", "p"), "openai", None, {}, started_at=when)
    )
    core.history.finish_call(call, CallEnd("ok", cost_usd=Decimal(cost), duration_ms=ms, ttft_ms=ms / 4))
    return call


def days(core) -> dict[str, Money]:
    return {r.period: r.cost for r in core.reports.spend(period="day", by=None)}


@pytest.mark.parametrize(
    ("zone", "day"),
    [("Pacific/Kiritimati", "2026-03-02"), ("America/Los_Angeles", "2026-03-01"), ("UTC", "2026-03-01")],
)
def test_a_call_lands_on_the_local_day_in_reports_rollups_latency_and_budgets(core, zone, day):
    core.reports.clock.set_zone(zone)
    record(core, NOON_UTC)
    assert days(core) == {day: Money(Decimal("1.25"))}
    assert [r.day for r in core.reports.latency()] == [day]
    status = core.budgets.status(date.fromisoformat(day))
    assert status.today == Money(Decimal("1.25")) and status.month == Money(Decimal("1.25"))


def test_changing_the_zone_recounts_the_rollups(core):
    core.reports.clock.set_zone("America/Los_Angeles")
    record(core, NOON_UTC, "1")
    record(core, EARLY_UTC, "2")
    assert days(core) == {"2026-02-28": Money(Decimal(2)), "2026-03-01": Money(Decimal(1))}
    feb = core.reports.spend(date(2026, 2, 1), date(2026, 2, 28), period="month", by=None)
    assert [r.cost for r in feb] == [Money(Decimal(2))]  # the local month, too
    core.reports.clock.set_zone("Pacific/Kiritimati")
    assert days(core) == {"2026-03-01": Money(Decimal(2)), "2026-03-02": Money(Decimal(1))}
    core.reports.clock.set_zone(None)  # back to the system's zone
    assert (
        core.storage.read().execute("select value from settings where key = ?", [BUILT_WITH]).fetchone()[0]
        == core.reports.clock.zone_name()
    )


def test_rollups_counted_in_another_zone_are_recounted_at_open(core):
    record(core, NOON_UTC)
    core.storage.writer.call(
        lambda db: db["settings"].upsert({"key": "timezone", "value": "Pacific/Kiritimati"}, pk="key")
    )  # as another process, or an older version, would leave it
    assert "2026-03-02" not in days(core)
    Reports(core.storage)  # what opening the core does
    assert list(days(core)) == ["2026-03-02"]


def test_deleting_a_call_recounts_its_local_day(core):
    core.reports.clock.set_zone("Pacific/Kiritimati")
    keep = record(core, datetime(2026, 3, 1, 9, tzinfo=UTC), "1")  # 23:00 on March 1 locally
    gone = record(core, NOON_UTC, "2")  # 02:00 on March 2 locally
    assert days(core) == {"2026-03-01": Money(Decimal(1)), "2026-03-02": Money(Decimal(2))}
    core.history.delete([gone])
    assert days(core) == {"2026-03-01": Money(Decimal(1))}
    assert keep


def test_cli_since_means_local_midnight(core, capsys):
    core.reports.clock.set_zone("Pacific/Kiritimati")
    record(core, NOON_UTC)
    assert main(["spend", "--by", "day", "--since", "2026-03-02"]) == 0
    out = capsys.readouterr().out
    assert "2026-03-02" in out and "$1.25" in out


def test_today_is_the_zones_today(core):
    clock = LocalTime(core.storage, system=lambda: "Pacific/Kiritimati")
    assert clock.today() == datetime.now(UTC).astimezone(clock_zone("Pacific/Kiritimati")).date()
    core.reports.clock.set_zone("Etc/GMT+12")
    assert core.reports.clock.today() == datetime.now(clock_zone("Etc/GMT+12")).date()


def test_a_bad_zone_is_refused_with_a_message_and_changes_nothing(core):
    record(core, NOON_UTC)
    before = days(core)
    with pytest.raises(PlaygroundError, match="IANA"):
        core.reports.clock.set_zone("Mars/Olympus")
    assert days(core) == before


def test_day_helpers_follow_daylight_saving():
    la = day_function("America/Los_Angeles")
    assert la("2026-03-01T05:00:00.000+00:00") == "2026-02-28"
    assert la("2026-07-01T06:30:00.000+00:00") == "2026-06-30"  # PDT, UTC-7
    assert la("2026-07-01T07:30:00.000+00:00") == "2026-07-01"
    assert la("2026-03-01T05:00:00+02:00") == "2026-02-28"  # an imported row with its own offset
    assert day_bounds(date(2026, 3, 2), "Pacific/Kiritimati") == (
        "2026-03-01T10:00:00.000+00:00",
        "2026-03-02T10:00:00.000+00:00",
    )


def clock_zone(name):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


@pytest.mark.parametrize(
    "zone",
    ["America/Los_Angeles", "Pacific/Kiritimati", "Europe/London", "Asia/Kolkata", "Australia/Lord_Howe"],
)
def test_the_sql_day_agrees_with_the_python_day_around_every_offset_change(zone):
    import sqlite3
    from datetime import timedelta

    from playground.history.localtime import day_sql

    first = datetime(2025, 1, 1, tzinfo=UTC)
    times = [first + timedelta(minutes=7 * i) for i in range(0, 2 * 366 * 24 * 60 // 7, 3)]
    rows = [(t.isoformat(timespec="milliseconds"),) for t in times]
    expr, args = day_sql(zone, rows[0][0], rows[-1][0])
    db = sqlite3.connect(":memory:")
    db.execute("create table calls (started_at text)")
    db.executemany("insert into calls values (?)", rows)
    by_sql = [r[0] for r in db.execute(f"select {expr} from calls order by started_at", args)]
    python = day_function(zone)
    assert by_sql == [python(r[0]) for r in rows]
