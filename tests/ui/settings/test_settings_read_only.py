"""A history that cannot be written: the settings kept in it (endpoints, prices, general) cannot be
saved and say why before a click; keys, kept in the system keyring, still save."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui import read_only as opened

pytestmark = pytest.mark.gui


@pytest.fixture
def read_only(qtbot, make_window, core, monkeypatch):
    yield from opened.refused_history(qtbot, make_window, core, monkeypatch)


def test_settings_kept_in_the_history_are_off_and_keys_still_save(qtbot, read_only):
    window = read_only
    window.open_settings("endpoints")
    dialog = window.settings_dialog
    ends = dialog.endpoints
    qtbot.waitUntil(lambda: ends.table.rowCount() == 3, timeout=5000)  # openai, anthropic, mine
    mine = next(r for r in range(3) if ends.table.item(r, 0).text() == "mine")
    ends.table.selectRow(mine)
    for button in (ends.add, ends.edit, ends.remove):
        assert not button.isEnabled(), button.text()
        assert "The history is read-only" in button.toolTip()
    prices = dialog.prices
    assert not prices.save_button.isEnabled() and not prices.remove_button.isEnabled()
    assert "The history is read-only" in prices.save_button.toolTip()
    general = dialog.general
    qtbot.waitUntil(general.isEnabled, timeout=5000)  # the saved settings are read
    for button in (general.save_zone, general.save_limits, general.save_images):
        assert not button.isEnabled() and "The history is read-only" in button.toolTip()
    assert not dialog.not_saved.isHidden() and "keys" in dialog.not_saved.text()
    dialog.show_tab("keys")
    keys = dialog.keys
    qtbot.waitUntil(lambda: "openai" in keys._rows, timeout=5000)
    keys.entry("openai").setText("sk-typed-while-read-only-0001")
    qtbot.keyClick(keys.entry("openai"), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: keys.source_text("openai").startswith("Source: keyring"), timeout=5000)
