"""Prompt caching in the Playground window: a breakpoint marked from the keyboard, the first run writes
and the repeat reads with its savings in the counters, the warning for a prefix below the minimum, and
OpenAI's automatic caching said in place of the marks."""

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import type_prompt

pytestmark = pytest.mark.gui

LONG = "alpha " * 3000
MODEL = "claude-sonnet-4-5"  # $3/MTok input, $3.75 five-minute write, $0.30 read


@pytest.fixture
def claude(make_window, local_anthropic):
    w = make_window()
    w.picker.select("localant", MODEL)
    return w


def run_and_wait(qtbot, window):
    with qtbot.waitSignal(window.session.runFinished, timeout=10_000) as blocker:
        window.run_action.trigger()
    return blocker.args[0]


def mark_system_from_the_keyboard(qtbot, window):
    box = window.params.cache.system.check
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert box.isChecked()


def test_mark_run_write_then_read_with_savings(qtbot, claude, local_anthropic):
    claude.editor.system.setPlainText(LONG)
    mark_system_from_the_keyboard(qtbot, claude)
    assert claude.params.values()["cache"] == [{"where": "system", "ttl": "5m"}]
    assert claude.params.cache.note.text() == "1 of 4 cache marks."
    type_prompt(qtbot, claude, "Summarise.")
    first = run_and_wait(qtbot, claude)
    sent = [r for r in local_anthropic.received if r.method == "POST"][-1].body
    assert sent["system"][0]["cache_control"] == {"type": "ephemeral", "ttl": "5m"}
    line = claude.counters.cache
    assert first.usage.cache_write_tokens == 3000
    assert line.isVisible() and line.text().startswith("cache: read 0 · wrote 3,000 · cost $0.00225")
    again = run_and_wait(qtbot, claude)
    assert again.usage.cache_read_tokens == 3000
    assert line.text() == "cache: read 3,000 · saved $0.0081"
    with qtbot.waitSignal(claude.session.estimated, timeout=5000):  # a new estimate keeps the run's figures
        qtbot.keyClicks(claude.editor.messages.last_editor(), "More?")
    assert line.isVisible() and line.text() == "cache: read 3,000 · saved $0.0081"


def test_one_hour_lifetime_and_unmarking(qtbot, claude):
    claude.editor.system.setPlainText(LONG)
    mark_system_from_the_keyboard(qtbot, claude)
    ttl = claude.params.cache.system.ttl
    ttl.setFocus()
    qtbot.keyClick(ttl, Qt.Key.Key_Down)
    assert claude.params.values()["cache"] == [{"where": "system", "ttl": "1h"}]
    qtbot.keyClick(claude.params.cache.system.check, Qt.Key.Key_Space)
    assert "cache" not in claude.params.values()


def test_a_short_prefix_is_warned_in_the_counters(qtbot, claude):
    claude.editor.system.setPlainText("Be brief. " * 20)
    mark_system_from_the_keyboard(qtbot, claude)
    type_prompt(qtbot, claude, "Hi")
    line = claude.counters.cache
    qtbot.waitUntil(lambda: "below the 1,024" in line.text(), timeout=5000)
    assert line.isVisible() and "(estimate)" in line.text() and "will not be cached" in line.text()


def test_openai_says_it_caches_by_itself(qtbot, window):
    editor = window.params.cache
    assert not editor.system.check.isEnabled()
    assert editor.note.text().startswith("OpenAI caches automatically")
    assert "cache" not in window.params.values()


def test_openais_automatic_cache_is_shown_with_its_savings(qtbot, window):
    window.editor.messages.first_editor().setPlainText("gamma " * 1500)
    first = run_and_wait(qtbot, window)
    assert first.usage.cache_read_tokens == 0 and not window.counters.cache.isVisible()
    again = run_and_wait(qtbot, window)
    assert again.usage.cache_read_tokens == 1408  # 1024, then steps of 128
    # 1,408 tokens at $0.075 instead of $0.15 per million (gpt-4o-mini)
    assert window.counters.cache.text() == "cache: read 1,408 · saved $0.000106"
