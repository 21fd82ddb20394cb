"""The main window's actions: their shortcuts, the menus and the toolbar, when each is enabled, and the
dialogs they open (settings, code, tokens, import, keyboard shortcuts)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolBar, QToolButton, QWidget

from ui.common.plan_seed import request_seed
from ui.shortcuts import MODEL_PICKER as MODEL_SHORTCUT

if TYPE_CHECKING:
    from playground.tokens.counter import TokenPiece
    from ui.main_window import MainWindow
    from ui.playground.library_controller import LibraryController

MODES = (  # (name, what it is for): the left rail, in this order
    ("Playground", "Write a prompt, run it on one model, see tokens and cost"),
    ("Compare", "Run the prompt on several models or parameter sets at once"),
    ("History", "Every call you made: search, reopen, re-run, export"),
    ("Spend", "What you spent, by day and model, against your budgets"),
    ("Plan", "A workload's monthly bill across models, and what caching and batching save"),
    ("Evaluate", "Run a test suite's cases on several models and see what passes and what it costs"),
)


PLAN_SHORTCUT = "Ctrl+Shift+L"  # "pLan": Ctrl+Shift+P is the parameters panel


class WindowActions(QObject):
    """Builds the actions on ``window`` (they work before the parts exist: slots look them up late).
    ``planRequested`` carries a PlanSeed of the Playground prompt (playground.plan.sources)."""

    planRequested = Signal(object)

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self._library: LibraryController | None = None
        w = window

        def action(
            text: str, shortcut: str | QKeySequence.StandardKey | None, slot, tip: str = ""
        ) -> QAction:
            a = QAction(text, w)
            if shortcut is not None:
                a.setShortcut(QKeySequence(shortcut))
            a.setToolTip(f"{tip or text} ({a.shortcut().toString()})" if shortcut else tip or text)
            a.triggered.connect(slot)
            w.addAction(a)
            return a

        self.run_action = action("&Run", "Ctrl+Return", w.run, "Send the prompt")
        self.run_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])  # keypad
        self.stop_action = action("&Stop", "Esc", w.stop, "Stop the answer; the text so far is kept")
        self.code_action = action(
            "View &code", "Ctrl+Shift+C", self.view_code, "The exact request as Python and curl"
        )
        self.tokens_action = action(
            "&Tokens", "Ctrl+T", self.view_tokens, "How the prompt splits into tokens"
        )
        self.plan_action = action(
            "&Plan this prompt…",
            PLAN_SHORTCUT,
            self.plan_prompt,
            "The monthly cost of running this prompt on this model, and what would save",
        )
        self.settings_action = action("&Settings…", "Ctrl+,", lambda: self.open_settings("keys"))
        self.choose_model_action = action(
            "Choose &model…", MODEL_SHORTCUT, self.choose_model, "Pick the model; type to filter"
        )
        self.add_message_action = action("&Add message", "Ctrl+M", self.add_message)
        self.new_conversation_action = action(
            "&New conversation", "Ctrl+N", lambda: w.new_conversation(), "Clear the turns and start fresh"
        )
        self.undo_messages_action = action(
            "&Undo message change",
            "Ctrl+Shift+Z",
            lambda: w.editor.messages.undo(),
            "Undo the last add, remove or move of a message",
        )
        # Inside a text field Ctrl+Shift+Z is the text's redo; Ctrl+Alt+Z undoes the message change
        # from anywhere (the focus is mostly in a message box: the first key did nothing there).
        self.undo_messages_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Alt+Z")])
        self.reset_params_action = action("&Reset parameters", "Ctrl+R", lambda: w.params.reset())
        self.shortcuts_action = action(
            "&Keyboard shortcuts", QKeySequence.StandardKey.HelpContents, self.show_shortcuts
        )
        self.quit_action = action("&Quit", QKeySequence.StandardKey.Quit, w.close)
        self.mode_actions = [
            action(f"Go to {name}", f"Ctrl+{i + 1}", lambda _=False, n=name: w.show_mode(n), tip)
            for i, (name, tip) in enumerate(MODES)
        ]
        self.prompt_panel_action = action(
            "Show &prompt panel", "Ctrl+Shift+E", lambda on: w.editor.setVisible(on)
        )
        self.params_panel_action = action(
            "Show p&arameters panel", "Ctrl+Shift+P", lambda on: w.params.setVisible(on)
        )
        for a in (self.prompt_panel_action, self.params_panel_action):
            a.setCheckable(True)
            a.setChecked(True)

        menus = w.menuBar()
        file_menu = menus.addMenu("&File")
        file_menu.addAction(self.settings_action)
        self.import_action = action(
            "&Import history…",
            None,
            self.import_history,
            "Import a history export (JSON) or the llm tool's logs.db",
        )
        file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        self.save_conversation_action = action(
            "&Save conversation…",
            QKeySequence.StandardKey.Save,
            self.save_conversation,
            "Save the conversation, its branches, model and parameters as a JSON file (never a key)",
        )
        self.open_conversation_action = action(
            "&Open conversation…",
            QKeySequence.StandardKey.Open,
            self.open_conversation,
            "Open a conversation saved as a JSON file",
        )
        file_menu.addAction(self.save_conversation_action)
        file_menu.addAction(self.open_conversation_action)
        self.save_to_library_action = action(
            "Save to li&brary…",
            "Ctrl+Shift+S",
            lambda: self.library().save_to_library(),
            "Save the prompt, parameters and model as a new version in the prompt library",
        )
        self.library_action = action(
            "Prompt &library…",
            "Ctrl+L",
            lambda: self.library().open_library(),
            "Search saved prompts, open or diff their versions, export and import",
        )
        file_menu.addAction(self.save_to_library_action)
        file_menu.addAction(self.library_action)
        file_menu.setToolTipsVisible(True)  # an item that is off says why (a read-only history)
        # What writes to the history: off while it cannot be written, the tooltip saying why.
        writes = (self.run_action, self.import_action, self.save_to_library_action)
        self._tips = {a: a.toolTip() for a in writes}
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit = menus.addMenu("&Edit")
        edit.addAction(self.new_conversation_action)
        edit.addAction(self.add_message_action)
        edit.addAction(self.undo_messages_action)
        edit.addAction(self.reset_params_action)
        view = menus.addMenu("&View")
        for a in self.mode_actions:
            view.addAction(a)
        view.addSeparator()
        view.addAction(self.prompt_panel_action)
        view.addAction(self.params_panel_action)
        run = menus.addMenu("&Run")
        for a in (self.run_action, self.stop_action, self.code_action, self.tokens_action):
            run.addAction(a)
        run.addSeparator()
        run.addAction(self.plan_action)
        help_menu = menus.addMenu("&Help")
        help_menu.addAction(self.shortcuts_action)

        bar = QToolBar("Main")
        bar.setObjectName("main-toolbar")
        bar.setMovable(False)
        self.toolbar = bar
        # Each button is a widget of its own, so a mode can hide it and keep its action (and shortcut).
        run_actions = (self.run_action, self.stop_action, self.code_action, self.tokens_action)
        self._run_tools = [self._tool(a) for a in run_actions]
        self._tool(self.settings_action)
        bar.toggleViewAction().setVisible(False)  # the mode shows and hides it (not the user's menu)
        w.addToolBar(bar)
        for a in w.actions():
            a.setEnabled(a in (self.quit_action, self.shortcuts_action))

    def _tool(self, action: QAction) -> QAction:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return self.toolbar.addWidget(button)

    def add_picker(self, picker: QWidget) -> None:
        """The model picker goes first on the toolbar (Playground runs it; Compare's + Column adds it)."""
        first = self.toolbar.actions()[0]
        self.toolbar.insertWidget(first, picker)
        self.toolbar.insertSeparator(first)

    def _fit_mode(self) -> str:
        """Show on the toolbar only what works on the page shown: Playground has it all; Compare keeps
        the model picker (+ Column adds it) and Settings, as its page has its own Run all, Stop all and
        Code; the other modes have their own buttons, so the toolbar is hidden and the page gets its
        height. Returns the mode's name."""
        w = self.window
        mode = MODES[w.tabs.currentIndex()][0] if w.tabs.currentIndex() >= 0 else "Playground"
        for tool in self._run_tools:
            tool.setVisible(mode == "Playground")
        self.toolbar.setVisible(mode in ("Playground", "Compare"))
        return mode

    def update(self) -> None:
        """Enable what fits the run state, the loaded core and the mode shown: Run, View code and
        Tokens act on the Playground's prompt (Run on Compare's columns in Compare), so elsewhere
        their shortcuts would run what is out of sight. Stop (Esc) stops every run from any mode:
        a run left streaming in Playground must stay stoppable from History."""
        w = self.window
        session = w.session
        if session is None:
            return
        mode = self._fit_mode()
        prompt_shown = mode in ("Playground", "Compare")
        self.shortcuts_action.setEnabled(True)
        for a in (*self.mode_actions, self.prompt_panel_action, self.params_panel_action):
            a.setEnabled(True)
        self.add_message_action.setEnabled(True)
        self.new_conversation_action.setEnabled(True)
        self.undo_messages_action.setEnabled(True)
        self.reset_params_action.setEnabled(True)
        self.choose_model_action.setEnabled(True)
        running = session.running or w.compare_session.running
        # a stopped answer still ending does not hold Run: pressed now, it runs once the stop is done
        busy = (session.running and not session.stopping) or w.compare_session.running
        ready = session.core is not None and w.picker.current() is not None
        refused = session.refusal()  # a history that cannot be written: what writes is off, saying why
        for a, tip in self._tips.items():
            a.setToolTip(refused or tip)
        self.run_action.setEnabled(ready and not refused and not busy and prompt_shown)
        self.stop_action.setEnabled(running)
        from ui.compare.toolbar import RUN_ALL  # loaded with the parts: not before the first paint

        self.run_action.setText(f"&{RUN_ALL}" if w.comparing else "&Run")
        self.code_action.setEnabled(ready and mode == "Playground")  # Compare: each column's Code
        self.tokens_action.setEnabled(ready and prompt_shown)
        self.plan_action.setEnabled(ready)
        self.settings_action.setEnabled(session.core is not None)
        self.import_action.setEnabled(session.core is not None and not refused)
        self.save_conversation_action.setEnabled(session.core is not None)
        self.open_conversation_action.setEnabled(session.core is not None and not running)
        self.save_to_library_action.setEnabled(session.core is not None and not refused)
        self.library_action.setEnabled(session.core is not None)

    def library(self) -> LibraryController:
        """The prompt library's controller, made on first use (not before the first paint)."""
        if self._library is None:
            from ui.playground.library_controller import LibraryController

            self._library = LibraryController(self.window)
        return self._library

    def save_conversation(self) -> None:
        if self.window.runs is not None:
            self.window.runs.files.ask_save()

    def open_conversation(self) -> None:
        if self.window.runs is not None:
            self.window.runs.files.ask_open()

    def add_message(self) -> None:
        messages = self.window.editor.messages.messages()
        last = messages[-1].role if messages else "assistant"
        self.window.editor.messages.add_message("assistant" if last == "user" else "user")

    # dialogs (kept on the window as settings_dialog, code_dialog, token_dialog, shortcuts_dialog)

    def open_settings(self, tab: str = "keys") -> None:
        w = self.window
        if w.session is None or w.session.core is None:
            return
        from ui.settings.controller import SettingsController
        from ui.settings.dialog import SettingsDialog

        dialog = SettingsDialog(w)
        w._settings_controller = SettingsController(w.session, dialog, dialog)
        dialog.show_tab(tab)
        dialog.open()
        w.settings_dialog = dialog

    def choose_model(self) -> None:
        self.window.show_mode("Playground")
        self.window.picker.open()

    def view_code(self) -> None:
        draft = self.window.draft()
        if draft is not None:
            self.show_code(draft.filled())

    def view_column_code(self, column) -> None:
        prompt = self.window.prompt_snapshot()
        if prompt is not None:
            self.show_code(column.request(prompt.system, prompt.messages, prompt.params))

    def show_code(self, request) -> None:
        w = self.window
        if w.session is None:
            return
        endpoint = w.session.endpoint(request.endpoint)
        if endpoint is None:
            w.statusBar().showMessage(f"No endpoint named {request.endpoint!r}.", 8000)
            return
        from playground.llm.codegen import generate
        from playground.llm.errors import PlaygroundError
        from ui.playground.code_dialog import CodeDialog

        try:
            code = generate(endpoint, request)
        except PlaygroundError as exc:
            w.statusBar().showMessage(str(exc), 8000)
            return
        w.code_dialog = CodeDialog(code.python, code.curl, code.key_note, w)
        w.code_dialog.open()

    def view_tokens(self) -> None:
        w = self.window
        session = w.session
        draft = w.draft()
        core = session.core if session is not None else None
        if session is None or draft is None or core is None:
            return
        request = draft.filled()
        text = "\n\n".join([request.system, *(m.content for m in request.messages)]).strip()

        def show(value: tuple[list[TokenPiece], int, str]) -> None:
            from ui.playground.token_dialog import TokenDialog

            w.token_dialog = TokenDialog(*value, parent=w)
            w.token_dialog.open()

        from playground.tokens.counter import token_view

        w.statusBar().showMessage("Splitting the prompt into tokens…", 3000)
        session.background.submit(lambda: token_view(core.counter, request.model, text), show)

    def plan_prompt(self) -> None:
        """Count the prompt off the GUI thread (its encoding may load there), then emit its PlanSeed."""
        w = self.window
        core = w.session.core if w.session is not None else None
        current = w.picker.current()
        if w.session is None or core is None or current is None:
            return
        prompt = w.prompt_snapshot()
        if prompt is None:
            w.statusBar().showMessage("Write a message first.", 5000)
            return
        max_tokens = prompt.params.get("max_tokens")
        w.statusBar().showMessage("Counting the prompt for the plan…", 3000)
        request_seed(
            w.session.background,
            lambda s: s.from_prompt(core.counter, *current, prompt.system, prompt.messages, max_tokens),
            self.planRequested.emit,
            lambda exc: w.statusBar().showMessage(f"Could not plan this prompt: {exc}", 8000),
        )

    def import_history(self) -> None:
        w = self.window
        core = w.session.core if w.session else None
        if core is None:
            return
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(w, "Import history", "", "History (*.json *.db);;All files (*)")
        if path:
            w.import_file(Path(path))

    def show_shortcuts(self) -> None:
        from ui.shortcuts_dialog import ShortcutsDialog

        w = self.window
        w.shortcuts_dialog = ShortcutsDialog(w.actions(), w)
        w.shortcuts_dialog.open()
