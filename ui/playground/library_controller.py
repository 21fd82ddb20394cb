"""Glue between the window and the prompt library: Save to library…, the Library dialog, and
opening a version into the Playground (which then links its runs to that version while unedited)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from ui.common.background import Background
    from ui.main_window import MainWindow
    from ui.playground.library_dialog import LibraryDialog
    from ui.playground.library_save import SaveToLibraryDialog


class LibraryController(QObject):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.dialog: LibraryDialog | None = None
        self.save_dialog: SaveToLibraryDialog | None = None

    def _background(self) -> Background:
        assert self.window.session is not None  # the actions are off until the core is loaded
        return self.window.session.background

    def _store(self) -> Any:
        core = self.window.session.core if self.window.session is not None else None
        if core is None:
            return None
        from playground.prompts.store import PromptStore

        return PromptStore(core.storage)

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 8000)

    def open_library(self) -> None:
        store = self._store()
        if store is None:
            return
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.refresh()
            return
        from ui.playground.library_dialog import LibraryDialog

        core = self.window.session.core if self.window.session is not None else None
        read_only = core.not_recorded if core is not None else None
        self.dialog = LibraryDialog(self._background(), store, self.window, read_only=read_only)
        self.dialog.openRequested.connect(self.open_version)
        self.dialog.show()

    def save_to_library(self) -> None:
        """Ask name and note (names read in the background first), then save as a new version."""
        store, draft = self._store(), self.window.draft()
        if store is None or draft is None:
            self._say("Choose a model first: a library version keeps it.")
            return
        current = self.window.runs.library_version if self.window.runs is not None else None
        suggested = current.name if current is not None else ""
        self._background().submit(
            store.names,
            lambda names: self._ask(store, draft, names, suggested),
            lambda exc: self._say(f"Could not read the library: {exc}"),
        )

    def _ask(self, store: Any, draft: Any, names: list[str], suggested: str) -> None:
        from ui.playground.library_save import SaveToLibraryDialog

        dialog = SaveToLibraryDialog(names, suggested, self.window)
        self.save_dialog = dialog
        dialog.accepted.connect(lambda: self._save(store, draft, *dialog.values()))
        dialog.open()

    def _save(self, store: Any, draft: Any, name: str, note: str) -> None:
        r = draft.request

        def work() -> Any:
            return store.save(
                name,
                note,
                system=r.system,
                messages=r.messages,
                params=r.params,
                endpoint=r.endpoint,
                model=r.model,
            )

        def saved(version: Any) -> None:
            if self.window.runs is not None:
                self.window.runs.library_version = version
            self._say(f"Saved {version.label} to the library.")
            if self.dialog is not None and self.dialog.isVisible():
                self.dialog.refresh(select=version.name)

        self._background().submit(work, saved, lambda exc: self._say(f"Not saved: {exc}"))

    def open_version(self, version: Any) -> None:
        """Load a version like a reopened call: prompt, model, parameters; runs then link to it."""
        w = self.window
        w.editor.set_state(version.system, list(version.messages), w.editor.all_variable_values())
        w.picker.select(version.endpoint, version.model)
        w.params.set_values(dict(version.params))
        w.conversation.reopened(None)
        if w.runs is not None:
            w.runs.library_version = version
        w.tabs.setCurrentIndex(0)
        self._say(f"Opened {version.label}.")
