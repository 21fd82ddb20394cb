"""Asks the name (existing names offered: saving under one adds a version) and a note for a save."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget


class SaveToLibraryDialog(QDialog):
    def __init__(self, names: list[str], suggested: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Save to library")
        self.name = QComboBox(editable=True)
        self.name.addItems(names)
        self.name.setCurrentText(suggested)
        line = self.name.lineEdit()
        if line is not None:
            line.setPlaceholderText("A new name, or an existing one for a new version")
        self.note = QLineEdit(placeholderText="What changed in this version (optional)")
        self.hint = QLabel("Saves the prompt, its {{variables}}, parameters, schema, tools and model.")
        self.hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Name", self.name)
        form.addRow("N&ote", self.note)
        form.addRow(self.hint)
        form.addRow(self.buttons)
        self.name.currentTextChanged.connect(self._update)
        self.resize(480, self.sizeHint().height())
        self._update()

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(
            bool(self.name.currentText().strip())
        )

    def values(self) -> tuple[str, str]:
        return self.name.currentText().strip(), self.note.text().strip()
