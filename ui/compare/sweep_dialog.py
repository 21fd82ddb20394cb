"""Sweep: one column per value of a parameter (e.g. temperature 0, 0.5, 1.0, 1.5)."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit

from playground.compare.columns import parse_values


class SweepDialog(QDialog):
    """``check(name, value)`` raises PlaygroundError for a value the parameter does not take: OK then
    says why and stays open (out-of-range values were clamped into duplicate columns, letters failed
    only at the run)."""

    def __init__(self, names: list[str], base_label: str, check: Callable[[str, str], object], parent=None):
        super().__init__(parent)
        self._check = check
        self.setWindowTitle("Sweep a parameter")
        self.param = QComboBox()
        self.param.addItems(names)
        if "temperature" in names:
            self.param.setCurrentText("temperature")
        self.values = QLineEdit("0, 0.5, 1.0, 1.5")
        self.values.setAccessibleName("Sweep values")
        note = QLabel(
            f"Each value becomes a column of <b>{html.escape(base_label)}</b>, replacing the current columns."
        )
        note.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Why these values cannot be swept")
        self.problem.setStyleSheet("color: #b3261e")
        self.problem.hide()
        self.values.textChanged.connect(lambda _: self.problem.hide())
        self.param.currentIndexChanged.connect(lambda _: self.problem.hide())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(note)
        form.addRow("Parameter", self.param)
        form.addRow("Values", self.values)
        form.addRow(self.problem)
        form.addRow(buttons)

    def accept(self) -> None:
        from playground.llm.errors import PlaygroundError

        name, values = self.choice()
        try:
            for value in values:
                self._check(name, value)
        except PlaygroundError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return
        super().accept()

    def choice(self) -> tuple[str, list[str]]:
        return self.param.currentText(), parse_values(self.values.text())
