"""The calls as a table model that loads pages as the view scrolls (opens at once on a big history).
Pages are read and their cells formatted in the background; painting only reads that cache, and
only the newest request's answer is shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QModelRoleDataSpan, Qt, Signal

from playground import formatting
from playground.history.filters import Filters
from playground.history.records import CallRecord
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


_DISPLAY, _ALIGN, _TIP = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.ToolTipRole,
)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


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
        return (
            f"{formatting.tokens(row.input_tokens, row.input_estimated)} → "
            f"{formatting.tokens(row.output_tokens, row.output_estimated)}"
        )
    if column == 5:
        return formatting.usd(row.cost_usd, row.cost_estimated) if row.priced else "–"
    if column == 6:
        return formatting.millis(row.ttft_ms)
    if column == 7:
        return formatting.millis(row.duration_ms)
    if column == 8:
        return row.tag or ""
    text = (row.prompt or "").strip()
    return text.splitlines()[0][:120] if text else ""


Rendered = tuple[CallRecord, tuple[str, ...]]


def rendered(rows: list[CallRecord], zone: str) -> list[Rendered]:
    """Each row with its cells as shown (built off the GUI thread: time zones and numbers cost)."""
    return [(row, tuple(cell(row, c, zone) for c in range(len(COLUMNS)))) for row in rows]


class HistoryModel(QAbstractTableModel):
    loaded = Signal()  # the first page of the current filters is shown
    failed = Signal(str)  # a page could not be read: why

    def __init__(self, background: Background | None = None, parent=None):
        super().__init__(parent)
        self._latest = Latest(background) if background is not None else None
        self._store: HistoryStore | None = None
        self._filters = Filters()
        self._rows: list[CallRecord] = []
        self._cells: list[tuple[str, ...]] = []
        self._masked: set[int] = set()  # rows whose cached cells show the masked record
        self._more = False
        self._loading = False
        self._mask: Callable[[CallRecord], CallRecord] = lambda row: row

    def set_mask(self, mask: Callable[[CallRecord], CallRecord]) -> None:
        """Blind comparisons: ``mask`` hides a call's model and cost until the vote (ui/compare/blind.py)."""
        self._mask = mask
        self.remask()

    def remask(self) -> None:
        """Re-render the rows whose mask changed (a vote reveals, a blind run hides): only those rows,
        on the GUI thread; checking the mask is a set lookup, and a page holds few blind calls."""
        for i, row in enumerate(self._rows):
            if i in self._masked or self._mask(row) is not row:
                self._cells[i] = self._masked_cells(i, row, self._cells[i])
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1))

    def _masked_cells(self, i: int, row: CallRecord, cells: tuple[str, ...]) -> tuple[str, ...]:
        """Row ``i``'s cells as shown: the cached ones, or rendered from its masked record."""
        masked = self._mask(row)
        if masked is row:
            if i in self._masked:  # revealed: the cache holds the masked text
                self._masked.discard(i)
                return tuple(cell(row, c, self._filters.zone) for c in range(len(COLUMNS)))
            return cells
        self._masked.add(i)
        return tuple(cell(masked, c, self._filters.zone) for c in range(len(COLUMNS)))

    def _unmasked_if_narrowed(self, rows: list[Rendered]) -> list[Rendered]:
        """A model or endpoint filter would tell which masked call is which: leave those out."""
        if not (self._filters.endpoint or self._filters.model):
            return rows
        return [(r, cells) for r, cells in rows if self._mask(r) is r]

    @property
    def loading(self) -> bool:
        return self._loading

    def set_source(self, store: HistoryStore | None, filters: Filters) -> None:
        """Show the first page of ``filters`` once read (earlier requests still running are dropped)."""
        self._store = store
        self._filters = filters
        if store is None or self._latest is None:
            self._show([])
            return
        self._loading = True
        self._latest.submit(
            lambda: rendered(store.page(filters, limit=PAGE), filters.zone), self._show, self._failed
        )

    def _show(self, rows: list[Rendered]) -> None:
        self.beginResetModel()
        self._more = len(rows) == PAGE  # counted before masked calls are left out
        rows = self._unmasked_if_narrowed(rows)
        self._masked = set()
        self._rows = [row for row, _ in rows]
        self._cells = [self._masked_cells(i, row, cells) for i, (row, cells) in enumerate(rows)]
        self._loading = False
        self.endResetModel()
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self._loading = False
        self._more = False  # no retry loop from the view's fetchMore
        self.failed.emit(str(exc))

    def row(self, index: int) -> CallRecord:
        return self._mask(self._rows[index])

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Read from the cache only: painting a page must fit in a frame."""
        if role == _DISPLAY:
            return self._cells[index.row()][index.column()]
        if role == _ALIGN:
            return _RIGHT if index.column() in (4, 5, 6, 7) else None
        if role == _TIP and index.column() == 5:
            return self.row(index.row()).price_source
        return None

    def multiData(self, index: QModelIndex, roles: QModelRoleDataSpan) -> None:
        """Every role a cell paints with in one call (the item delegate asks for about ten per cell:
        one Python call each would not fit a scrolled page in a frame)."""
        row, column = index.row(), index.column()
        for i in range(roles.size()):
            slot = roles[i]  # type: ignore[index]  # PySide6 indexes a span; its stubs do not say so
            role = slot.role()
            if role == _DISPLAY:
                slot.setData(self._cells[row][column])
            elif role == _ALIGN and column in (4, 5, 6, 7):
                slot.setData(_RIGHT)
            elif role == _TIP and column == 5:
                slot.setData(self.row(row).price_source)
            else:
                slot.clearData()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def canFetchMore(self, parent: QModelIndex) -> bool:
        return not parent.isValid() and self._more and not self._loading and self._store is not None

    def fetchMore(self, parent: QModelIndex) -> None:
        store, filters = self._store, self._filters
        if self._latest is None or store is None or not self._rows:
            return
        last = self._rows[-1]
        self._loading = True
        self._latest.submit(
            lambda: rendered(store.page(filters, after=last.cursor, limit=PAGE), filters.zone),
            self._append,
            self._failed,
        )

    def _append(self, more: list[Rendered]) -> None:
        self._loading = False
        self._more = len(more) == PAGE
        more = self._unmasked_if_narrowed(more)
        if more:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
            first = len(self._rows)
            self._rows.extend(row for row, _ in more)
            self._cells.extend(
                self._masked_cells(first + i, row, cells) for i, (row, cells) in enumerate(more)
            )
            self.endInsertRows()
