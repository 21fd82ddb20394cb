"""The ranked plan: one row per model that fits, from the plan's JSON dict (the page shows exactly what
`playground plan --json` prints). Sortable; an unknown figure reads "unknown" and sorts last."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from playground import formatting
from playground.plan.export import BATCH_MARK, money, quality_text, share_text

SPLIT = ("input", "cached_input", "cache_writes", "output", "reasoning")
COLUMNS = (  # (header, tooltip)
    ("Model", "endpoint/model"),
    (
        "Monthly",
        "The month's bill at the average request sizes (the p50 sizes when no average is given:\n"
        "then likely low), retries and discounts included",
    ),
    ("Input", "Plain (uncached) input"),
    ("Cached", "Input read from the cache"),
    (
        "Writes",
        "Input written to the cache on a miss, in full at the cache-write price\n"
        "(Anthropic: 1.25× input for 5-minute writes; OpenAI: the plain input price, no premium)",
    ),
    ("Output", "Answer tokens"),
    ("Reasoning", "Reasoning tokens, billed as output"),
    ("Per 1,000", "Cost per 1,000 requests"),
    ("Month 12", "Monthly cost after eleven months of growth"),
    ("Flags", "Tier cliff: the p95 prompt crosses a long-context price tier"),
    ("First token", "Measured in History: the median time to the first token"),
    ("Duration", "Measured in History: the median time to the whole answer"),
    ("Errors", "Measured in History: the share of finished calls that failed"),
    ("Pass rate", "Evaluation pass rate in the latest finished run that included the model"),
    ("Vote share", "Blind-vote wins over the blind votes the model took part in"),
)
QUALITY = ("pass_rate", "vote_share")  # the last columns, from the plan's "quality"
MEASURED = ("ttft_p50_ms", "duration_p50_ms")
CLIFF = "⚠ tier cliff"


class SortItem(QTableWidgetItem):
    """Sorts by a number (unknown last whichever the order), not by the text."""

    def __init__(self, text: str, key: Decimal | None):
        super().__init__(text)
        self.key = key
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if not isinstance(other, SortItem):
            return super().__lt__(other)
        ascending = self.tableWidget() is None or (
            self.tableWidget().horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
        )
        if self.key is None or other.key is None:
            if self.key is None and other.key is None:
                return False
            return (self.key is None) != ascending  # unknown last in both orders
        return self.key < other.key


class PlanTable(QTableWidget):
    def __init__(self, parent=None):
        super().__init__(0, len(COLUMNS), parent)
        self.setAccessibleName("Plan: monthly cost per model")
        self.setHorizontalHeaderLabels([c for c, _ in COLUMNS])
        for i, (_, tip) in enumerate(COLUMNS):
            header_item = self.horizontalHeaderItem(i)
            if header_item is not None:
                header_item.setToolTip(tip)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.setSortingEnabled(True)

    def set_data(self, data: Mapping[str, Any]) -> None:
        self.setSortingEnabled(False)
        self.setRowCount(0)
        for m in data["models"]:
            self._add(m)
        for i, key in enumerate(SPLIT, start=2):  # a part that is $0 for every model only takes room
            values = [(m["split_usd"] or {}).get(key) for m in data["models"]]
            known = [Decimal(v) for v in values if v is not None]
            self.setColumnHidden(i, bool(known) and not any(known))
        measured = any(m.get("measured") for m in data["models"])  # only a plan made from History has them
        first = len(COLUMNS) - len(QUALITY)
        for i in range(first - 3, first):
            self.setColumnHidden(i, not measured)
        for i, key in enumerate(QUALITY, start=first):  # shown when any model has the figure
            self.setColumnHidden(
                i, not any((m.get("quality") or {}).get(key) is not None for m in data["models"])
            )
        self.setSortingEnabled(True)
        self.sortItems(1, Qt.SortOrder.AscendingOrder)

    def _add(self, m: Mapping[str, Any]) -> None:
        row = self.rowCount()
        self.insertRow(row)
        batch = m["batch_discount"] is not None
        split = m["split_usd"] or {}
        model = QTableWidgetItem(m["model"])
        model.setToolTip(m["price_source"] or "")
        cells = [model, self._money(m["monthly_usd"], batch)]
        cells += [self._money(split.get(k), batch) for k in SPLIT]
        writes = cells[2 + SPLIT.index("cache_writes")]
        writes.setToolTip(
            "\n".join(t for t in (_write_tip(m.get("cache_write_ratio")), writes.toolTip()) if t)
        )
        cells += [self._money(m["per_1000_requests_usd"], batch), self._money(m["month_12_usd"], batch)]
        flags = QTableWidgetItem(CLIFF if m["tier_cliff"] else _fit(m))
        flags.setToolTip(m["tier_cliff"] or _fit_tip(m))
        cells.append(flags)
        stats = m.get("measured")
        cells += [_measured(stats, key) for key in MEASURED]
        errors = None if stats is None else Decimal(str(stats["error_rate"]))
        cells.append(SortItem("not measured" if errors is None else f"{errors:.1%}", errors))
        cells += [_quality(m.get("quality"), key) for key in QUALITY]
        for col, item in enumerate(cells):
            self.setItem(row, col, item)

    @staticmethod
    def _money(text: str | None, batch: bool) -> SortItem:
        item = SortItem(money(text, batch), None if text is None else Decimal(text))
        if batch and text is not None:
            item.setToolTip(f"{BATCH_MARK} depends on the batch discount setting")
        return item

    def column_texts(self, header: str) -> dict[str, str]:
        """What a reader sees in one column, by model (tests and the screenshot check use it)."""
        col = [c for c, _ in COLUMNS].index(header)
        return {_text(self.item(r, 0)): _text(self.item(r, col)) for r in range(self.rowCount())}


def _text(item: QTableWidgetItem | None) -> str:
    return "" if item is None else item.text()


def _write_tip(ratio: str | None) -> str:
    """What the Writes figure is for this model: its cache-write price against plain input."""
    if ratio is None:
        return ""
    if Decimal(ratio) == 1:
        return "Written at the plain input price: no write premium"
    return f"Written at {ratio}× the plain input price"


def _measured(stats: Mapping[str, Any] | None, key: str) -> SortItem:
    value = None if stats is None else stats[key]
    if value is None:
        return SortItem("not measured", None)
    return SortItem(formatting.millis(value), Decimal(str(value)))


def _quality(q: Mapping[str, Any] | None, key: str) -> SortItem:
    value = None if q is None else q[key]
    item = SortItem(share_text(value), None if value is None else Decimal(str(value)))
    item.setToolTip("not measured in History" if q is None else quality_text(q))
    return item


def _fit(m: Mapping[str, Any]) -> str:
    """A name with neither a price nor a context window is most likely mistyped ("gpt-9-ultra" read
    "fits"); a priced model with no known window cannot be said to fit."""
    if m["context_window"] is None:
        return "unknown model" if m["monthly_usd"] is None else "window unknown"
    return "fits"


def _fit_tip(m: Mapping[str, Any]) -> str:
    if m["context_window"] is None and m["monthly_usd"] is None:
        return (
            "Neither a price nor a context window is known for this name: check its spelling, or set a"
            " price in Settings ▸ Prices"
        )
    return f"fits the context window ({_window(m['context_window'])})"


def _window(tokens: int | None) -> str:
    return "window unknown" if tokens is None else f"{tokens:,} tokens"
