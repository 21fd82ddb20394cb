"""Settings ▸ Endpoints: the servers calls go to, each with where its key comes from; Add and Edit open
the one endpoint form (ui/settings/endpoint_form.py)."""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from playground.llm.endpoints import Endpoint
from ui.settings.endpoint_form import EndpointForm

COLUMNS = ["Name", "API", "Base URL", "Key", "Priced as"]


class EndpointsPage(QWidget):
    saveEndpoint = Signal(object)  # EndpointDraft
    removeEndpoint = Signal(str)
    testConnection = Signal(object)  # ProbeAsk

    def __init__(self, parent=None):
        super().__init__(parent)
        intro = QLabel(
            "Endpoints are the servers calls go to: OpenAI and Anthropic, and any OpenAI- or "
            "Anthropic-compatible server (Ollama, LM Studio, vLLM, OpenRouter…)."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName("Endpoints")
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # names endpoints, models and errors
        self.message.setWordWrap(True)
        self.add = QPushButton("&Add endpoint…")
        self.edit = QPushButton("&Edit…")
        self.remove = QPushButton("&Remove")
        for button in (self.add, self.edit, self.remove):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.add)
        buttons.addWidget(self.edit)
        buttons.addWidget(self.remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.add.clicked.connect(lambda: self.open_form(None))
        self.edit.clicked.connect(self._edit)
        self.remove.clicked.connect(self._remove)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _: self._edit())
        self._endpoints: list[Endpoint] = []
        self._price_choices: list = []
        self._free: set[str] = set()
        self.form: EndpointForm | None = None
        self._read_only: str | None = None  # why endpoints cannot be changed (the history), or None
        self._selection_changed()

    def set_endpoints(
        self,
        endpoints: list[Endpoint],
        key_sources: dict[str, str] | None = None,
        free: Collection[str] = (),
    ) -> None:
        """Every endpoint, built-in ones first; ``key_sources`` says where each key name comes from,
        ``free`` names the endpoints priced at zero."""
        sources = key_sources or {}
        self._free = set(free)
        self._endpoints = list(endpoints)
        self.table.setRowCount(len(self._endpoints))
        for row, e in enumerate(self._endpoints):
            key = f"{e.key_name}: {sources.get(e.key_name, 'missing')}" if e.key_name else "none needed"
            where = e.base_url or "(the provider's own)"
            price = "free" if e.name in self._free else e.price_as or "unknown"
            for col, value in enumerate((e.name, e.api, where, key, price)):
                item = QTableWidgetItem(value)
                if e.builtin:
                    item.setToolTip("Built-in: its key is set in the Keys tab.")
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self._selection_changed()

    def set_read_only(self, why: str | None) -> None:
        """Endpoints are kept in the history: while it cannot be written, Add, Edit and Remove are off
        and their tooltips say why."""
        self._read_only = why
        for button in (self.add, self.edit, self.remove):
            button.setToolTip(why or "")
        self._selection_changed()

    def set_price_choices(self, choices: list) -> None:
        self._price_choices = choices
        if self.form is not None:
            self.form.set_price_choices(choices)

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def open_form(self, endpoint: Endpoint | None) -> EndpointForm:
        """The endpoint form, window-modal; it stays open until saved or cancelled."""
        if self.form is not None:
            self.form.close()
        form = EndpointForm(endpoint, self._price_choices, self)
        # another endpoint's name is refused: saving under it replaced that endpoint, silently
        form.taken = {e.name for e in self._endpoints} - ({endpoint.name} if endpoint else set())
        if endpoint is not None and endpoint.name in self._free:
            form.fill(endpoint, free=True)
        form.setWindowModality(Qt.WindowModality.WindowModal)
        form.testRequested.connect(self.testConnection)
        form.saveRequested.connect(self.saveEndpoint)
        form.finished.connect(lambda _: self._form_closed(form))
        self.form = form
        form.show()
        return form

    def saved(self, name: str) -> None:
        """The controller saved the form's endpoint: close the form and say so."""
        if self.form is not None:
            self.form.accept()
        self.show_message(f"Saved {name}.")

    def _form_closed(self, form: EndpointForm) -> None:
        if self.form is form:
            self.form = None

    def _selected(self) -> Endpoint | None:
        rows = {i.row() for i in self.table.selectedItems()}
        return self._endpoints[rows.pop()] if len(rows) == 1 else None

    def _selection_changed(self) -> None:
        chosen = self._selected()
        custom = chosen is not None and not chosen.builtin and not self._read_only
        self.add.setEnabled(not self._read_only)
        self.edit.setEnabled(custom)
        self.remove.setEnabled(custom)

    def _edit(self) -> None:
        chosen = self._selected()
        if chosen is not None and not chosen.builtin and not self._read_only:  # a double click too
            self.open_form(chosen)

    def _remove(self) -> None:
        chosen = self._selected()
        if chosen is not None and not chosen.builtin and not self._read_only:
            self.removeEndpoint.emit(chosen.name)
