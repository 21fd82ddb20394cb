"""A history that cannot be opened for writing (a read-only data folder): the app reads it as it is.
Every page loads, past calls are listed, and what would write is off and says why."""

from __future__ import annotations

import pytest

from playground.history.storage import HistoryUnavailable
from tests.ui.conftest import show_built
from tests.ui.spend.known_history import noon, record
from ui.app import CoreLoader
from ui.spend.bills_panel import BillsPanel

pytestmark = pytest.mark.gui


@pytest.fixture
def read_only_home(core, monkeypatch):
    """Three calls in the history; then build_core refuses it as it does a read-only folder."""
    for model in ("gpt-4o", "gpt-4o-mini", "gpt-4o"):
        record(core, noon(0), model, "0.10")
    core.history.flush()
    core.close()
    home = core.home
    reason = HistoryUnavailable(home, "the folder cannot be written (read-only or not yours): readonly")

    def refused(*args, **kwargs):
        raise reason

    monkeypatch.setattr("playground.core.build_core", refused)
    return home


@pytest.fixture
def loaded(qtbot, make_window, read_only_home):
    window = make_window(attach=False)
    loader = CoreLoader(window.session, read_only_home, start_workers=False)
    with qtbot.waitSignal(window.session.coreReady, timeout=10_000):
        loader.start()
    yield window
    window.close()
    core = loader.join(5)
    if core is not None:
        core.close()
    loader.workers.close()


def test_the_history_lists_its_calls_and_says_they_cannot_be_changed(qtbot, loaded, read_only_home):
    window = loaded
    (banner,) = window.notices.texts()
    assert str(read_only_home) in banner and "runs are off" in banner
    assert "Ready" not in window.statusBar().currentMessage()
    window.show_mode("History")
    view = window.history
    qtbot.waitUntil(lambda: view.model_.rowCount() == 3, timeout=10_000)
    assert view.rows_or_empty.currentWidget() is view.table
    assert not view.not_recorded.isHidden()
    assert f"The history is read-only ({read_only_home})" in view.not_recorded.text()
    view.table.selectRow(0)
    assert not view.tag_button.isEnabled() and not view.delete_button.isEnabled()
    assert "read-only" in view.delete_button.toolTip()
    assert view.whatif_button.isEnabled() and view.plan_button.isEnabled() and view.export_button.isEnabled()
    view.search.setText("nothing like this")
    qtbot.waitUntil(lambda: view.model_.rowCount() == 0, timeout=10_000)


@pytest.mark.parametrize("mode", ["Spend", "Plan", "Evaluate"])
def test_every_page_loads(qtbot, loaded, mode):
    show_built(qtbot, loaded, mode)
    assert loaded.tabs.load_problem() is None


def test_evaluate_says_runs_cannot_be_recorded(qtbot, loaded, read_only_home):
    show_built(qtbot, loaded, "Evaluate")
    page = loaded.tabs.evaluate
    assert page is not None and not page.not_recorded.isHidden()
    assert "runs are off" in page.not_recorded.text()
    assert not page.run_button.isEnabled() and "read-only" in page.run_button.toolTip()


def test_spend_draws_the_calls_and_bills_cannot_be_imported(qtbot, loaded):
    show_built(qtbot, loaded, "Spend")
    spend = loaded.tabs.spend
    assert spend is not None
    qtbot.waitUntil(lambda: spend.data is not None and spend.cards["Calls"].text() != "–", timeout=10_000)
    assert "3" in spend.cards["Calls"].text()
    bills = spend.findChild(BillsPanel)
    assert bills is not None and not bills.import_openai.isEnabled()
    assert "read-only" in bills.import_openai.toolTip()
