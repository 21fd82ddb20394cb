"""The History view on a known history: totals under the table, date presets, search and scrolling,
and the What-if dialog (progress, breakdown, cancel), all with no SQL on the GUI thread."""

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import QModelIndex

from playground.history.filters import DatePreset, Filters
from playground.pricing.money import Money
from tests.playground.history.known_history import fill
from tests.ui.conftest import off_gui
from tests.ui.history.shown import history_view
from ui.common.background import Background
from ui.history.model import PAGE
from ui.history.totals import totals_text

pytestmark = pytest.mark.gui


@pytest.fixture
def view(qtbot, core):

    fill(core, calls=PAGE + 150)  # more than a page: scrolling reads the rest
    background = Background()
    v = history_view(qtbot, core, background)
    yield v
    background.shutdown()


def all_rows(core, filters):
    rows, after = [], None
    while page := core.history.page(filters, after=after, limit=100):
        rows += page
        after = page[-1].cursor
    return rows


def test_totals_under_the_table_follow_the_filters(qtbot, view, core):
    qtbot.waitUntil(lambda: view.totals.totals is not None and view.model_.rowCount() > 0, timeout=5000)
    rows = off_gui(lambda: all_rows(core, view.filters()))
    shown = view.totals.totals
    assert shown.calls == len(rows) == PAGE + 150 and view.model_.rowCount() == PAGE  # not just one page
    finished = [r for r in rows if r.status != "running"]
    assert shown.cost == Money.of_costs(r.cost_usd for r in finished) and shown.cost.unpriced > 0
    running = len(rows) - len(finished)
    assert shown.running == running > 0
    assert view.totals.text() == totals_text(shown) and "unpriced" in view.totals.text()
    assert view.totals.text().endswith(f" · {running} running (not costed yet)")
    view.model.setCurrentText("m")  # never priced: unknown, never $0
    qtbot.waitUntil(lambda: view.totals.totals.calls < PAGE, timeout=5000)
    assert "unknown" in view.totals.text() and "$0" not in view.totals.text()


def test_a_preset_filters_local_days(qtbot, view, core):
    view.dates._today = lambda: date(2026, 1, 31)  # a fixed clock; the known history starts 2026-01-01
    view.dates.set_preset(DatePreset.THIS_MONTH)
    filters = view.filters()
    assert (filters.since, filters.until) == ("2026-01-01", "2026-01-31")
    expected = off_gui(lambda: core.history.totals(filters))
    qtbot.waitUntil(lambda: view.totals.totals == expected, timeout=5000)
    assert 0 < expected.calls < PAGE + 150
    view.dates.until.setDate(date(2026, 1, 3))  # a picked day makes the range custom
    assert view.dates.current() is DatePreset.CUSTOM and view.filters().until == "2026-01-03"


def test_search_and_scroll_read_in_the_background(qtbot, view, core):
    qtbot.waitUntil(lambda: view.model_.rowCount() == PAGE, timeout=5000)
    view.model_.fetchMore(QModelIndex())  # the guard fails the test if this ran SQL here
    qtbot.waitUntil(lambda: view.model_.rowCount() == PAGE + 150, timeout=5000)
    view.search.setText("walrus")
    expected = off_gui(lambda: all_rows(core, Filters(search="walrus")))
    qtbot.waitUntil(lambda: view.totals.totals and view.totals.totals.calls == len(expected), timeout=5000)
    qtbot.waitUntil(lambda: view.model_.rowCount() == min(len(expected), PAGE), timeout=5000)
    assert [view.model_.row(i).id for i in range(view.model_.rowCount())] == [r.id for r in expected][:PAGE]


