"""Settings ▸ Endpoints: OpenAI- or Anthropic-compatible servers, with presets for the common ones."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
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

from playground.llm.endpoints import APIS, PRESETS, Endpoint


class EndpointsPage(QWidget):
    saveEndpoint = Signal(object)
    removeEndpoint = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["Name", "API", "Base URL", "Key", "Priced as"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName("Endpoints")
        self.preset = QComboBox()
        self.preset.addItem("Custom", None)
        for name, preset in PRESETS.items():
            self.preset.addItem(f"{name} ({preset.base_url})", name)
        self.name = QLineEdit()
        self.base_url = QLineEdit()
        self.base_url.setPlaceholderText("http://localhost:11434/v1")
        self.api = QComboBox()
        self.api.addItems(APIS)
        self.key_name = QLineEdit()
        self.key_name.setPlaceholderText("empty: the server needs no key")
        self.price_as = QLineEdit()
        self.price_as.setPlaceholderText("genai-prices provider, e.g. openai (empty: by URL, or unknown)")
        form = QFormLayout()
        form.addRow("Preset", self.preset)
        form.addRow("Name", self.name)
        form.addRow("Base URL", self.base_url)
        form.addRow("API style", self.api)
        form.addRow("Key name", self.key_name)
        form.addRow("Price as", self.price_as)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # names endpoints, models and errors
        self.message.setWordWrap(True)
        save, remove = QPushButton("Save endpoint"), QPushButton("Remove selected")
        buttons = QHBoxLayout()
        buttons.addWidget(save)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.preset.currentIndexChanged.connect(self._preset)
        self.table.itemSelectionChanged.connect(self._selected)
        save.clicked.connect(self._save)
        remove.clicked.connect(self._remove)
        self._endpoints: list[Endpoint] = []

    def set_endpoints(self, endpoints: list[Endpoint]) -> None:
        self._endpoints = [e for e in endpoints if not e.builtin]
        self.table.setRowCount(len(self._endpoints))
        for row, e in enumerate(self._endpoints):
            for col, value in enumerate((e.name, e.api, e.base_url, e.key_name or "none", e.price_as or "")):
                self.table.setItem(row, col, QTableWidgetItem(value or ""))
        self.table.resizeColumnsToContents()

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def _preset(self) -> None:
        name = self.preset.currentData()
        if name is None:
            return
        preset = PRESETS[name]
        self.name.setText(preset.name)
        self.base_url.setText(preset.base_url or "")
        self.api.setCurrentText(preset.api)
        self.key_name.setText(preset.key_name or "")
        self.price_as.setText(preset.price_as or "")

    def _selected(self) -> None:
        rows = {i.row() for i in self.table.selectedItems()}
        if len(rows) == 1:
            e = self._endpoints[rows.pop()]
            self.name.setText(e.name)
            self.base_url.setText(e.base_url or "")
            self.api.setCurrentText(e.api)
            self.key_name.setText(e.key_name or "")
            self.price_as.setText(e.price_as or "")

    def _save(self) -> None:
        endpoint = Endpoint(
            self.name.text().strip(),
            self.api.currentText(),  # type: ignore[arg-type]
            self.base_url.text().strip().rstrip("/"),
            self.key_name.text().strip() or None,
            self.price_as.text().strip() or None,
        )
        if not endpoint.name:
            self.show_message("Give the endpoint a name.")
            return
        self.saveEndpoint.emit(endpoint)

    def _remove(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedItems()})
        for row in rows:
            self.removeEndpoint.emit(self._endpoints[row].name)
