"""The calls table's model: its cells are built off the GUI thread as Qt items, and read as the
Python table model showed them (text, alignment, tooltip, flags); pages are added below in groups,
new filters start over, and blind calls stay masked until the vote."""

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import QModelIndex, Qt

from playground.history.filters import Filters
from playground.history.records import CallRecord, CallStatus
from ui.common.background import Background
from ui.history.model import COLUMNS, PAGE, HistoryModel, page_of

pytestmark = pytest.mark.gui

START = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
KNOWN = CallRecord(
    id=1,
    started_at=START,
    ended_at=START + timedelta(seconds=4),
    endpoint="openai",
    api="chat",
    base_url=None,
    model="gpt-4o",
    params={},
    system=None,
    messages=[{"role": "user", "content": "Summarize the walrus report\nin one line"}],
    prompt="  Summarize the walrus report\nin one line",
    output="ok",
    reasoning=None,
    finish_reason="stop",
    status=CallStatus.OK,
    error_kind=None,
    error_message=None,
    input_tokens=12345,
    input_estimated=False,
    output_tokens=678,
    output_estimated=True,
    cache_read_tokens=None,
    cache_write_tokens=None,
    reasoning_tokens=None,
    cost_usd=Decimal("0.0123"),
    cost_input_usd=None,
    cost_output_usd=None,
    cost_estimated=False,
    price_source="openai list price",
    ttft_ms=250.0,
    duration_ms=4321.0,
    tokens_per_s=None,
    group_id=None,
    tag="keep",
    retries=None,
    pid=None,
    compare_column=None,
    compare_repeat=None,
    cost_pusd=None,
    uid=None,
)
# what the table showed for KNOWN before its cells became Qt items (the Python model's data())
KNOWN_TEXT = [
    "2026-03-04 05:06:07",
    "openai",
    "gpt-4o",
    "ok",
    "12,345 → ~678",
    "$0.0123",
    "250 ms",
    "4.3 s",
    "keep",
    "Summarize the walrus report",
]
TABLE_FLAGS = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
ROLES_NOT_SERVED = (
    Qt.ItemDataRole.DecorationRole,
    Qt.ItemDataRole.FontRole,
    Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.CheckStateRole,
    Qt.ItemDataRole.StatusTipRole,
    Qt.ItemDataRole.SizeHintRole,
)


def calls(count: int) -> list[CallRecord]:
    """``count`` calls, newest first, each naming itself in its prompt."""
    return [
        replace(KNOWN, id=i, started_at=START - timedelta(minutes=i), prompt=f"call {i}")
        for i in range(1, count + 1)
    ]


class Store:
    """A history's pages as the store gives them (newest first, after a cursor)."""

    def __init__(self, rows: list[CallRecord]):
        self.rows = rows

    def page(self, filters: Filters, after=None, limit: int = PAGE) -> list[CallRecord]:
        rows = [r for r in self.rows if not filters.model or r.model == filters.model]
        if after is not None:
            rows = [r for r in rows if r.cursor < after]
        return rows[:limit]


@pytest.fixture
def model(qtbot):
    background = Background()
    yield HistoryModel(background)
    background.shutdown()


def show(qtbot, model: HistoryModel, store: Store, filters: Filters | None = None) -> None:
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.set_source(store, filters or Filters())  # type: ignore[arg-type]


def more(qtbot, model: HistoryModel) -> None:
    rows = model.rowCount()
    model.fetchMore(QModelIndex())
    qtbot.waitUntil(lambda: model.rowCount() > rows, timeout=5000)


def texts(model: HistoryModel, row: int) -> list[str]:
    return [model.index(row, c).data() for c in range(len(COLUMNS))]


