"""Axis ticks a reader can use at every range: several date ticks, dollars as dollars."""

from datetime import date, timedelta

import pytest

from playground.spend.charts import timestamp
from ui.spend.axes import DAY_S, count_text, day_ticks, duration_text, money_text


@pytest.mark.parametrize("days", [1, 7, 30, 90, 365, 730])
@pytest.mark.parametrize("room", [5, 10])
def test_every_range_gets_several_readable_day_ticks(days, room):
    last = date(2026, 12, 1)
    lo, hi = timestamp(last - timedelta(days=days - 1)) - 0.6 * DAY_S, timestamp(last) + 0.6 * DAY_S
    ticks = day_ticks(lo, hi, room)
    assert 1 <= len(ticks) <= room + 1
    if days >= 7:
        assert len(ticks) >= 2
    assert all(lo <= t <= hi for t in ticks) and ticks == sorted(ticks)


def test_money_count_and_duration_labels():
    assert money_text(0.05, 0.05) == "$0.05" and money_text(0.1, 0.05) == "$0.10"
    assert money_text(20, 5) == "$20" and money_text(0.0005, 0.0005) == "$0.0005"
    assert count_text(25_000) == "25k" and count_text(1_500) == "1,500" and count_text(2_000_000) == "2M"
    assert duration_text(450) == "450 ms" and duration_text(1500) == "1.5 s"
