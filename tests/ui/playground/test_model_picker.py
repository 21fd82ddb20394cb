"""The model picker as a user meets it: chat models by endpoint, a filter, stars that last, prices
that agree with the counters, and a keyboard that does everything."""

from __future__ import annotations

import html
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from playground import formatting
from playground.core import build_core
from playground.llm.catalog import ModelKind, per_million
from playground.llm.usage import Usage
from tests.conftest import FAST_RETRY
from tests.ui.conftest import off_gui, type_prompt

pytestmark = pytest.mark.gui

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
EXTRA = ("text-embedding-3-small", "dall-e-3", "whisper-1")


@pytest.fixture
def listed(local_openai):
    """The test server also lists non-chat models, as OpenAI's own does."""
    local_openai.models = (*local_openai.models, *EXTRA)
    return local_openai


def loaded(qtbot, window):
    """The window with every endpoint's listing in (built-in ones and the test server's)."""
    qtbot.waitUntil(
        lambda: {e.endpoint.name for e in window.session.entries()} >= {"local", "openai"}, timeout=10_000
    )
    qtbot.waitUntil(
        lambda: ("local", "dall-e-3") in {e.key for e in window.session.entries()}, timeout=10_000
    )
    return window


def opened(qtbot, window):
    window.picker.open()
    popup = window.picker.popup
    qtbot.waitUntil(popup.isVisible)
    return popup


def test_chat_models_only_until_show_all(qtbot, make_window, listed):
    window = loaded(qtbot, make_window())
    popup = opened(qtbot, window)
    keys = popup.rows()
    assert ("local", "gpt-4o-mini") in keys and ("openai", "gpt-4o") in keys
    assert not [k for k in keys if k[1] in EXTRA or "embedding" in k[1] or "dall-e" in k[1]]
    titles = [popup.model.item(r).text() for r in range(popup.model.rowCount())]
    assert titles == ["anthropic", "local", "openai"]  # grouped by endpoint
    qtbot.keyClick(popup.filter, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # "Show &all models"
    qtbot.waitUntil(popup.show_all.isChecked)  # a mnemonic clicks after a short animation
    every = popup.rows()
    for name in EXTRA:
        assert ("local", name) in every
    at = every.index(("local", "text-embedding-3-small"))
    assert popup.row_texts(at)[1] == "text-embedding-3-small  (embedding)"
    popup.show_all.setChecked(False)
    assert popup.rows() == keys


def test_typing_filters_across_endpoint_and_model_any_case(qtbot, make_window, listed):
    window = loaded(qtbot, make_window())
    popup = opened(qtbot, window)
    everything = popup.rows()
    qtbot.keyClicks(popup.filter, "MINI")
    narrowed = popup.rows()
    assert 0 < len(narrowed) < len(everything)
    assert all("mini" in f"{e} / {m}".lower() for e, m in narrowed)
    assert ("local", "gpt-4o-mini") in narrowed and ("openai", "gpt-4o-mini") in narrowed
    popup.filter.clear()
    qtbot.keyClicks(popup.filter, "local 4o")
    assert sorted(popup.rows()) == [("local", "gpt-4o"), ("local", "gpt-4o-mini")]
    qtbot.keyClicks(popup.filter, "zzz")
    assert popup.rows() == [] and not popup.empty.isHidden()


def test_keyboard_only_pick_and_escape(qtbot, make_window, listed):
    window = loaded(qtbot, make_window())
    window.picker.select("openai", "gpt-4o")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # shortcuts act in the active window
    editor = window.editor.messages.first_editor()
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_M, CTRL_SHIFT)  # Ctrl+Shift+M opens it
    popup = window.picker.popup
    qtbot.waitUntil(popup.isVisible)
    assert popup.current_key() == ("openai", "gpt-4o")  # opens on the current model
    qtbot.keyClick(popup.filter, Qt.Key.Key_Escape)
    assert not popup.isVisible() and window.picker.current() == ("openai", "gpt-4o")
    popup = opened(qtbot, window)
    qtbot.keyClicks(popup.filter, "local")
    first, second = popup.rows()[:2]
    assert popup.current_key() == first  # the first match is highlighted
    qtbot.keyClick(popup.filter, Qt.Key.Key_Down)
    assert popup.current_key() == second
    qtbot.keyClick(popup.filter, Qt.Key.Key_Up)
    qtbot.keyClick(popup.filter, Qt.Key.Key_Up)  # stays on the first row
    assert popup.current_key() == first
    qtbot.keyClick(popup.filter, Qt.Key.Key_Down)
    with qtbot.waitSignal(window.picker.picked) as picked:
        qtbot.keyClick(popup.filter, Qt.Key.Key_Return)
    assert tuple(picked.args) == second
    assert not popup.isVisible() and window.picker.current() == second
    assert window.picker.button.text().startswith(f"local / {second[1]}")
    popup = opened(qtbot, window)
    qtbot.keyClicks(popup.filter, "local / my-finetune")  # not listed: taken as typed
    qtbot.keyClick(popup.filter, Qt.Key.Key_Enter)
    assert window.picker.current() == ("local", "my-finetune")


