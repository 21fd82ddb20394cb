"""Sweep: one column per value of a parameter (e.g. temperature 0, 0.5, 1.0, 1.5)."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit

from playground.compare.columns import parse_values


class SweepDialog(QDialog):
    def __init__(self, names: list[str], base_label: str, parent=None):
        super().__init__(parent)
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
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(note)
        form.addRow("Parameter", self.param)
        form.addRow("Values", self.values)
        form.addRow(buttons)

    def choice(self) -> tuple[str, list[str]]:
        return self.param.currentText(), parse_values(self.values.text())
