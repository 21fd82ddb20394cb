"""The per-model table for the range: sortable by any column's value (not its text), a row per model."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from playground import formatting
from playground.history.rollups import BUCKET_ACCURACY
from playground.spend.overview import ModelRow

HEADERS = (
    "Model",
    "Calls",
    "Errors",
    "Tokens in",
    "Tokens out",
    "Cached",
    "Reasoning",
    "Cost",
    "Share",
    "p50 duration",
    "p95 duration",
    "p50 first token",
    "Tokens/s",
)
SORT = Qt.ItemDataRole.UserRole + 1
COST = HEADERS.index("Cost")


APPROX = (
    "~ : the nearest-rank percentile (the shortest time with at least that share of the successful "
    "calls at or below it), read from latency histograms whose buckets are 10 % wide: within "
    f"{BUCKET_ACCURACY * 100:.1f} % of the exact figure"
)
SPEED = (
    "Output tokens per second after the first token, as Playground, Compare and History show per call, "
    "over the calls that produced output: their output tokens ÷ their time from first token to end"
)


def _ms(value: float | None) -> str:
    """A percentile from the histograms: marked approximate, in the unit a person would say."""
    if value is None:
        return "–"
    return "~" + formatting.millis(value)


def _two_lines(name: str) -> str:
    head, _, last = name.rpartition(" ")
    return f"{head}\n{last}" if head else name


ESTIMATED = (
    "~ : part of the cost is our estimate (calls stopped or cut off, costed from the tokens we "
    "counted); the cell's tooltip says how much"
)


def _cost(r: ModelRow) -> str:
    """Short enough for the column ("at least $3.99 · 221 calls unpriced" made it 180 px wide and
    pushed Tokens/s out of sight at 1280): "≥ $3.99", or "unknown"; "~" when part of it is our
    estimate; the whole in its tooltip."""
    figure = formatting.usd(r.cost.priced, bool(r.cost.estimated))
    if r.cost.complete:
        return figure
    return "unknown" if not r.cost.priced else f"≥ {figure}"


def cost_tip(r: ModelRow) -> str:
    """The cost in full, and how much of it is our estimate."""
    if not r.cost.estimated:
        return r.cost.text()
    return f"{r.cost.text()}\n{r.cost.estimated_text()} of it estimated: calls stopped or cut off"


def cells(r: ModelRow) -> list[tuple[str, object]]:
    """(shown text, sort value) per column; unknowns show '–' and sort first."""
    return [
        (r.model, r.model),
        (f"{r.calls:,}", r.calls),
        (f"{r.errors:,}", r.errors),
        (f"{r.input_tokens:,}", r.input_tokens),
        (f"{r.output_tokens:,}", r.output_tokens),
        (f"{r.cached_tokens:,}", r.cached_tokens),
        (f"{r.reasoning_tokens:,}", r.reasoning_tokens),
        (_cost(r), float(r.cost.priced)),
        ("–" if r.share is None else f"{r.share:.1%}", r.share if r.share is not None else -1.0),
        (_ms(r.p50_ms), r.p50_ms if r.p50_ms is not None else -1.0),
        (_ms(r.p95_ms), r.p95_ms if r.p95_ms is not None else -1.0),
        (_ms(r.ttft_p50_ms), r.ttft_p50_ms if r.ttft_p50_ms is not None else -1.0),
        ("–" if r.tokens_per_s is None else f"{r.tokens_per_s:,.1f}", r.tokens_per_s or -1.0),
    ]


class ModelTable(QTableView):
    model_clicked = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Spend by model")
        self.items = QStandardItemModel(0, len(HEADERS), self)
        # On two lines where a name has two words: on one, the columns were wider than the table at
        # 1280 px, and the last one showed "32" of "322.6" (right-aligned numbers cut on the left).
        self.items.setHorizontalHeaderLabels([_two_lines(name) for name in HEADERS])
        for column, name in enumerate(HEADERS):
            if name.startswith(("p50", "p95")):
                self.items.horizontalHeaderItem(column).setToolTip(APPROX)
            elif name == "Tokens/s":
                self.items.horizontalHeaderItem(column).setToolTip(SPEED)
            elif name == "Cost":
                self.items.horizontalHeaderItem(column).setToolTip(ESTIMATED)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.items)
        self.proxy.setSortRole(SORT)
        self.setModel(self.proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(7, Qt.SortOrder.DescendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        # Every column as wide as its contents, the spare width left blank on the right: stretching
        # the last column put Tokens/s a screen away from its model at 1920 px, and stretching the
        # names put the calls as far from them.
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(False)
        self.setAlternatingRowColors(True)
        self.activated.connect(self._pick)  # Enter on a row, or a double click
        self.clicked.connect(self._pick)
        self.rows: list[ModelRow] = []

    def set_rows(self, rows: list[ModelRow]) -> None:
        self.rows = rows
        self.items.removeRows(0, self.items.rowCount())
        for r in rows:
            line = []
            for i, (text, value) in enumerate(cells(r)):
                item = QStandardItem(text)
                item.setData(value, SORT)
                if i:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if i == COST:
                    item.setToolTip(cost_tip(r))
                line.append(item)
            self.items.appendRow(line)

    def shown(self) -> list[list[str]]:
        """The cells as shown, in the shown order (for tests and a look)."""
        return [
            [self.proxy.index(row, col).data() for col in range(len(HEADERS))]
            for row in range(self.proxy.rowCount())
        ]

    def _pick(self, index) -> None:
        self.model_clicked.emit(self.proxy.index(index.row(), 0).data())