def test_what_if_dialog_breaks_down_per_model_and_cancels(qtbot, view, core):
    view.ask_what_if()
    dialog = view.whatif_dialog
    assert dialog.progress.isHidden() and "tick the models" in dialog.status.text()  # what to do first
    qtbot.waitUntil(lambda: dialog.targets.count() > 1, timeout=10_000)
    dialog.search.setText("gpt-4o-mini")
    visible = [dialog.targets.item(i) for i in range(dialog.targets.count())]
    assert all("gpt-4o-mini" in i.text() for i in visible if not i.isHidden())
    dialog.check(("openai", "gpt-4o-mini"))
    with qtbot.waitSignal(dialog.finished_breakdown, timeout=10_000) as done:
        dialog.run()
    result = done.args[0]
    assert not result.cancelled and result.calls == PAGE + 150
    assert not dialog.progress.isHidden()
    assert dialog.progress.value() == dialog.progress.maximum() == PAGE + 150
    assert dialog.progress.text() == f"{PAGE + 150:,} of {PAGE + 150:,} calls"  # it read "331 of 350"
    sources = {line.source for line in result.lines}
    assert dialog.table.rowCount() == len(result.lines) + 2  # one per model and target, and two totals
    assert {"openai / gpt-4o", "e / m"} <= {dialog.table.item(r, 0).text() for r in range(len(sources) * 2)}
    # cancel: the pricing stops at the next group and says what it covered
    dialog._source = replace(dialog._source, groups=lambda: slow_groups(view._store))
    with qtbot.waitSignal(dialog.finished_breakdown, timeout=10_000) as stopped:
        dialog.run()
        qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=5000)
        dialog.cancel_button.click()
    assert stopped.args[0].cancelled and "Cancelled after" in dialog.status.text()
    assert stopped.args[0].calls < PAGE + 150


def slow_groups(store):
    """The real groups, slowly (so Cancel lands mid-way); read on the pricing thread."""
    import time

    from playground.history.usage_sums import UsageGroup

    rows = store.page(Filters(), limit=1000)
    for row in rows:
        time.sleep(0.01)
        yield UsageGroup.of(row)


def test_a_scrolled_page_is_laid_out_in_the_pass_it_arrives(qtbot, view):
    """Laid out later (Qt's delayed layout), the new rows cost a second whole-table paint in the same
    event-loop pass: over a frame on a big history. Here the scroll range spans them at once."""
    qtbot.waitUntil(lambda: view.model_.rowCount() == PAGE, timeout=5000)
    bar = view.table.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=5000)
    before, seen = bar.maximum(), []
    view.model_.rowsInserted.connect(lambda *_: seen.append(bar.maximum()))  # after the view's own slot
    view.model_.fetchMore(QModelIndex())
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen[0] > before


def test_the_totals_line_says_how_much_of_the_cost_is_estimated(qtbot, core):
    """A stopped call and a cut stream are costed from counted tokens: the line says how much."""
    from datetime import UTC, datetime, timedelta
    from decimal import Decimal

    from playground.history.calls import CallEnd, CallStart
    from playground.llm.request import Request

    calls = [  # (status, cost or None, cost estimated)
        ("ok", "1.50", False),
        ("ok", "1.80", False),
        ("cancelled", "0.05", True),
        ("error", "0.0125", True),
        ("ok", None, False),
        ("ok", None, False),
    ]
    start = datetime.now(UTC) - timedelta(hours=7)

    def write() -> None:
        for i, (status, cost, estimated) in enumerate(calls):
            call = core.history.start_call(
                CallStart(
                    Request.single("e", "m", "p"), "openai", None, {}, started_at=start + timedelta(hours=i)
                )
            )
            cost_usd = None if cost is None else Decimal(cost)
            end = CallEnd(
                status, input_tokens=100, output_tokens=10, cost_usd=cost_usd, cost_estimated=estimated
            )
            core.history.finish_call(call, end)

    off_gui(write)
    priced = sum((Decimal(c) for _, c, _ in calls if c is not None), Decimal(0))
    estimated = sum((Decimal(c) for _, c, e in calls if e), Decimal(0))
    background = Background()
    view = history_view(qtbot, core, background)
    qtbot.waitUntil(
        lambda: view.totals.totals is not None and view.totals.totals.calls == len(calls), timeout=5000
    )
    assert view.totals.text() == (
        f"6 calls · 600 in → 60 out tokens · at least ${priced:.2f} (~${estimated}"
        " estimated) · 2 calls unpriced"
    )
    background.shutdown()
