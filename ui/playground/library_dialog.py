"""The prompt library: search prompts, see a prompt's versions with notes and dates, open one into
the Playground, diff two, export, import and delete. Every store call runs in the background."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ui.common.background import Background, Latest

SEARCH_DELAY_MS = 200
NO_MATCH = "No prompts match."
EMPTY_LIBRARY = "The library is empty: use Save to library… (Ctrl+Shift+S)."


class LibraryDialog(QDialog):
    """``openRequested(PromptVersion)`` when the user opens a version; the window loads it."""

    openRequested = Signal(object)

    def __init__(
        self, background: Background, store: Any, parent: QWidget | None = None, read_only: str | None = None
    ):
        """``read_only``: why the library cannot be changed now (a history that cannot be written);
        Import and Delete are then off with that reason, the rest works."""
        super().__init__(parent)
        self._read_only = read_only
        self.setWindowTitle("Prompt library")
        self._background = background
        self._store = store  # a PromptStore: used only inside background work
        self._lists = Latest(background)
        self._versions_job = Latest(background)
        self._versions: list[Any] = []

        self.search = QLineEdit(placeholderText="Search names, notes, text")
        self.search.setClearButtonEnabled(True)
        self.prompts = QListWidget()
        self.prompts.setAccessibleName("Prompts")
        self.versions = QListWidget()
        self.versions.setAccessibleName("Versions")
        self.versions.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.versions.setSpacing(2)
        self.diff = QPlainTextEdit(readOnly=True)
        self.diff.setAccessibleName("Diff")
        self.diff.setFont(QFont("monospace"))
        self.diff.setPlaceholderText("Select two versions and press Diff to see what changed.")
        self.status = QLabel("")
        self.status.setWordWrap(True)

        self.open_button = QPushButton("&Open")
        self.open_button.setToolTip("Load this version into the Playground: prompt, parameters and model")
        self.diff_button = QPushButton("&Diff")
        self.diff_button.setToolTip("Show what changed between the two selected versions")
        self.export_button = QPushButton("&Export…")
        self.import_button = QPushButton("&Import…")
        self.delete_button = QPushButton("De&lete")
        close = QPushButton("Close")
        close.clicked.connect(self.reject)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.search)
        lv.addWidget(QLabel("Prompts"))
        lv.addWidget(self.prompts, 1)
        mid = QWidget()
        mv = QVBoxLayout(mid)
        mv.setContentsMargins(0, 0, 0, 0)
        mv.addWidget(QLabel("Versions (newest first)"))
        mv.addWidget(self.versions, 1)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(QLabel("Changes (older → newer)"))
        rv.addWidget(self.diff, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        for part, stretch in ((left, 2), (mid, 3), (right, 5)):
            split.addWidget(part)
            split.setStretchFactor(split.indexOf(part), stretch)
        buttons = QHBoxLayout()
        for b in (
            self.open_button,
            self.diff_button,
            self.export_button,
            self.import_button,
            self.delete_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        if read_only:
            self.status.setText(f"{read_only} The library can be read and exported, not changed.")
        layout.addLayout(buttons)
        self.resize(1100, 620)

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.prompts.currentItemChanged.connect(lambda *_: self._load_versions())
        self.versions.itemSelectionChanged.connect(self._update_buttons)
        self.versions.itemDoubleClicked.connect(lambda _: self.open_selected())
        self.open_button.clicked.connect(self.open_selected)
        self.diff_button.clicked.connect(self.diff_selected)
        self.export_button.clicked.connect(self._ask_export)
        self.import_button.clicked.connect(self._ask_import)
        self.delete_button.clicked.connect(self._ask_delete)
        self._update_buttons()
        self.refresh()

    # reading

    def refresh(self, select: str | None = None) -> None:
        text = self.search.text()
        keep = select or self.current_name()
        self._lists.submit(
            lambda: self._store.search(text), lambda found: self._show_prompts(found, keep), self._failed
        )

    def _show_prompts(self, found: list, keep: str | None) -> None:
        self.prompts.blockSignals(True)
        self.prompts.clear()
        for s in found:
            plural = "s" if s.versions != 1 else ""
            item = QListWidgetItem(f"{s.name}  ·  {s.versions} version{plural}")
            item.setData(Qt.ItemDataRole.UserRole, s.name)
            item.setToolTip(s.latest_note or "(no note)")
            self.prompts.addItem(item)
            if s.name == keep:
                self.prompts.setCurrentItem(item)
        self.prompts.blockSignals(False)
        if self.prompts.currentItem() is None and self.prompts.count():
            self.prompts.setCurrentRow(0)
        else:
            self._load_versions()
        if not found:
            self.status.setText(NO_MATCH if self.search.text() else EMPTY_LIBRARY)
        elif self.status.text() in (NO_MATCH, EMPTY_LIBRARY):
            self.status.setText("")  # what an action said stays until the next one

    def current_name(self) -> str | None:
        item = self.prompts.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _load_versions(self) -> None:
        name = self.current_name()
        self.versions.clear()
        self._versions = []
        self.diff.clear()
        self._update_buttons()
        if name is None:
            return
        self._versions_job.submit(lambda: self._store.versions(name), self._show_versions, self._failed)

    def _show_versions(self, versions: list) -> None:
        self._versions = versions
        self.versions.clear()
        for v in versions:
            date = v.created_at[:16].replace("T", " ")
            item = QListWidgetItem(
                f"v{v.version}  ·  {date} UTC  ·  {v.model or '?'}\n{v.note or '(no note)'}"
            )
            self.versions.addItem(item)
        if versions:
            self.versions.setCurrentRow(0)
        self._update_buttons()

    def selected_versions(self) -> list:
        rows = sorted(self.versions.row(i) for i in self.versions.selectedItems())
        return [self._versions[r] for r in rows if r < len(self._versions)]

    def _update_buttons(self) -> None:
        chosen = len(self.selected_versions())
        self.open_button.setEnabled(chosen == 1)
        self.diff_button.setEnabled(chosen == 2)
        has_prompt = self.current_name() is not None
        self.export_button.setEnabled(has_prompt)
        self.delete_button.setEnabled(has_prompt and not self._read_only)
        self.import_button.setEnabled(not self._read_only)
        if self._read_only:
            for button in (self.import_button, self.delete_button):
                button.setToolTip(f"Off: {self._read_only}")

    # actions

    def open_selected(self) -> None:
        chosen = self.selected_versions()
        if len(chosen) == 1:
            self.openRequested.emit(chosen[0])
            self.accept()

    def diff_selected(self) -> None:
        chosen = self.selected_versions()
        if len(chosen) != 2:
            return
        new, old = chosen  # newest first in the list

        def work() -> str:
            from playground.prompts.diff import diff_text

            return diff_text(old, new)

        self._background.submit(work, self.diff.setPlainText, self._failed)

    def export_to(self, path: Path) -> None:
        name = self.current_name()
        if name is None:
            return

        def work() -> int:
            from playground.prompts.transfer import export_prompt

            return export_prompt(self._store, name, path)

        self._after(work, lambda n: f"Exported {name} ({n} version{'s' if n != 1 else ''}) to {path.name}.")

    def import_from(self, path: Path) -> None:
        def work() -> list:
            from playground.prompts.transfer import import_prompt

            return import_prompt(self._store, path)

        def said(added: list) -> str:
            numbers = ", ".join(f"v{v.version}" for v in added)
            return f"Imported {added[0].name}: added {numbers} (existing versions are kept)."

        self._after(work, said, select=lambda added: added[0].name)

    def delete_current(self) -> None:
        name = self.current_name()
        if name is not None:
            self._after(lambda: self._store.delete(name), lambda _: f"Deleted {name}.")

    def _after(
        self,
        work: Callable[[], Any],
        words: Callable[[Any], str],
        select: Callable[[Any], str] | None = None,
    ) -> None:
        def done(value: Any) -> None:
            self.refresh(select=select(value) if select is not None else None)
            self.status.setText(words(value))

        self._background.submit(work, done, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(str(exc) or type(exc).__name__)

    def _ask_export(self) -> None:
        name = self.current_name() or "prompt"
        path, _ = QFileDialog.getSaveFileName(
            self, "Export prompt", f"{name}.prompt.json", "Prompt files (*.json)"
        )
        if path:
            self.export_to(Path(path))

    def _ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import prompt", "", "Prompt files (*.json)")
        if path:
            self.import_from(Path(path))

    def _ask_delete(self) -> None:
        name = self.current_name()
        if name is None:
            return
        answer = QMessageBox.question(
            self, "Delete prompt", f"Delete {name} and all its versions? Recorded calls stay in History."
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_current()
