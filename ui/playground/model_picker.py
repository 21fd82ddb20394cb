"""Choose an endpoint and model; searchable, each showing context window and prices."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from playground.llm.catalog import ModelEntry

KEY_ROLE = Qt.ItemDataRole.UserRole + 1


class ModelPicker(QWidget):
    """Emits ``picked(endpoint_name, model)``; a typed name not in the list is taken as-is."""

    picked = Signal(str, str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._entries: dict[tuple[str, str], ModelEntry] = {}
        self._current: tuple[str, str] | None = None
        self._model = QStandardItemModel(self)
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.setModel(self._model)
        self.combo.setMinimumWidth(360)
        self.setMaximumWidth(520)
        self.combo.setMaxVisibleItems(20)
        self.combo.setAccessibleName("Model")
        line = self.combo.lineEdit()
        if line is not None:  # the combo is editable, so it has one
            line.setPlaceholderText("Search models…  (endpoint / model)")
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self._model)
        proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer = QCompleter(self)
        completer.setModel(self._model)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setMaxVisibleItems(15)
        self.combo.setCompleter(completer)
        self.info = QLabel("Loading models…")
        self.info.setAccessibleName("Model facts")
        self.info.setEnabled(False)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addLayout(row)
        layout.addWidget(self.info)
        self.combo.activated.connect(self._activated)
        completer.activated[str].connect(self._typed)  # type: ignore[index]  # stubs lack signal overloads
        if line is not None:
            line.editingFinished.connect(lambda: self._typed(self.combo.currentText()))

    def set_entries(self, entries: list[ModelEntry]) -> None:
        self._entries = {e.key: e for e in entries}
        self.combo.blockSignals(True)
        text = self.combo.currentText()
        self._model.clear()
        for entry in entries:
            item = QStandardItem(f"{entry.endpoint.name} / {entry.model}")
            item.setData(entry.key, KEY_ROLE)
            item.setToolTip(entry.summary())
            self._model.appendRow(item)
        self.combo.setCurrentIndex(-1)
        self.combo.setEditText(text)
        self.combo.blockSignals(False)
        if self._current:
            self._show_info(*self._current)

    def current(self) -> tuple[str, str] | None:
        return self._current

    def select(self, endpoint: str, model: str) -> None:
        self._current = (endpoint, model)
        self.combo.blockSignals(True)
        self.combo.setEditText(f"{endpoint} / {model}")
        self.combo.blockSignals(False)
        self._show_info(endpoint, model)
        self.picked.emit(endpoint, model)

    def _activated(self, index: int) -> None:
        key = self._model.item(index).data(KEY_ROLE) if index >= 0 else None
        if key:
            self.select(*key)

    def _typed(self, text: str) -> None:
        endpoint, sep, model = text.partition("/")
        if sep and endpoint.strip() and model.strip():
            key = (endpoint.strip(), model.strip())
            if key != self._current:
                self.select(*key)

    def _show_info(self, endpoint: str, model: str) -> None:
        entry = self._entries.get((endpoint, model))
        self.info.setText(entry.summary() if entry else "not in the endpoint's list · price unknown")
