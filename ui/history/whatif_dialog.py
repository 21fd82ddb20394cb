"""What if…: re-price the calls shown on other models (or at today's prices), per recorded model.

Everything slow (the price list, reading and pricing the calls) runs in the background; the progress
bar counts calls, and Cancel (or closing) stops the pricing at the next group of calls."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from playground import formatting
from playground.history.usage_sums import UsageGroup
from playground.spend.whatif import Breakdown, Choice, Target, WhatIf, breakdown, label
from ui.common.background import Background
from ui.history.progress import Progress, advance

TODAY = "Same models at today's prices"
HEADERS = ("Recorded model", "Priced as", "Calls compared", "As recorded", "Would cost", "Change", "Left out")


@dataclass(frozen=True)
class WhatIfSource:
    """What the dialog re-prices and with what; every callable runs in the background."""

    what: str  # "the 3 selected calls", "the calls the filters show"
    count: Callable[[], int]
    groups: Callable[[], Iterable[UsageGroup]]
    choices: Callable[[], list[Choice]]
    pricer: Any
    endpoint_of: Callable[[str], Any]
    suggested: Target | None = None  # the Playground's current model, checked at first


class WhatIfDialog(QDialog):
    finished_breakdown = Signal(object)  # the Breakdown shown (cancelled ones too)

    def __init__(self, background: Background, source: WhatIfSource, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("What if…")
        self.resize(1240, 620)  # fits a 1280-wide screen: whole prices on the left, every column on the right
        self._background = background
        self._source = source
        self._cancel: threading.Event | None = None
        self._progress = Progress(self)
        self._progress.calls.connect(lambda n: advance(self.progress, n))
        self.breakdown: Breakdown | None = None
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter models…")
        self.search.setAccessibleName("Filter target models")
        self.targets = QListWidget()
        self.targets.setAccessibleName("Target models")
        self.targets.setToolTip("Check the models to price the calls on")
        self._add_target(TODAY, None, checked=source.suggested is None)
        self.run_button = QPushButton("Re-price")
        self.run_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.close_button = QPushButton("Close")
        self.progress: QProgressBar = QProgressBar()
        self.progress.setAccessibleName("Re-pricing progress")
        self.progress.setFormat("%v of %m calls")
        self.progress.hide()  # until a re-pricing starts: empty, it read as an unlabelled field
        self.status = QLabel(f"Re-price {source.what}: tick the models to price them on, then Re-price.")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("What-if summary")
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setAccessibleName("Old versus new cost per model")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        left = QVBoxLayout()
        left.addWidget(self.search)
        left.addWidget(self.targets, 1)
        right = QVBoxLayout()
        right.addWidget(self.table, 1)
        right.addWidget(self.status)
        right.addWidget(self.progress)
        top = QHBoxLayout()
        top.addLayout(left, 3)
        top.addLayout(right, 5)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.run_button, self.cancel_button, self.close_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addLayout(buttons)
        self.search.textChanged.connect(self._filter)
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)
        background.submit(source.choices, self._fill, self._no_choices)

    # the target list

    def _no_choices(self, exc: BaseException) -> None:
        self.status.setText(f"No price list: {exc}")

    def _add_target(self, text: str, target: Target | None, checked: bool = False) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, target)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.targets.addItem(item)

    def _fill(self, choices: list[Choice]) -> None:
        for choice in choices:
            self._add_target(choice.text(), choice.target, checked=choice.target == self._source.suggested)
        if not self.chosen():  # the suggested model has no price: start from today's prices
            self.targets.item(0).setCheckState(Qt.CheckState.Checked)
        self._filter(self.search.text())

    def _filter(self, text: str) -> None:
        words = text.lower().split()
        for i in range(self.targets.count()):
            item = self.targets.item(i)
            item.setHidden(not all(w in item.text().lower() for w in words))

    def check(self, target: Target | None) -> None:
        for i in range(self.targets.count()):
            item = self.targets.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == target:
                item.setCheckState(Qt.CheckState.Checked)

    def chosen(self) -> list[Target | None]:
        found = []
        for i in range(self.targets.count()):
            item = self.targets.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                value = item.data(Qt.ItemDataRole.UserRole)
                found.append(tuple(value) if value else None)
        return found

    # running

    def run(self) -> None:
        targets = self.chosen()
        if not targets:
            self.status.setText("Check at least one model to price the calls on.")
            return
        cancel = threading.Event()
        self._cancel = cancel
        source, progress = self._source, self._progress
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)  # busy until the count is known
        self.progress.show()
        self.status.setText(f"Re-pricing {source.what}…")

        def work() -> Breakdown:
            total = source.count()
            progress.total(total)
            return breakdown(
                source.groups(), source.pricer, source.endpoint_of, targets, progress.calls.emit, cancel
            )

        self._background.submit(work, self._done, self._failed)

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
        self.cancel_button.setEnabled(False)

    def _finish(self) -> None:
        self._cancel = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        self.progress.setRange(0, 1)
        self.status.setText(f"Could not re-price: {exc}")

    def _done(self, result: Breakdown) -> None:
        self._finish()
        self.breakdown = result
        advance(self.progress, result.calls if not result.cancelled else self.progress.value())
        self._show(result)
        self.finished_breakdown.emit(result)

    def _show(self, result: Breakdown) -> None:
        self.table.setRowCount(0)
        for line in result.lines:
            self._row(label(line.source), _as(line.target), line.result)
        targets = list(dict.fromkeys(line.target for line in result.lines))
        for target in targets if len(result.lines) > len(targets) else []:
            self._row("All models", _as(target), result.total(target), True)
        summary = [result.total(t).describe() for t in targets] or ["No calls to re-price."]
        if result.cancelled:
            summary.insert(0, f"Cancelled after {result.calls:,} calls: these sums cover only those.")
        self.status.setText("\n".join(summary))

    def _row(self, source: str, target: str, r: WhatIf, bold: bool = False) -> None:
        compared = r.calls - r.unpriced
        cells = (
            source,
            target,
            f"{compared:,}",
            formatting.usd(r.recorded) if compared else "–",
            formatting.usd(r.repriced) if compared else "–",
            f"{r.change:+.0%}" if r.change is not None else "–",
            f"{r.unpriced:,}" if r.unpriced else "",
        )
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column >= 2:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if bold:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.table.setItem(row, column, item)

    def done(self, code: int) -> None:  # closing stops the pricing too
        self.cancel()
        super().done(code)


def _as(target: Target | None) -> str:
    return label(target) if target else "today's prices"
