"""The bills panel: imports off the GUI thread, the table's figures against the known bill and history."""

from __future__ import annotations

import shutil
import threading
from datetime import date
from pathlib import Path

import pytest

from tests.playground.bills.conftest import ANTHROPIC_BILL, OPENAI_BILL, record
from tests.servers.anthropic_admin_server import AnthropicAdminServer
from tests.servers.openai_admin_server import OpenAIAdminServer

pytestmark = pytest.mark.gui
DATA = Path(__file__).parents[2] / "data" / "bills"
NOV1, NOV7 = date(2026, 11, 1), date(2026, 11, 7)


@pytest.fixture
def panel(qtbot, core):
    from ui.common.background import Background
    from ui.spend.bills_panel import BillsPanel

    record(core, "openai", "gpt-4o-mini", "2026-11-02T23:30:00", "1.00")
    record(core, "anthropic", "claude-sonnet-4-0", "2026-11-02T12:00:00", "4.10")
    core.history.flush()
    background = Background()
    widget = BillsPanel(background)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    widget.set_core(core)
    widget.set_range(NOV1, NOV7)
    yield widget
    background.shutdown()


def cells(panel) -> dict[tuple[str, str], list[str]]:
    t = panel.table
    rows = [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]
    return {(row[0], row[2]): row[3:] for row in rows}


def test_importing_both_bills_fills_the_table_with_the_known_figures(qtbot, panel, core):
    with OpenAIAdminServer(OPENAI_BILL) as openai, AnthropicAdminServer(ANTHROPIC_BILL) as anthropic:
        core.keys.set("openai-admin", openai.admin_key)
        core.keys.set("anthropic-admin", anthropic.admin_key)
        panel.base_urls = {"openai": openai.api_base, "anthropic": anthropic.base_url}
        qtbot.waitUntil(lambda: "No bill imported for this range" in panel.totals.text(), timeout=5000)
        assert cells(panel) == {}  # the days with no bill wait behind the box
        panel.unbilled.setChecked(True)
        assert cells(panel)[("2026-11-02", "gpt-4o-mini")][0] == "unknown"  # before any import
        qtbot.mouseClick(panel.import_openai, _left())
        qtbot.waitUntil(
            lambda: panel.import_openai.isEnabled() and ("2026-11-03", "gpt-4o") in cells(panel),
            timeout=10_000,
        )
        panel.import_anthropic.click()
        qtbot.waitUntil(
            lambda: panel.import_anthropic.isEnabled() and ("2026-11-04", "claude-haiku-4-5") in cells(panel),
            timeout=10_000,
        )
    table = cells(panel)
    assert table[("2026-11-02", "gpt-4o-mini")][:3] == ["$2.25", "$1.00", "+$1.25"]
    assert table[("2026-11-03", "gpt-4o")] == [
        "$3.20",
        "$0",
        "+$3.20",
        "$3.20 billed that this app did not record: calls made elsewhere",
    ]
    assert table[("2026-11-02", "claude-sonnet-4")][:4] == ["$4.10", "$4.10", "$0", "matches"]
    assert "from anthropic admin API, 2026-11-01 to 2026-11-07" in panel.fetched.text()
    # OpenAI bills $7.35 and Anthropic $4.45; the two calls here cost $1.00 and $4.10
    assert panel.totals.text() == (
        "Where a bill is imported: billed $11.80, recorded here $5.10; difference +$6.70."
    )
    panel.by.setCurrentIndex(1)
    qtbot.waitUntil(lambda: ("the range", "gpt-4o-mini") in cells(panel), timeout=5000)
    assert cells(panel)[("the range", "gpt-4o-mini")][:3] == ["$4.15", "$1.00", "+$3.15"]
    assert panel.table.isColumnHidden(0)  # per model: no day column


def test_a_wrong_key_is_shown_plainly_and_the_buttons_come_back(qtbot, panel, core):
    with OpenAIAdminServer(OPENAI_BILL) as openai:
        core.keys.set("openai-admin", "sk-proj-ordinary-000000000000")
        panel.base_urls["openai"] = openai.api_base
        panel.import_openai.click()
        qtbot.waitUntil(lambda: panel.import_openai.isEnabled(), timeout=10_000)
    assert "not an admin key" in panel.status.text()
    assert "ordinary" not in panel.status.text()
    assert not panel.cancel.isVisible()


