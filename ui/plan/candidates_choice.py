"""Which models the plan prices: the Compare set, models you name, or every chat model that fits."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLineEdit, QVBoxLayout, QWidget


class Pick(StrEnum):
    ALL = "All chat models that fit"
    COMPARE = "The Compare set"
    CHOSEN = "Models I name"


class CandidatesChoice(QWidget):
    changed = Signal()

    def __init__(self, compare_models: Callable[[], tuple[str, ...]] = tuple, parent: QWidget | None = None):
        super().__init__(parent)
        self._compare_models = compare_models
        self.pick = QComboBox()
        self.pick.addItems([p.value for p in Pick])
        self.pick.setAccessibleName("Candidate models")
        self.pick.setToolTip("Which models the plan prices")
        self.names = QLineEdit()
        self.names.setAccessibleName("Models to price")
        self.names.setPlaceholderText("gpt-4o-mini, anthropic/claude-sonnet-4-5")
        self.names.setToolTip("Comma-separated: a model, or endpoint/model")
        self.pick.currentIndexChanged.connect(self._picked)
        self.names.textEdited.connect(lambda _: self.changed.emit())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pick)
        layout.addWidget(self.names)
        self.names.hide()

    def _picked(self, _: int) -> None:
        self.names.setVisible(self.pick.currentText() == Pick.CHOSEN)
        self.changed.emit()

    def choose(self, models: tuple[str, ...] | None) -> None:
        """Name ``models`` (None: every chat model), without a signal."""
        self.pick.blockSignals(True)
        self.pick.setCurrentText(Pick.CHOSEN if models else Pick.ALL)
        self.pick.blockSignals(False)
        self.names.setText(", ".join(models or ()))
        self.names.setVisible(bool(models))

    def models(self) -> tuple[str, ...] | None:
        """The models to price; None for every chat model."""
        pick = Pick(self.pick.currentText())
        if pick is Pick.COMPARE:
            return self._compare_models() or None
        if pick is Pick.CHOSEN:
            return tuple(m.strip() for m in self.names.text().split(",") if m.strip()) or None
        return None
