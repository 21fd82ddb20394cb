"""Picking a date preset shows or hides the day pickers without moving anything below the filters; a
custom range typed backwards is shown as it is used, in order."""

from datetime import date

import pytest
from PySide6.QtCore import Qt

from playground.history.filters import DatePreset
from ui.common.background import Background
from ui.history.date_range import DateRange
from ui.history.view import HistoryView

pytestmark = pytest.mark.gui


def test_a_preset_never_moves_the_table(qtbot):
    background = Background()
    view = HistoryView(background)
    qtbot.addWidget(view)
    view.resize(1000, 600)
    view.show()
    qtbot.waitExposed(view)
    assert view.dates.current() is DatePreset.ALL and not view.dates.since.isVisible()

    def table_top() -> int:
        return view.table.mapTo(view, view.table.rect().topLeft()).y()

    before = table_top(), view.table.height()
    for preset in (DatePreset.LAST_7, DatePreset.ALL, DatePreset.CUSTOM):
        view.dates.set_preset(preset)
        qtbot.wait(20)  # the layout settles
        assert view.dates.since.isVisible() is (preset is not DatePreset.ALL)
        assert (table_top(), view.table.height()) == before, preset
    background.shutdown()


TODAY = date(2026, 3, 31)


@pytest.fixture
def dates(qtbot):
    made = DateRange(today=lambda: TODAY)
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    made.set_days(date(2026, 3, 10), date(2026, 3, 20))
    return made


def _type(qtbot, edit, text: str, finish: Qt.Key | None = Qt.Key.Key_Return) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    if finish is not None:
        qtbot.keyClick(edit, finish)


def _shown(dates) -> tuple[str, str]:
    return dates.since.date().toString("yyyy-MM-dd"), dates.until.date().toString("yyyy-MM-dd")


def test_a_from_typed_after_to_moves_to_so_the_boxes_show_the_days_used(qtbot, dates):
    with qtbot.waitSignal(dates.changed):
        _type(qtbot, dates.since, "2026-03-25")
    assert _shown(dates) == ("2026-03-25", "2026-03-25")
    assert dates.days() == (date(2026, 3, 25), date(2026, 3, 25))


def test_a_to_typed_before_from_moves_from_once_tab_leaves_the_box(qtbot, dates):
    dates.activateWindow()
    qtbot.waitActive(dates)
    with qtbot.waitSignal(dates.changed):
        _type(qtbot, dates.until, "2026-02-14", finish=Qt.Key.Key_Tab)
    assert _shown(dates) == ("2026-02-14", "2026-02-14")
    assert dates.days() == (date(2026, 2, 14), date(2026, 2, 14))


def test_a_day_half_typed_moves_nothing_until_it_is_finished(qtbot, dates):
    """Typing "2026-03-05" into To passes through days before From ("2026-03-0"...): only the finished
    day counts, so From is not dragged along by a keystroke on the way."""
    changes = []
    dates.changed.connect(lambda: changes.append(_shown(dates)))
    _type(qtbot, dates.until, "2026-03-1", finish=None)
    assert _shown(dates) == ("2026-03-10", "2026-03-20") and not changes
    qtbot.keyClicks(dates.until, "5")
    qtbot.keyClick(dates.until, Qt.Key.Key_Return)
    assert _shown(dates) == ("2026-03-10", "2026-03-15") and changes == [("2026-03-10", "2026-03-15")]


def test_days_set_backwards_are_shown_in_order(dates):
    dates.set_days(date(2026, 3, 9), date(2026, 3, 2))
    assert _shown(dates) == ("2026-03-02", "2026-03-09")
