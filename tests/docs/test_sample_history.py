"""The screenshots' sample history: no call after the moment it is made (a call at 18:00 in a picture
taken at 10:00 read as a bug), and the days before today the same whenever it is made."""

from datetime import datetime
from zoneinfo import ZoneInfo

from docs.sample_history import sample_rows

ZONE = "Europe/Paris"


def test_no_call_is_after_now_and_the_days_before_are_the_same_all_day():
    morning = datetime(2026, 12, 2, 9, 30, tzinfo=ZoneInfo(ZONE))
    evening = datetime(2026, 12, 2, 21, 0, tzinfo=ZoneInfo(ZONE))
    early, late = sample_rows(morning, ZONE), sample_rows(evening, ZONE)
    assert max(datetime.fromisoformat(r["started_at"]) for r in early) <= morning
    today = morning.date().isoformat()
    before = [r for r in early if not r["started_at"].startswith(today)]
    assert before == [r for r in late if not r["started_at"].startswith(today)]
    assert (
        0
        < len([r for r in early if r["started_at"].startswith(today)])
        < len([r for r in late if r["started_at"].startswith(today)])
    )
