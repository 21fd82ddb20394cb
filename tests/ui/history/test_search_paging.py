"""The History view on a search page that stopped at its time bound: it reads on by itself, says
"No calls match" only once every call was searched, and a newer search drops the old one's reads."""

from datetime import UTC, datetime

import pytest

from playground.history import search
from playground.history.filters import Filters
from tests.playground.history.known_history import fill
from tests.playground.history.test_search_prefix_cjk import record
from tests.ui.conftest import off_gui
from tests.ui.history.shown import history_view
from ui.common.background import Background
from ui.history.model import PAGE

pytestmark = pytest.mark.gui


@pytest.fixture
def view(qtbot, core, monkeypatch):

    monkeypatch.setattr(search, "BUDGET_S", 0.0)  # every search page stops after its first chunk
    monkeypatch.setattr(search, "CHUNK", 20)
    record(core, [("今天天气很好", "晴"), ("天气预报", "")], start=datetime(2025, 6, 1, tzinfo=UTC))
    fill(core, calls=PAGE + 50)  # newer calls without Chinese: the first chunks find nothing
    record(core, [("明天天气", "")], start=datetime(2026, 6, 1, tzinfo=UTC))
    background = Background()
    v = history_view(qtbot, core, background)
    qtbot.waitUntil(lambda: v.model_.rowCount() == PAGE and not v.model_.loading, timeout=10_000)
    yield v
    background.shutdown()


def shown(view):
    return [view.model_.row(i).prompt for i in range(view.model_.rowCount())]


def test_a_stopped_search_reads_on_to_every_match(qtbot, view, core):
    first = off_gui(lambda: core.history.page(Filters(search="天气"), limit=PAGE))
    assert first.resume is not None and len(first) < PAGE  # the page stopped at the bound
    loaded = []
    view.model_.loaded.connect(lambda: loaded.append(shown(view)))
    view.search.setText("天气")
    qtbot.waitUntil(lambda: shown(view) == ["明天天气", "天气预报", "今天天气很好"], timeout=10_000)
    qtbot.waitUntil(lambda: not view.model_.loading, timeout=10_000)
    assert loaded == [["明天天气"]] and not view.model_.canFetchMore(view.model_.index(-1, -1))
    qtbot.waitUntil(lambda: view.totals.totals is not None and view.totals.totals.calls == 3, timeout=10_000)


def test_no_match_is_said_only_once_every_call_was_searched(qtbot, view, monkeypatch):
    read = []
    real = search.scan_page
    monkeypatch.setattr(search, "scan_page", lambda *a: read.append(page := real(*a)) or page)
    loaded = []
    view.model_.loaded.connect(lambda: loaded.append((view.model_.rowCount(), read[-1].resume)))
    view.search.setText("晚安")
    qtbot.waitUntil(lambda: bool(loaded), timeout=10_000)
    assert loaded == [(0, None)] and len(read) > 1  # shown once the last bounded page was read
    assert not view.model_.loading and "No calls match" in view.empty.text()
    assert view.rows_or_empty.currentWidget() is view.empty


def test_a_newer_search_drops_the_older_ones_reads(qtbot, view):
    view.search.setText("晚安")  # reads on for a while, page after page
    qtbot.waitUntil(lambda: view.model_.loading, timeout=5000)
    view.search.setText("天气预")
    qtbot.waitUntil(lambda: shown(view) == ["天气预报"] and not view.model_.loading, timeout=10_000)
    qtbot.wait(200)
    assert shown(view) == ["天气预报"]


def test_a_space_after_the_last_word_ends_it(qtbot, view):
    view.search.setText("walru")  # being typed: the start of "walrus"
    qtbot.waitUntil(lambda: view.model_.rowCount() > 0 and view.filters().search == "walru", timeout=10_000)
    view.search.setText("walru ")  # a finished word: no call has it
    qtbot.waitUntil(lambda: view.rows_or_empty.currentWidget() is view.empty, timeout=10_000)
    assert view.filters().search == "walru " and "No calls match" in view.empty.text()
