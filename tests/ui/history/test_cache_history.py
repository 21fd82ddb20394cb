"""History's prompt-caching figures on a known history (tests/playground/spend/test_cache_totals.py):
the "uses cache" filter from the keyboard, the cached tokens and savings under the table, one call's
savings in its detail; no SQL on the GUI thread."""

import pytest
from PySide6.QtCore import Qt

from tests.playground.history.known_history import fill
from tests.playground.spend.test_cache_totals import CALLS, record
from tests.ui.history.shown import history_view
from ui.common.background import Background

pytestmark = pytest.mark.gui


@pytest.fixture
def view(qtbot, core):

    fill(core, calls=40)
    record(core)
    background = Background()
    v = history_view(qtbot, core, background)
    yield v
    background.shutdown()


def test_filter_totals_and_detail(qtbot, view):
    qtbot.waitUntil(
        lambda: view.totals.totals is not None and view.cache_totals.totals is not None, timeout=5000
    )
    assert view.totals.totals.calls == 46 and view.cache_totals.totals.calls == 5
    view.uses_cache.setFocus()
    qtbot.keyClick(view.uses_cache, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: view.totals.totals.calls == 5 and view.model_.rowCount() == 5, timeout=5000)
    line = view.cache_totals
    expected = sum(c[6] for c in CALLS if c[6] is not None)
    assert line.isVisible() and line.totals.saved.priced == expected
    assert (
        line.text() == "5 calls used the cache · 10,548 read · 6,000 written · saved $0.00285"
        " · savings of 1 call unknown (no cache price)"
    )
    row = next(i for i in range(5) if view.model_.row(i).messages[0]["content"] == "call 1")
    view.table.selectRow(row)
    qtbot.waitUntil(lambda: "against no caching" in view.detail.toPlainText(), timeout=5000)
    text = view.detail.toPlainText()
    assert "cache write 4,000 (4,000 for 1 h)" in text and "against no caching: cost $0.004 extra" in text


def test_no_cache_line_when_no_call_used_the_cache(qtbot, view):
    qtbot.waitUntil(
        lambda: view.model.findText("gpt-4o") >= 0, timeout=5000
    )  # the choices, read in the background
    view.model.setCurrentText("gpt-4o")
    qtbot.waitUntil(
        lambda: view.cache_totals.totals is not None and view.cache_totals.totals.calls == 0, timeout=5000
    )
    assert not view.cache_totals.isVisible()
