"""The toolbar's model choice: a button naming the model, its context window and prices beneath, and a
drop-down (Ctrl+Shift+M) grouped by endpoint with favourites and recent models on top."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from playground.history.model_prefs import Key, ModelPrefs
from playground.llm.catalog import ModelEntry
from ui.playground.model_list import ModelList
from ui.shortcuts import MODEL_PICKER

if TYPE_CHECKING:
    from ui.playground.picker_data import PickerData

# Left-aligned text needs a style sheet; its colours come from the palette (light or dark).
BUTTON_STYLE = (
    "QPushButton { text-align: left; padding: 3px 8px; background: palette(button);"
    " color: palette(button-text); border: 1px solid palette(mid); border-radius: 3px; }"
    " QPushButton:focus { border-color: palette(highlight); }"
)


class ModelPicker(QWidget):
    """Emits ``picked(endpoint_name, model)``; a typed "endpoint / model" not in any list is taken as-is.

    ``data`` (optional) brings favourites, recents and prices of unlisted models from the core."""

    picked = Signal(str, str)

    def __init__(self, data: PickerData | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.data = data
        self._entries: dict[Key, ModelEntry] = {}
        self._looked_up: dict[Key, ModelEntry] = {}
        self._asked: set[Key] = set()
        self._current: Key | None = None
        self.button = QPushButton("Choose a model…")
        self.button.setAccessibleName("Model")
        self.button.setToolTip(f"Choose the model ({MODEL_PICKER})")
        self.button.setMinimumWidth(300)
        self.button.setStyleSheet(BUTTON_STYLE)
        self.setMaximumWidth(520)
        self.info = QLabel("Loading models…")
        self.info.setAccessibleName("Model facts")
        self.info.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.button)
        layout.addWidget(self.info)
        self.popup = ModelList(self)
        self.popup.chosen.connect(self._chosen)
        self.button.clicked.connect(self.open)
        if data is not None:
            self.popup.starToggled.connect(data.toggle_favourite)
            data.prefsChanged.connect(self._prefs_changed)
            data.entryReady.connect(self._entry_ready)
            self.popup.set_prefs(data.prefs)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:  # a style sheet reads palette() once: read again
            self.button.setStyleSheet(BUTTON_STYLE)
        super().changeEvent(event)

    def set_entries(self, entries: list[ModelEntry]) -> None:
        self._entries = {e.key: e for e in entries}
        self.popup.set_entries(entries)
        self._show_info()

    def current(self) -> Key | None:
        return self._current

    def select(self, endpoint: str, model: str) -> None:
        self._current = (endpoint, model)
        self._show_info()
        self.picked.emit(endpoint, model)

    def used(self, endpoint: str, model: str) -> None:
        """A call went to this model: it goes first in the recent models."""
        if self.data is not None:
            self.data.used((endpoint, model))

    def open(self) -> None:
        self.popup.open_below(self.button, self._current)

    def _chosen(self, endpoint: str, model: str) -> None:
        if (endpoint, model) != self._current:
            self.select(endpoint, model)

    def _prefs_changed(self, prefs: ModelPrefs) -> None:
        self.popup.set_prefs(prefs)

    def _entry_ready(self, entry: ModelEntry) -> None:
        self._looked_up[entry.key] = entry
        self._show_info()

    def _show_info(self) -> None:
        key = self._current
        if key is None:
            return
        if self.data is not None and not self.data.has_endpoint(key[0]):  # removed in Settings
            self.button.setText(f"{key[0]} / {key[1]} (endpoint removed)  ▾")
            self.info.setText(f"The endpoint {key[0]} was removed: choose another model.")
            self.info.setToolTip("")
            return
        self.button.setText(f"{key[0]} / {key[1]}  ▾")
        entry = self._entries.get(key) or self._looked_up.get(key)
        if entry is not None:
            self.info.setText(entry.summary())
            self.info.setToolTip(entry.facts.source if entry.facts else "")
        elif key not in self._asked and self.data is not None and self.data.look_up(*key):
            self._asked.add(key)  # priced in the background like the counters; shown when it answers
            self.info.setText("…")
        elif key not in self._asked:
            self.info.setText("price unknown")
