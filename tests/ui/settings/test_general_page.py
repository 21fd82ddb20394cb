"""Settings ▸ General in the window: the zone and the stream limits round-trip and take effect."""

import time
from datetime import UTC, date, datetime
from decimal import Decimal

from PySide6.QtCore import Qt

from playground.history.calls import CallEnd, CallStart
from playground.llm.errors import ErrorKind
from playground.llm.request import Request
from tests.servers.base import Script
from tests.ui.conftest import off_gui

NOON_UTC = datetime(2026, 3, 1, 12, tzinfo=UTC)  # March 2 in Kiritimati (UTC+14)


def general_page(qtbot, window):
    window.open_settings("general")
    page = window.settings_dialog.general
    assert window.settings_dialog.tabs.currentWidget() is page
    qtbot.waitUntil(page.isEnabled, timeout=5000)  # read in the background
    return page


def test_the_zone_is_saved_recounts_the_days_and_shows_again(qtbot, window, core):
    def record() -> None:
        call = core.history.start_call(
            CallStart(Request.single("e", "m", "p"), "openai", None, {}, started_at=NOON_UTC)
        )
        core.history.finish_call(call, CallEnd("ok", cost_usd=Decimal("1.25")))

    off_gui(record)
    page = general_page(qtbot, window)
    assert page.zone.text() == "" and "system default" in page.zone.placeholderText()
    page.zone.setText("Pacific/Kiritimati")
    qtbot.mouseClick(page.save_zone, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Kiritimati" in page.zone_message.text(), timeout=10_000)
    assert off_gui(core.reports.clock.zone_name) == "Pacific/Kiritimati"
    days = off_gui(lambda: [r.period for r in core.reports.spend(period="day", by=None)])
    assert days == ["2026-03-02"]  # recounted
    window.settings_dialog.close()
    assert general_page(qtbot, window).zone.text() == "Pacific/Kiritimati"
    history = window.history  # its day filters are local days too
    history.dates.set_days(date(2026, 3, 2), date(2026, 3, 2))
    with qtbot.waitSignal(history.model_.loaded, timeout=5000):
        history.refresh()
    assert history.model_.rowCount() == 1
    history.dates.set_days(date(2026, 3, 1), date(2026, 3, 1))
    with qtbot.waitSignal(history.model_.loaded, timeout=5000):
        history.refresh()
    assert history.model_.rowCount() == 0


def test_an_unknown_zone_is_refused_and_nothing_changes(qtbot, window, core):
    before = off_gui(core.reports.clock.zone_name)
    page = general_page(qtbot, window)
    page.zone.setText("Mars/Olympus_Mons")
    qtbot.mouseClick(page.save_zone, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Mars/Olympus_Mons" in page.zone_message.text(), timeout=10_000)
    assert "Days are counted" not in page.zone_message.text()
    assert off_gui(core.reports.clock.zone_name) == before


def test_a_short_idle_timeout_saved_here_ends_a_keep_alive_only_stream(qtbot, window, core, local_openai):
    page = general_page(qtbot, window)
    assert page.limits["idle_s"].value() == 60.0
    page.limits["idle_s"].setValue(0.5)
    qtbot.mouseClick(page.save_limits, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved" in page.limits_message.text(), timeout=10_000)
    local_openai.push(Script(text="one two three four five six", keepalive_after=2))
    started = time.monotonic()
    result = off_gui(lambda: core.runner.run(Request.single("local", "gpt-4o-mini", "q")))
    assert time.monotonic() - started < 5
    assert result.status == "error" and result.error.kind == ErrorKind.TIMEOUT and result.text == "one two"
    window.settings_dialog.close()
    assert general_page(qtbot, window).limits["idle_s"].value() == 0.5
