"""Settings ▸ Prices: your own prices per endpoint and model (USD per million tokens), or free."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from playground.pricing.prices import PriceOverride


class PricesPage(QWidget):
    savePrice = Signal(object)
    removePrice = Signal(str, str)

    def __init__(self, parent=None):
        super().__init__(parent)
        intro = QLabel(
            "Prices come from genai-prices' bundled data. Set your own for custom endpoints "
            "and models: a local server can be marked free. Unknown prices show as unknown, never $0."
        )
        intro.setWordWrap(True)
        self.data_version = QLabel("Prices: reading the price data…")
        self.data_version.setAccessibleName("Price data version")
        self.data_version.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            ["Endpoint", "Model", "Input $/1M", "Output $/1M", "Cache read $/1M"]
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.endpoint = QComboBox()
        # Empty to start: the form once came filled with "*" and 0 / 0, so one click on Save made
        # every model of the endpoint free.
        self.model = QLineEdit()
        self.model.setPlaceholderText("a model name, or * for every model of the endpoint")
        self.input = QLineEdit()
        self.input.setPlaceholderText("USD per million input tokens")
        self.output = QLineEdit()
        self.output.setPlaceholderText("USD per million output tokens")
        self.cached = QLineEdit()
        self.cached.setPlaceholderText("same as input")
        self.free = QCheckBox("Free (a local server)")
        form = QFormLayout()
        form.addRow("Endpoint", self.endpoint)
        form.addRow("Model", self.model)
        form.addRow("Input $/1M tokens", self.input)
        form.addRow("Output $/1M tokens", self.output)
        form.addRow("Cache read $/1M", self.cached)
        form.addRow("", self.free)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # names endpoints, models and errors
        self.save_button = save = QPushButton("Save price")
        self.remove_button = remove = QPushButton("Remove selected")
        buttons = QHBoxLayout()
        buttons.addWidget(save)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.data_version)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.free.toggled.connect(
            lambda on: [w.setEnabled(not on) for w in (self.input, self.output, self.cached)]
        )
        save.clicked.connect(self._save)
        remove.clicked.connect(self._remove)
        self._overrides: list[PriceOverride] = []

    def set_read_only(self, why: str | None) -> None:
        """Prices are kept in the history: while it cannot be written, Save and Remove are off and
        their tooltips say why."""
        for button in (self.save_button, self.remove_button):
            button.setEnabled(not why)
            button.setToolTip(why or "")

    def show_price_data(self, text: str) -> None:
        """genai-prices' version and its data's date (read in the background)."""
        self.data_version.setText(text)

    def set_data(self, endpoints: list[str], overrides: list[PriceOverride]) -> None:
        current = self.endpoint.currentText()
        self.endpoint.clear()
        self.endpoint.addItems(endpoints)
        if current:
            self.endpoint.setCurrentText(current)
        self._overrides = overrides
        self.table.setRowCount(len(overrides))
        for row, o in enumerate(overrides):
            values = (
                o.endpoint,
                o.model,
                "free" if o.free else str(o.input_mtok),
                "" if o.free else str(o.output_mtok),
                "" if o.cache_read_mtok is None else str(o.cache_read_mtok),
            )
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(value))

    def _save(self) -> None:
        endpoint, model = self.endpoint.currentText(), self.model.text().strip()
        if not model:
            self.message.setText("Enter a model name, or * for every model of the endpoint.")
            return
        if self.free.isChecked():
            self.message.setText(f"Saved: {endpoint} / {model} is free.")
            self.savePrice.emit(
                PriceOverride(endpoint, model, Decimal(0), Decimal(0), Decimal(0), Decimal(0))
            )
            return
        texts = [w.text().strip() for w in (self.input, self.output)]
        if not all(texts):
            self.message.setText("Enter both prices, in USD per million tokens (or tick Free).")
            return
        try:
            values = [Decimal(text) for text in texts]
            cached = Decimal(self.cached.text().strip()) if self.cached.text().strip() else None
        except InvalidOperation:
            self.message.setText("Prices must be numbers, in USD per million tokens.")
            return
        if not all(v.is_finite() for v in values) or (cached is not None and not cached.is_finite()):
            self.message.setText("Prices must be numbers, in USD per million tokens.")
            return
        if any(v < 0 for v in values) or (cached is not None and cached < 0):
            self.message.setText("Prices cannot be negative.")
            return
        if not any(values) and not cached:
            self.message.setText("Both prices are 0: tick Free to mark the model free.")
            return
        self.message.setText(f"Saved: {endpoint} / {model} at ${values[0]} in, ${values[1]} out per 1M.")
        self.savePrice.emit(PriceOverride(endpoint, model, values[0], values[1], cached))

    def _remove(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedItems()}):
            o = self._overrides[row]
            self.removePrice.emit(o.endpoint, o.model)
