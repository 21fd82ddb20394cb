"""Plan's saved workloads are files in the data folder, not the history: with a read-only history they
still save while their folder can be written; in a read-only folder they open, and Save says why not."""

from __future__ import annotations

import pytest

from tests.ui import read_only as opened
from tests.ui.conftest import show_built

pytestmark = pytest.mark.gui


@pytest.fixture
def read_only(qtbot, make_window, core, monkeypatch):
    yield from opened.refused_history(qtbot, make_window, core, monkeypatch)


@pytest.fixture
def read_only_folder(qtbot, make_window, tmp_path, memory_keyring, encodings):
    yield from opened.read_only_folder(qtbot, make_window, tmp_path, memory_keyring, encodings)


def test_plan_saves_workloads_while_their_folder_can_be_written(qtbot, read_only):
    show_built(qtbot, read_only, "Plan")
    page = read_only.tabs.plan
    bar = page.saved_bar
    qtbot.waitUntil(lambda: bar.combo.count() == 2, timeout=10_000)  # (not saved), support bot
    assert bar.save.isEnabled() and bar.save_as.isEnabled()
    page.form.name = ""
    with qtbot.waitSignal(page.savedChanged, timeout=10_000):
        page.save("nightly")
    assert "Saved as nightly" in page.status.text()


def test_plan_in_a_read_only_folder_opens_workloads_and_says_why_it_cannot_save(qtbot, read_only_folder):
    window = read_only_folder
    show_built(qtbot, window, "Plan")
    page = window.tabs.plan
    bar = page.saved_bar
    qtbot.waitUntil(lambda: bar.combo.count() == 2, timeout=10_000)
    bar.combo.setCurrentIndex(1)
    bar.combo.activated.emit(1)
    qtbot.waitUntil(lambda: page.form.name == "support bot", timeout=10_000)  # it loads
    qtbot.waitUntil(lambda: not bar.save.isEnabled(), timeout=10_000)
    for button in (bar.save, bar.save_as, bar.delete):
        assert not button.isEnabled() and "cannot be written" in button.toolTip()
    assert not bar.note.isHidden() and "cannot be written" in bar.note.text()
    assert window.tabs.load_problem() is None
