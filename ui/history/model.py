"""The calls as a table model that loads pages as the view scrolls (opens at once on a big history).
Pages are read in the background; only the newest request's answer is shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal

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


class HistoryModel(QAbstractTableModel):
    loaded = Signal()  # the first page of the current filters is shown
    failed = Signal(str)  # a page could not be read: why

    def __init__(self, background: Background | None = None, parent=None):
        super().__init__(parent)
        self._latest = Latest(background) if background is not None else None
        self._store: HistoryStore | None = None
        self._filters = Filters()
        self._rows: list[CallRecord] = []
        self._more = False
        self._loading = False
        self._mask: Callable[[CallRecord], CallRecord] = lambda row: row

    def set_mask(self, mask: Callable[[CallRecord], CallRecord]) -> None:
        """Blind comparisons: ``mask`` hides a call's model and cost until the vote (ui/compare/blind.py)."""
        self._mask = mask
        self.remask()

    def remask(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1))

    def _unmasked_if_narrowed(self, rows: list[CallRecord]) -> list[CallRecord]:
        """A model or endpoint filter would tell which masked call is which: leave those out."""
        if not (self._filters.endpoint or self._filters.model):
            return rows
        return [r for r in rows if self._mask(r) is r]

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
        self._latest.submit(lambda: store.page(filters, limit=PAGE), self._show, self._failed)

    def _show(self, rows: list[CallRecord]) -> None:
        self.beginResetModel()
        self._rows = self._unmasked_if_narrowed(rows)
        self._more = len(rows) == PAGE
        self._loading = False
        self.endResetModel()
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self._loading = False
        self.failed.emit(str(exc))

    def row(self, index: int) -> CallRecord:
        return self._mask(self._rows[index])

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return cell(row, index.column(), self._filters.zone)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 5:
            return row.price_source
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (4, 5, 6, 7):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

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
            lambda: store.page(filters, after=last.cursor, limit=PAGE),
            self._append,
            self._failed,
        )

    def _append(self, more: list[CallRecord]) -> None:
        self._loading = False
        self._more = len(more) == PAGE
        more = self._unmasked_if_narrowed(more)
        if more:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()
