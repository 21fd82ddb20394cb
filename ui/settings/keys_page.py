"""Settings ▸ Keys: one row per key, with where it comes from (keyring, an environment variable, this
session only, or missing); save, test and delete."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPushButton, QScrollArea, QVBoxLayout, QWidget

from playground.keys import ADMIN_KEYS, PRECEDENCE, KeyStatus, label


class KeysPage(QWidget):
    saveKey = Signal(str, str)
    deleteKey = Signal(str)
    testKey = Signal(str, str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.hide()
        intro = QLabel(
            "Keys are kept in your system keyring, never in a file. Without a keyring, a key typed here "
            "lasts for this session only; an environment variable works too. " + PRECEDENCE
        )
        intro.setWordWrap(True)
        intro.setToolTip(PRECEDENCE)
        rows = QWidget()
        self.grid = QGridLayout()
        self.grid.setColumnStretch(1, 1)
        column = QVBoxLayout(rows)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self.grid)
        column.addStretch(1)  # rows sit at the top
        scroll = QScrollArea()  # every endpoint with a key adds a row
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(rows)
        self._rows: dict[str, dict] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.problem)
        layout.addWidget(scroll, 1)

    def set_keys(self, statuses: list[KeyStatus], problem: str | None) -> None:
        self.problem.setText(f"⚠ {problem}" if problem else "")
        self.problem.setVisible(bool(problem))
        for status in statuses:
            if status.name not in self._rows:
                self._add_row(status.name)
            row = self._rows[status.name]
            where = status.describe()
            text = f"Source: {where}" + (f" ({status.masked})" if status.present else "")
            if not status.present and status.env:
                text += f". Paste it above, or set the environment variable {status.env}."
            row["status"].setText(text)
            row["status"].setToolTip(PRECEDENCE)
            row["delete"].setEnabled(status.source in ("keyring", "session"))

    def source_text(self, name: str) -> str:
        return self._rows[name]["status"].text()

    def set_result(self, name: str, text: str) -> None:
        self._rows[name]["result"].setText(text)

    def entry(self, name: str) -> QLineEdit:
        return self._rows[name]["edit"]

    def _add_row(self, name: str) -> None:
        r = len(self._rows) * 3
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setPlaceholderText("paste a new key")
        edit.setAccessibleName(f"{label(name)} API key")
        status = QLabel()
        status.setTextFormat(Qt.TextFormat.PlainText)
        status.setWordWrap(True)
        status.setAccessibleName(f"{label(name)} key source")
        save, test, delete = QPushButton("Save"), QPushButton("Test key"), QPushButton("Delete")
        for button in (save, test, delete):
            button.setAccessibleName(f"{button.text()} {label(name)} key")
        test.setVisible(name not in ADMIN_KEYS)  # admin keys reach billing APIs, not models
        result = QLabel()
        result.setTextFormat(Qt.TextFormat.PlainText)
        result.setWordWrap(True)
        title = QLabel(f"<b>{html.escape(label(name))}</b>")  # custom key names are user text
        title.setTextFormat(Qt.TextFormat.RichText)
        title.setWordWrap(True)
        title.setMinimumWidth(180)
        title.setMaximumWidth(260)
        self.grid.addWidget(title, r, 0)
        self.grid.addWidget(edit, r, 1)
        self.grid.addWidget(save, r, 2)
        self.grid.addWidget(test, r, 3)
        self.grid.addWidget(delete, r, 4)
        self.grid.addWidget(status, r + 1, 1, 1, 4)
        self.grid.addWidget(result, r + 2, 1, 1, 4)
        save.clicked.connect(lambda: self._save(name))
        edit.returnPressed.connect(lambda: self._save(name))
        test.clicked.connect(lambda: self.testKey.emit(name, edit.text().strip()))
        delete.clicked.connect(lambda: self.deleteKey.emit(name))
        self._rows[name] = {"edit": edit, "status": status, "result": result, "delete": delete}

    def _save(self, name: str) -> None:
        edit = self._rows[name]["edit"]
        if edit.text().strip():
            self.saveKey.emit(name, edit.text().strip())
            edit.clear()
