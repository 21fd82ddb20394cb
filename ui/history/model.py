"""The calls as a table model that loads pages as the view scrolls (opens at once on a big history)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from playground import formatting
from playground.history.filters import Filters

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


def cell(row: dict[str, Any], column: int) -> str:
    if column == 0:
        return (row["started_at"] or "")[:19].replace("T", " ")
    if column == 1:
        return row["endpoint"]
    if column == 2:
        return row["model"]
    if column == 3:
        return row["status"]
    if column == 4:
        return (
            f"{formatting.tokens(row['input_tokens'], bool(row['input_estimated']))} → "
            f"{formatting.tokens(row['output_tokens'], bool(row['output_estimated']))}"
        )
    if column == 5:
        return formatting.usd(row["cost_usd"], bool(row["cost_estimated"])) if row["price_source"] else "–"
    if column == 6:
        return formatting.millis(row["ttft_ms"])
    if column == 7:
        return formatting.millis(row["duration_ms"])
    if column == 8:
        return row["tag"] or ""
    text = (row["prompt"] or "").strip()
    return text.splitlines()[0][:120] if text else ""


class HistoryModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._store = None
        self._filters = Filters()
        self._rows: list[dict[str, Any]] = []
        self._more = False

    def set_source(self, store, filters: Filters) -> None:
        self.beginResetModel()
        self._store = store
        self._filters = filters
        self._rows = store.page(filters, limit=PAGE) if store else []
        self._more = len(self._rows) == PAGE
        self.endResetModel()

    def row(self, index: int) -> dict[str, Any]:
        return self._rows[index]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 5:
            return row["price_source"]
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
        return not parent.isValid() and self._more and self._store is not None

    def fetchMore(self, parent: QModelIndex) -> None:
        last = self._rows[-1]
        more = self._store.page(self._filters, after=(last["started_at"], last["id"]), limit=PAGE)
        self._more = len(more) == PAGE
        if more:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()
