"""Picking a date preset shows or hides the day pickers without moving anything below the filters."""

import pytest

from playground.history.filters import DatePreset
from ui.common.background import Background
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
