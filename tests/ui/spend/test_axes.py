"""Axis ticks a reader can use at every range: several date ticks, dollars as dollars."""

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from playground.spend.charts import timestamp
from ui.spend.axes import DAY_S, DayAxis, count_text, day_ticks, duration_text, money_text


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
    assert duration_text(450) == "450 ms" and duration_text(1500) == "1.5 s" and duration_text(5000) == "5 s"
    assert duration_text(12_340) == "12.3 s"


def _range(days: int) -> tuple[float, float]:
    last = date(2026, 12, 1)
    return timestamp(last - timedelta(days=days - 1)) - 0.5 * DAY_S, timestamp(last) + 0.5 * DAY_S


@pytest.mark.parametrize(("days", "kind"), [(7, "day"), (30, "week"), (90, "half"), (365, "month")])
def test_charts_of_one_range_label_their_dates_alike_whatever_their_width(qapp, days, kind):
    """The same 90 days read "Oct 2026" on one chart and "Sep 15, Oct 1" on a wider one; every width
    ends on the range's last day ("Dec 1"), the bar a user just made."""
    lo, hi = _range(days)
    labels = []
    for width in (300, 360, 420, 900):
        axis = DayAxis()
        [(_, ticks)] = axis.tickValues(lo, hi, width)
        shown = axis.tickStrings(ticks, 1, DAY_S)
        assert shown[-1] == "Dec 1" and len(shown) >= 3 and len(set(shown)) == len(shown)
        labels.append(shown[:-1])
    narrow, *wider = labels
    assert len(narrow) >= 2 and all(set(narrow) <= set(w) for w in wider)  # narrow only drops labels
    for text in (t for w in labels for t in w):
        _month, rest = text.split()
        if kind == "month":
            assert rest == "2026" or rest == "2025"
        elif kind == "half":
            assert rest in ("1", "15")
        else:
            assert len(rest) <= 2
    if kind == "half":  # a chart with room for fewer keeps the month starts
        assert all(t.endswith(" 1") for t in narrow) and any(t.endswith(" 15") for t in labels[-1])
    if kind == "week":  # Mondays
        assert {datetime.strptime(f"{t} 2026", "%b %d %Y").weekday() for t in labels[-1]} == {0}


def test_a_long_title_is_shortened_at_a_word_with_the_whole_in_its_tooltip(qapp):
    from ui.spend.chart_panel import Title, shorten

    text = "December 2026: spend so far, and the pace to its end"
    assert shorten(text, 10 * 28, lambda s: 10 * len(s)) == "December 2026: spend so far…"
    title = Title(f"<b>{text}</b>")
    title.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    title.show()  # a hidden label gets no resize events
    title.resize(title.fontMetrics().horizontalAdvance(text) // 2, 20)
    shown = QLabel.text(title)
    assert shown.endswith("…") and text.startswith(shown[:-1]) and title.toolTip() == text
    assert title.text() == f"<b>{text}</b>"  # the report's title stays whole
    title.resize(title.fontMetrics().horizontalAdvance(text) + 20, 20)
    assert QLabel.text(title) == text and title.toolTip() == ""
    title.close()
