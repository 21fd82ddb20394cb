"""The calls as a table model that loads pages as the view scrolls (opens at once on a big history).

Each page is read and built into a Qt item model in the background (QStandardItemModel: its cells
are C++ objects); the model the view shows concatenates the pages. Painting a page then never calls
into Python. A Python table model was called three times per cell a paint drew (``multiData``, and
``rowCount`` and ``columnCount`` through ``index()``): ~40% of a scrolled page's GUI-thread time,
and each call took the GIL, so a paint while a page was being built waited for it ~900 times.
Only the newest request's answer is shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QConcatenateTablesProxyModel, QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel

from playground import formatting
from playground.history.filters import Filters
from playground.history.records import CallRecord
from playground.history.search_query import SearchPage
from ui.common.background import Background, Latest

if TYPE_CHECKING:
    from playground.history.calls import HistoryStore

PAGE = 200
COLUMNS = (
    "Time",
    "Endpoint",
    "Model",
    "Status",
    "Tokens in → out",
    "Cost",
    "First token",
    "Duration",
    "Tag",
    "Prompt",
)
# The proxy finds a cell's page by walking its sources from the first: with one level, 50 pages made a
# paint ~3 ms slower at the bottom. Groups of pages keep the walk short at any depth.
PAGES_PER_GROUP = 16
RIGHT_ALIGNED = (4, 5, 6, 7)  # the numbers
COST = 5  # its tooltip says where the price came from

_TIP = Qt.ItemDataRole.ToolTipRole
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
# a QAbstractTableModel's cells: selectable, not editable, not dragged
_FLAGS = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren


def cell(row: CallRecord, column: int, zone: str = "UTC") -> str:
    if column == 0:
        return row.started_in(zone)  # local time, like the day filters
    if column == 1:
        return row.endpoint
    if column == 2:
        return row.model
    if column == 3:
        return str(row.status)
    if column == 4:
        if row.unbilled:  # nothing reported: "0 → 0" read as counted by the provider
            return "–"
        return (
            f"{formatting.tokens(row.input_tokens, row.input_estimated)} → "
            f"{formatting.tokens(row.output_tokens, row.output_estimated)}"
        )
    if column == 5:
        if row.unbilled:  # "not billed" / "not sent", as the Playground's counter says, not "$0"
            return row.unbilled
        return formatting.usd(row.cost_usd, row.cost_estimated) if row.priced else "–"
    if column == 6:
        return formatting.millis(row.ttft_ms)
    if column == 7:
        return formatting.millis(row.duration_ms)
    if column == 8:
        return row.tag or ""
    text = (row.prompt or "").strip()
    return text.splitlines()[0][:120] if text else ""


LEFT_ALIGNED = tuple(c for c in range(len(COLUMNS)) if c not in RIGHT_ALIGNED)


def _prototype(alignment: int | None) -> QStandardItem:
    item = QStandardItem()
    item.setFlags(_FLAGS)
    if alignment is not None:
        item.setData(alignment, Qt.ItemDataRole.TextAlignmentRole)
    return item


@dataclass
class Page:
    """A page of calls, and its cells as shown."""

    rows: list[CallRecord]
    cells: QStandardItemModel
    resume: tuple[str, int] | None = None  # a search stopped here: older calls not searched yet


def page_of(rows: list[CallRecord], zone: str) -> Page:
    """Build a page's cells on the calling thread, a background one (formatting times and numbers and
    making ~2,000 cells take 10-20 ms), then hand them to the GUI thread that shows them."""
    cells = QStandardItemModel(len(rows), len(COLUMNS))
    index, set_data = cells.index, cells.setData
    # a cell is made as a copy of the model's prototype when first set: flags and alignment included
    for columns, alignment in ((RIGHT_ALIGNED, _RIGHT), (LEFT_ALIGNED, None)):
        cells.setItemPrototype(_prototype(alignment))
        for r, row in enumerate(rows):
            for c in columns:
                set_data(index(r, c), cell(row, c, zone))
    for r, row in enumerate(rows):
        if row.price_source is not None:
            set_data(index(r, COST), row.price_source, _TIP)
    app = QCoreApplication.instance()
    if app is not None:
        cells.moveToThread(app.thread())  # only the thread an object lives in can move it
    return Page(rows, cells, rows.resume if isinstance(rows, SearchPage) else None)


def write_row(
    model: QStandardItemModel | QConcatenateTablesProxyModel, r: int, row: CallRecord, zone: str
) -> None:
    """Show ``row`` (a masked call, or one revealed) in row ``r`` of ``model``."""
    for c in range(len(COLUMNS)):
        model.setData(model.index(r, c), cell(row, c, zone))
    model.setData(model.index(r, COST), row.price_source, _TIP)  # None: no tooltip


class HistoryModel(QConcatenateTablesProxyModel):
    pages_per_group = PAGES_PER_GROUP
    loaded = Signal()  # the first page of the current filters is shown
    failed = Signal(str)  # a page could not be read: why

    def __init__(self, background: Background | None = None, parent=None):
        super().__init__(parent)
        self._latest = Latest(background) if background is not None else None
        self._store: HistoryStore | None = None
        self._filters = Filters()
        # The first source holds no calls: the column titles, and the ten columns while no page shows.
        self._titles = QStandardItemModel(0, len(COLUMNS), self)
        self._titles.setHorizontalHeaderLabels(list(COLUMNS))
        self._titles.invisibleRootItem().setFlags(Qt.ItemFlag.NoItemFlags)  # a table model's, off cells
        self.addSourceModel(self._titles)
        self._groups: list[QConcatenateTablesProxyModel] = []  # the pages, PAGES_PER_GROUP to a group
        self._pages = 0
        self._rows: list[CallRecord] = []
        self._masked: set[int] = set()  # rows whose cells show the masked record
        self._more = False
        self._resume: tuple[str, int] | None = None  # where a search stopped at its time bound
        self._wanted = 0  # rows the current read gathers before it waits for the view to scroll
        self._loading = False
        self._mask: Callable[[CallRecord], CallRecord] = lambda row: row

    def set_mask(self, mask: Callable[[CallRecord], CallRecord]) -> None:
        """Blind comparisons: ``mask`` hides a call's model and cost until the vote (ui/compare/blind.py)."""
        self._mask = mask
        self.remask()

    def remask(self) -> None:
        """Rewrite the rows whose mask changed (a vote reveals, a blind run hides): only those rows, on
        the GUI thread; checking the mask is a set lookup, and a page holds few blind calls."""
        zone = self._filters.zone
        for i, row in enumerate(self._rows):
            masked = self._mask(row)
            if masked is not row:
                self._masked.add(i)
                write_row(self, i, masked, zone)
            elif i in self._masked:  # revealed: the cells show the masked record
                self._masked.discard(i)
                write_row(self, i, row, zone)

    def _shown(self, page: Page, first: int) -> list[CallRecord]:
        """The page's calls as shown from row ``first`` on. A masked call is left out when a model or
        endpoint filter would tell which is which, else its cells are rewritten masked."""
        masked = [i for i, row in enumerate(page.rows) if self._mask(row) is not row]
        if not masked:
            return page.rows
        if self._filters.endpoint or self._filters.model:
            for i in reversed(masked):
                page.cells.removeRow(i)
            left_out = set(masked)
            return [row for i, row in enumerate(page.rows) if i not in left_out]
        for i in masked:
            write_row(page.cells, i, self._mask(page.rows[i]), self._filters.zone)
            self._masked.add(first + i)
        return page.rows

    @property
    def loading(self) -> bool:
        return self._loading

    def set_source(self, store: HistoryStore | None, filters: Filters) -> None:
        """Show the first page of ``filters`` once read (earlier requests still running are dropped)."""
        self._store = store
        self._filters = filters
        self._title_time(filters.zone)
        if store is None or self._latest is None:
            self._show(Page([], QStandardItemModel(0, len(COLUMNS))))
            return
        self._loading = True
        self._read(None, self._show)

    def _read(self, after: tuple[str, int] | None, then: Callable[[Page], None]) -> None:
        store, filters = self._store, self._filters
        if self._latest is not None and store is not None:
            self._latest.submit(
                lambda: page_of(store.page(filters, after=after, limit=PAGE), filters.zone),
                then,
                self._failed,
            )

    def _title_time(self, zone: str) -> None:
        """The Time column names its zone: a call at 08:00 UTC read "00:00:00" in Los Angeles with no
        word of which clock (the detail says UTC)."""
        horizontal = Qt.Orientation.Horizontal
        self._titles.setHeaderData(0, horizontal, "Time (UTC)" if zone == "UTC" else "Time (local)")
        tip = f"When the call started, in {zone} (Settings ▸ General ▸ Time zone)"
        self._titles.setHeaderData(0, horizontal, tip, _TIP)

    def _show(self, page: Page) -> None:
        if not page.rows and page.resume is not None:  # none in the newest calls searched: search on
            self._read(page.resume, self._show)  # (the rows shown stay until then, as for any read)
            return
        self.beginResetModel()
        # The views read everything again at the reset's end: the pages' removal need not be told
        # row by row (each would be a removal for the view and the selection to follow).
        self.blockSignals(True)
        try:
            for group in self._groups:
                self.removeSourceModel(group)
            self._groups, self._pages = [], 0
            self._more = len(page.rows) == PAGE or page.resume is not None  # before masked calls are left out
            self._resume, self._wanted = page.resume, PAGE - len(page.rows)
            self._masked = set()
            self._rows = list(self._shown(page, 0))
            if self._rows:
                self._add(page.cells)
        finally:
            self.blockSignals(False)
        self._loading = False
        self.endResetModel()
        self.loaded.emit()
        self._search_on()

    def _search_on(self) -> None:
        """A search stopped at its time bound before the page was full: read on from where it stopped
        (each read bounded, and dropped as soon as the filters change)."""
        if self._resume is not None and self._wanted > 0:
            self._loading = True
            self._read(self._resume, self._append)

    def _failed(self, exc: BaseException) -> None:
        self._loading = False
        self._more = False  # no retry loop from the view's fetchMore
        self.failed.emit(str(exc))

    def row(self, index: int) -> CallRecord:
        return self._mask(self._rows[index])

    def canFetchMore(self, parent: QModelIndex) -> bool:
        return not parent.isValid() and self._more and not self._loading and self._store is not None

    def fetchMore(self, parent: QModelIndex) -> None:
        if self._latest is None or self._store is None or not (self._rows or self._resume):
            return
        self._loading = True
        self._wanted = PAGE
        self._read(self._resume or self._rows[-1].cursor, self._append)

    def _append(self, page: Page) -> None:
        self._loading = False
        self._more = len(page.rows) == PAGE or page.resume is not None
        self._resume, self._wanted = page.resume, self._wanted - len(page.rows)
        rows = self._shown(page, len(self._rows))
        if rows:
            self._rows.extend(rows)
            self._add(page.cells)  # the page's rows inserted at once, below those shown
        self._search_on()

    def _add(self, cells: QStandardItemModel) -> None:
        """Show a page's cells below the rows shown (its group owns them from now on)."""
        if self._pages % self.pages_per_group:
            cells.setParent(self._groups[-1])
            self._groups[-1].addSourceModel(cells)
        else:
            group = QConcatenateTablesProxyModel()
            cells.setParent(group)
            group.addSourceModel(cells)  # first: an empty group has no columns, and would take the table's
            self._groups.append(group)
            self.addSourceModel(group)
        self._pages += 1