def test_favourites_last_into_a_new_window_on_the_same_home(
    qtbot, make_window, listed, isolated_home, memory_keyring, encodings
):
    window = loaded(qtbot, make_window())
    popup = opened(qtbot, window)
    qtbot.keyClicks(popup.filter, "local gpt-4o-mini")
    with qtbot.waitSignal(window.picker.data.saved, timeout=10_000):
        qtbot.keyClick(popup.filter, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    popup.filter.clear()
    assert popup.rows()[0] == ("local", "gpt-4o-mini")  # on top, under ★ Favourites
    assert popup.model.item(0).text() == "★ Favourites"
    assert popup.row_texts(0)[0] == "★"
    popup.view.scrollToTop()
    star = popup.view.visualRect(popup.model.index(0, 0, popup.model.index(0, 0))).center()
    with qtbot.waitSignal(window.picker.data.saved, timeout=10_000):  # a click on the star unstars
        qtbot.mouseClick(popup.view.viewport(), Qt.MouseButton.LeftButton, pos=star)
    assert popup.model.item(0).text() != "★ Favourites" and popup.isVisible()
    with qtbot.waitSignal(window.picker.data.saved, timeout=10_000):  # and stars again
        window.picker.data.toggle_favourite(("local", "gpt-4o-mini"))
    popup.hide()
    window.close()

    again = off_gui(  # a restart: a new core and a new window on the same data folder
        lambda: build_core(
            isolated_home, keyring_backend=memory_keyring, environ={}, retry=FAST_RETRY, encodings=encodings
        )
    )
    try:
        second = make_window(attach=False)
        with qtbot.waitSignal(second.session.coreReady, timeout=10_000):
            second.session.attach(again)
        qtbot.waitUntil(lambda: second.picker.data.prefs.favourites == (("local", "gpt-4o-mini"),))
        loaded(qtbot, second)
        popup = opened(qtbot, second)
        assert popup.model.item(0).text() == "★ Favourites"
        assert popup.rows()[0] == ("local", "gpt-4o-mini")
        second.close()
    finally:
        off_gui(again.close)


def test_a_run_puts_the_model_first_in_recent(qtbot, window, core):
    type_prompt(qtbot, window, "hello")
    with qtbot.waitSignal(window.picker.data.saved, timeout=10_000):
        window.run()
    qtbot.waitUntil(lambda: not window.session.running, timeout=10_000)
    stored = off_gui(
        lambda: (
            __import__("playground.history.model_prefs", fromlist=["x"]).ModelPrefStore(core.storage).read()
        )
    )
    assert stored.recents[0] == ("local", "gpt-4o-mini")
    popup = opened(qtbot, window)
    assert popup.model.item(0).text() == "Recent" and popup.rows()[0] == ("local", "gpt-4o-mini")


def test_each_listed_price_is_what_the_counters_charge(qtbot, make_window, listed, core):
    """For every built-in chat model shown, the row's per-1M prices equal the counters' pricer."""
    window = loaded(qtbot, make_window())
    popup = opened(qtbot, window)
    endpoints = {e.name: e for e in window.session.endpoints()}
    shown = [(n, k) for n, k in enumerate(popup.rows()) if endpoints[k[0]].builtin]
    assert len(shown) > 20

    def charged():
        result = {}
        for _, (name, model) in shown:
            e = endpoints[name]
            result[(name, model)] = (
                core.pricer.price(e, model, Usage(input_tokens=1000)).total,
                core.pricer.price(e, model, Usage(output_tokens=1000)).total,
            )
        return result

    costs = off_gui(charged)
    headers = [popup.model.horizontalHeaderItem(c).text() for c in range(popup.model.columnCount())]
    assert "tokens" in headers[2] and "per 1M" in headers[3]  # the units are said once, in the header
    for n, key in shown:
        charged_in, charged_out = costs[key]
        assert charged_in is not None and charged_out is not None
        rate_in, rate_out = per_million(charged_in, 1000), per_million(charged_out, 1000)
        want = f"{formatting.usd(rate_in)} in / {formatting.usd(rate_out)} out"  # "per 1M" is in the header
        assert popup.row_texts(n)[3] == want, key
        assert re.fullmatch(r"[\d.]+[kM]?|", popup.row_texts(n)[2]), key  # "128k", not "128k context"
        assert popup.row_entry(n).kind is ModelKind.CHAT


def test_a_model_no_listing_has_is_priced_like_the_counters(qtbot, window):
    """gpt-4o-2024-05-13 is not listed by the server, but the counters price it (as OpenAI)."""
    window.picker.select("local", "gpt-4o-2024-05-13")
    qtbot.waitUntil(lambda: "per 1M" in window.picker.info.text(), timeout=10_000)
    assert window.picker.info.text() == "128k context · $5.00 in / $15.00 out per 1M"
    window.picker.select("local", "no-such-model")
    qtbot.waitUntil(lambda: window.picker.info.text() == "price unknown", timeout=10_000)


def test_a_removed_endpoint_leaves_the_picker_at_once_and_run_says_to_pick_another(
    qtbot, make_window, local_openai
):
    window = make_window()
    window.picker.select("local", "gpt-4o-mini")
    qtbot.waitUntil(lambda: ("local", "gpt-4o-mini") in window.picker.popup.rows(), timeout=10_000)
    window.open_settings("endpoints")
    page = window.settings_dialog.endpoints
    qtbot.waitUntil(lambda: page.table.rowCount() == 3, timeout=5000)
    page.table.selectRow(next(r for r in range(3) if page.table.item(r, 0).text() == "local"))
    page.remove.click()
    # while Settings is still open: its models leave the list, and the picker says what happened
    qtbot.waitUntil(lambda: all(k[0] != "local" for k in window.picker.popup.rows()), timeout=10_000)
    assert window.settings_dialog.isVisible()
    assert ("openai", "gpt-4o") in window.picker.popup.rows()
    assert "removed" in window.picker.button.text()
    assert "local" in window.picker.info.text() and "removed" in window.picker.info.text()
    assert window.counters.input.text() != "Prompt: counting…"
    type_prompt(qtbot, window, "Hi")
    window.settings_dialog.close()
    window.run_action.trigger()
    said = html.unescape(window.output.error.text())
    assert "no endpoint named 'local'" in said and "pick a model" in said
    assert not window.session.running