def test_a_calls_cells_read_as_the_table_showed_them(qtbot, model):
    show(qtbot, model, Store([KNOWN, replace(KNOWN, id=2, price_source=None)]))
    assert model.rowCount() == 2 and model.columnCount() == len(COLUMNS)
    assert texts(model, 0) == KNOWN_TEXT
    for c in range(len(COLUMNS)):
        index = model.index(0, c)
        assert index.data(Qt.ItemDataRole.TextAlignmentRole) == (RIGHT if c in (4, 5, 6, 7) else None)
        assert index.data(Qt.ItemDataRole.ToolTipRole) == ("openai list price" if c == 5 else None)
        assert all(index.data(role) is None for role in ROLES_NOT_SERVED)
        assert model.flags(index) == TABLE_FLAGS  # selectable, never edited
    assert model.index(1, 5).data(Qt.ItemDataRole.ToolTipRole) is None  # no price source, no tooltip
    assert model.index(1, 5).data() == "–"  # unpriced
    header = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(COLUMNS))]
    assert header == ["Time (UTC)", *COLUMNS[1:]]  # the filters' zone, UTC here


def test_a_page_is_built_off_the_gui_thread_and_handed_to_it(qapp):
    built = []
    worker = threading.Thread(target=lambda: built.append(page_of(calls(3), "UTC")))
    worker.start()
    worker.join()
    (page,) = built
    assert page.cells.thread() is qapp.thread()
    assert page.cells.index(2, 9).data() == "call 3" and page.cells.rowCount() == 3


def test_pages_are_added_below_in_groups_each_at_once(qtbot, model):
    model.pages_per_group = 2
    store = Store(calls(PAGE * 5 + 7))
    show(qtbot, model, store)
    inserted = []
    model.rowsInserted.connect(lambda parent, first, last: inserted.append((first, last)))
    for _ in range(5):  # into the first group, then two more groups
        more(qtbot, model)
    assert not model.canFetchMore(QModelIndex())  # the last page was short: nothing more below
    assert model.rowCount() == len(store.rows) and len(model._groups) == 3
    assert inserted == [(PAGE * n, PAGE * (n + 1) - 1) for n in range(1, 5)] + [(PAGE * 5, PAGE * 5 + 6)]
    for row in (0, PAGE - 1, PAGE, 2 * PAGE, 4 * PAGE + 3, len(store.rows) - 1):
        assert texts(model, row)[9] == f"call {row + 1}" and model.row(row).id == row + 1


def test_new_filters_start_over_in_one_reset(qtbot, model):
    store = Store(calls(PAGE * 3))
    show(qtbot, model, store)
    more(qtbot, model)
    more(qtbot, model)
    signals = []
    model.modelReset.connect(lambda: signals.append("reset"))
    model.rowsRemoved.connect(lambda *_: signals.append("removed"))
    store.rows = calls(5)
    show(qtbot, model, store)
    assert signals == ["reset"] and model.rowCount() == 5 and texts(model, 4)[9] == "call 5"
    store.rows = []
    show(qtbot, model, store)
    assert model.rowCount() == 0 and model.columnCount() == len(COLUMNS)  # the titles stay


def test_blind_calls_are_masked_until_the_vote(qtbot, model):
    hidden = {2}
    model.set_mask(lambda row: replace(row, model="Model A", cost_usd=None) if row.id in hidden else row)
    store = Store(calls(3))
    show(qtbot, model, store)
    assert [texts(model, r)[2] for r in range(3)] == ["gpt-4o", "Model A", "gpt-4o"]
    assert texts(model, 1)[5] == "unknown" and model.row(1).model == "Model A"
    hidden.clear()  # the vote reveals
    model.remask()
    assert texts(model, 1)[2] == "gpt-4o" and texts(model, 1)[5] == "$0.0123"
    hidden.add(3)
    show(qtbot, model, store, Filters(model="gpt-4o"))  # a model filter would tell which is which
    assert [model.row(r).id for r in range(model.rowCount())] == [1, 2]


def test_the_time_column_names_its_zone(qtbot):
    """A call at 08:00 UTC read "00:00:00" under a bare "Time" in Los Angeles."""
    model = HistoryModel()
    horizontal = Qt.Orientation.Horizontal
    model.set_source(None, Filters(zone="America/Los_Angeles"))
    assert model.headerData(0, horizontal) == "Time (local)"
    assert "America/Los_Angeles" in model.headerData(0, horizontal, Qt.ItemDataRole.ToolTipRole)
    model.set_source(None, Filters(zone="UTC"))
    assert model.headerData(0, horizontal) == "Time (UTC)"
    assert [model.headerData(c, horizontal) for c in range(1, len(COLUMNS))] == list(COLUMNS[1:])
