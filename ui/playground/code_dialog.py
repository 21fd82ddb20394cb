"""'View code': the current request as Python and as curl, ready to copy."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QTabWidget, QVBoxLayout


class CodeDialog(QDialog):
    def __init__(self, python: str, curl: str, key_note: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("View code")
        self.resize(760, 560)
        self.tabs = QTabWidget()
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.editors = {}
        for name, code in (("Python", python), ("curl", curl)):
            editor = QPlainTextEdit(code)
            editor.setReadOnly(True)
            editor.setFont(mono)
            editor.setAccessibleName(f"{name} code")
            self.tabs.addTab(editor, name)
            self.editors[name] = editor
        note = QLabel(key_note)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("Copy", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def current_code(self) -> str:
        editor = self.tabs.currentWidget()
        return editor.toPlainText() if isinstance(editor, QPlainTextEdit) else ""

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.current_code())