def test_cancel_stops_the_import_and_the_next_one_resumes(qtbot, panel, core):
    with AnthropicAdminServer(ANTHROPIC_BILL, page_days=1) as anthropic:
        core.keys.set("anthropic-admin", anthropic.admin_key)
        panel.base_urls["anthropic"] = anthropic.base_url
        gate = anthropic.hold_after_first = threading.Event()  # page 2 waits until the cancel is clicked

        def cancel_then_go_on(_progress) -> None:  # cancel as soon as a page is stored
            panel.cancel.click()
            gate.set()

        panel._progressed.connect(cancel_then_go_on)
        panel.import_anthropic.click()
        assert panel.cancel.isVisible() and not panel.import_anthropic.isEnabled()
        qtbot.waitUntil(lambda: panel.import_anthropic.isEnabled(), timeout=10_000)
        assert "cancelled" in panel.status.text()
        # the table and the "Last fetched" line are re-read off the GUI thread after the buttons return
        qtbot.waitUntil(lambda: "(failed: import again to resume)" in panel.fetched.text(), timeout=5000)
        assert anthropic.pages_served < 14  # 7 days of costs and 7 of usage, a page a day: it stopped early
        panel._progressed.disconnect()
        anthropic.hold_after_first = None
        panel._progressed.connect(panel._show_progress)
        anthropic.requests.clear()
        panel.import_anthropic.click()
        qtbot.waitUntil(lambda: "resumed" in panel.status.text(), timeout=10_000)
    first_asked = anthropic.requests[0][1]["starting_at"][0]
    assert first_asked > "2026-11-01T00:00:00Z"  # it went on from the stored days, not from the start
    qtbot.waitUntil(lambda: ("2026-11-04", "claude-haiku-4-5") in cells(panel), timeout=5000)
    assert cells(panel)[("2026-11-04", "claude-haiku-4-5")][0] == "$0.35"


def test_a_console_csv_imports_and_a_bad_one_says_why(qtbot, panel, tmp_path):
    panel.import_csv(DATA / "openai_costs.csv")
    qtbot.waitUntil(
        lambda: ("2026-11-01", "gpt-4o-mini") in cells(panel) and panel.import_file.isEnabled(), timeout=5000
    )
    assert "Imported 7 rows, 2026-11-01 to 2026-11-05 ($7.35)" in panel.status.text()
    bad = tmp_path / "bad.csv"
    shutil.copy(DATA / "bad_cost.csv", bad)
    panel.import_csv(bad)
    qtbot.waitUntil(lambda: "twelve" in panel.status.text(), timeout=5000)
    assert cells(panel)[("2026-11-01", "gpt-4o-mini")][0] == "$1.50"  # the good import is untouched


def test_billed_days_come_newest_first_and_the_totals_count_the_rest(qtbot, panel):
    panel.import_csv(DATA / "openai_costs.csv")  # OpenAI, Nov 1 to 5; no Anthropic bill
    qtbot.waitUntil(lambda: ("2026-11-01", "gpt-4o-mini") in cells(panel), timeout=5000)
    days = [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())]
    assert days == ["2026-11-05", "2026-11-03", "2026-11-02", "2026-11-01"]
    assert panel.totals.text() == (
        "Where a bill is imported: billed $7.35, recorded here $1.00; difference +$6.35."
    )
    assert panel.uncovered.text() == (
        "1 row(s) with no bill imported (recorded here $4.10): import the bill for the range to"
        " compare them. Tick “Show rows with no bill” to list them."
    )
    panel.unbilled.setChecked(True)
    assert cells(panel)[("2026-11-02", "claude-sonnet-4")][:3] == ["unknown", "$4.10", "unknown"]
    assert "Tick" not in panel.uncovered.text()


def _left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_unknown_stays_readable_after_a_switch_to_a_dark_palette(qtbot, panel):
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    panel.unbilled.setChecked(True)
    qtbot.waitUntil(lambda: ("2026-11-02", "gpt-4o-mini") in cells(panel), timeout=5000)
    app = QApplication.instance()
    before = app.palette()
    dark = QPalette(before)
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.PlaceholderText, QColor("#8a8a8a"))
    try:
        app.setPalette(dark)
        muted = QColor("#8a8a8a")
        qtbot.waitUntil(lambda: panel.table.item(0, 3).foreground().color() == muted, timeout=2000)
        assert panel.table.item(0, 3).text() == "unknown"
    finally:
        app.setPalette(before)
