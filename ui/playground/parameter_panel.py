"""Sampling parameters for the chosen model, built from the core's specs, with a help line."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from playground.llm.params import Availability
from ui.playground.cache_editor import PARAM as CACHE
from ui.playground.cache_editor import CacheEditor
from ui.playground.param_row import ParamRow
from ui.playground.schema_editor import PARAM, SchemaEditor
from ui.playground.tool_editor import PARAM as TOOLS
from ui.playground.tool_editor import ToolsEditor

ALWAYS_SENT = {"max_tokens"}  # it bounds the worst-case cost, so it is always explicit


class ParameterPanel(QWidget):
    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: dict[str, ParamRow] = {}
        self._api: str | None = None
        self._inner = QWidget()
        self._column = QVBoxLayout(self._inner)
        self._column.setContentsMargins(4, 4, 4, 4)
        self._column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._inner)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a Tab stop of its own did nothing: Tab scrolls it
        self._scroll = scroll
        self.help = QLabel("Hover over a parameter to see what it does.")
        self.help.setWordWrap(True)
        self.help.setMinimumHeight(64)
        self.help.setAccessibleName("Parameter help")
        self.output = SchemaEditor()
        self.output.changed.connect(self.changed)
        self._column.insertWidget(0, self.output)  # first: the answer's format shapes the whole request
        self.tools = ToolsEditor()
        self.tools.changed.connect(self.changed)
        self._column.insertWidget(1, self.tools)
        self.cache = CacheEditor()
        self.cache.changed.connect(self.changed)
        self._column.insertWidget(2, self.cache)
        self.reset_button = QPushButton("Reset to defaults")
        self.reset_button.clicked.connect(self.reset)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("<b>Parameters</b>")
        layout.addWidget(title)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.help)
        layout.addWidget(self.reset_button)

    def set_availability(self, api: str, items: list[Availability]) -> None:
        """Rows for ``api``'s parameters; a new API rebuilds them, keeping values with the same name."""
        if api != self._api:
            kept = self.values()
            for row in self._rows.values():
                row.deleteLater()
            self._rows = {}
            for item in items:
                row = ParamRow(item.spec, always_sent=item.spec.name in ALWAYS_SENT)
                row.changed.connect(self.changed)
                row.hovered.connect(self.help.setText)
                self._column.insertWidget(self._column.count() - 1, row)  # before the stretch
                self._rows[item.spec.name] = row
            self._api = api
            self.set_values(kept)
            self._fit_width()
        for item in items:
            self._rows[item.spec.name].set_unavailable(item.reason)
        self.cache.set_api(api)

    def _fit_width(self) -> None:
        """Never narrower than its widest row: a squeezed panel hid the value fields off its edge."""
        for row in self._rows.values():
            row.ensurePolished()
        self._column.activate()
        bar = self._scroll.verticalScrollBar().sizeHint().width()
        widest = max(
            [
                self._inner.minimumSizeHint().width(),
                *(r.minimumSizeHint().width() for r in self._rows.values()),
            ]
        )
        self._scroll.setMinimumWidth(widest + 8 + bar + 4)

    def values(self) -> dict[str, Any]:
        """Parameters to send: changed from their default, and taken by the model."""
        out = {}
        for name, row in self._rows.items():
            value = row.value()
            if value is not None:
                out[name] = value
        output = self.output.value()
        if output is not None:
            out[PARAM] = output
        tools = self.tools.value()
        if tools is not None:
            out[TOOLS] = tools
        cache = self.cache.value()
        if cache is not None:
            out[CACHE] = cache
        return out

    def set_values(self, values: dict[str, Any]) -> None:
        for name, row in self._rows.items():
            row.set_value(values.get(name))
        self.output.set_value(values.get(PARAM))
        self.tools.set_value(values.get(TOOLS))
        self.cache.set_value(values.get(CACHE))

    def row(self, name: str) -> ParamRow:
        return self._rows[name]

    def reset(self) -> None:
        for row in self._rows.values():
            row.reset()
        self.output.set_value(None)  # plain text again; the schema text stays in the editor
        self.changed.emit()
