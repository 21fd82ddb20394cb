"""The main window: lays out the parts and connects their signals. No business logic lives here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QSplitter, QToolBar, QVBoxLayout, QWidget

if TYPE_CHECKING:  # the parts load after the first paint (see attach)
    from playground.llm.errors import CallError
    from playground.llm.request import Request
    from ui.playground.session import Draft, Session
    from ui.window_state import SavedState, WindowState

ESTIMATE_DEBOUNCE_MS = 250
DEFAULT_MODEL = ("openai", "gpt-4o-mini")
MODES = (  # (name, what it is for): the left rail, in this order
    ("Playground", "Write a prompt, run it on one model, see tokens and cost"),
    ("Compare", "Run the prompt on several models or parameter sets at once"),
    ("History", "Every call you made: search, reopen, re-run, export"),
    ("Spend", "What you spent, by day and model, against your budgets"),
)


class MainWindow(QMainWindow):
    """Paints its frame first; ``attach`` then builds the parts (the window shows at bare-Qt speed)."""

    painted = Signal()
    ready = Signal()

    def __init__(self, session: Session | None = None, state: WindowState | None = None, parent=None):
        super().__init__(parent)
        self.session: Session | None = None
        self.state = state
        self._painted = False
        self._restored: SavedState | None = None
        self.setWindowTitle("LLM Playground")
        self.resize(1280, 800)
        self._build_actions()
        self.statusBar().showMessage("Starting…")
        if session is not None:
            self.attach(session)

    def attach(self, session: Session) -> None:
        """Build the parts and connect them to ``session``."""
        from ui.compare.session import CompareSession
        from ui.compare.view import CompareView
        from ui.playground.counter_bar import CounterBar
        from ui.playground.model_picker import ModelPicker
        from ui.playground.output_pane import OutputPane
        from ui.playground.parameter_panel import ParameterPanel
        from ui.playground.prompt_editor import PromptEditor

        self.session = session
        self.picker = ModelPicker()
        self.editor = PromptEditor()
        self.output = OutputPane()
        self.params = ParameterPanel()
        self.counters = CounterBar()
        self.compare_session = CompareSession(session, self)
        self.compare = CompareView(self.compare_session, self.prompt_snapshot, self.picker.current)
        from ui.history.view import HistoryView

        self.history = HistoryView(session.background)
        self.history.current_model = self.picker.current
        self.history.reopenRequested.connect(self.reopen_call)
        self.history.rerunRequested.connect(lambda row: (self.reopen_call(row), self.run()))
        self.toolbar.insertWidget(self.toolbar.actions()[0], self.picker)
        self.toolbar.insertSeparator(self.toolbar.actions()[1])
        self._build_layout()

        self._estimate_timer = QTimer(self)
        self._estimate_timer.setSingleShot(True)
        self._estimate_timer.setInterval(ESTIMATE_DEBOUNCE_MS)
        self._estimate_timer.timeout.connect(self._request_estimate)

        self.picker.picked.connect(self._model_picked)
        self.editor.changed.connect(self._schedule_estimate)
        self.params.changed.connect(self._schedule_estimate)
        self.output.linkActivated.connect(self._link)
        self.editor.changed.connect(self.compare.schedule_forecast)
        self.params.changed.connect(self.compare.schedule_forecast)
        self.compare.restorePrompt.connect(self._restore_prompt)
        self.compare.codeRequested.connect(self._view_column_code)
        self.compare.editPromptRequested.connect(lambda: self.show_mode("Playground"))
        self.compare_session.started.connect(lambda *_: self._update_actions())
        self.compare_session.finished.connect(self._update_actions)
        session.coreReady.connect(self._core_ready)
        session.modelsChanged.connect(self._models_changed)
        session.estimated.connect(self._estimated)
        session.runStarted.connect(self._run_started)
        session.runProgress.connect(self._run_progress)
        session.runFinished.connect(self._run_finished)
        session.notice.connect(self.notices.add)
        session.unavailable.connect(self._unavailable)
        session.localServersFound.connect(self._local_servers)
        session.imported.connect(self._imported)
        session.budgetStatus.connect(self._budget_status)
        self.compare_session.finished.connect(session.refresh_budget)
        self.output.logprob_hint = self._logprob_hint
        from ui.playground.conversation import Conversation

        self.conversation = Conversation(self.editor.messages)
        self.editor.messages.rerunRequested.connect(self._rerun_from)
        self.output.show_welcome()
        self._restore()
        self._update_actions()
        self.ready.emit()

    # layout

    def _build_actions(self) -> None:
        def action(
            text: str, shortcut: str | QKeySequence.StandardKey | None, slot, tip: str = ""
        ) -> QAction:
            a = QAction(text, self)
            if shortcut is not None:
                a.setShortcut(QKeySequence(shortcut))
            a.setToolTip(f"{tip or text} ({a.shortcut().toString()})" if shortcut else tip or text)
            a.triggered.connect(slot)
            self.addAction(a)
            return a

        self.run_action = action("&Run", "Ctrl+Return", self.run, "Send the prompt")
        self.run_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])  # keypad
        self.stop_action = action("&Stop", "Esc", self.stop, "Stop the answer; the text so far is kept")
        self.code_action = action(
            "View &code", "Ctrl+Shift+C", self.view_code, "The exact request as Python and curl"
        )
        self.tokens_action = action(
            "&Tokens", "Ctrl+T", self.view_tokens, "How the prompt splits into tokens"
        )
        self.settings_action = action("&Settings…", "Ctrl+,", lambda: self.open_settings("keys"))
        self.add_message_action = action("&Add message", "Ctrl+M", self._add_message)
        self.new_conversation_action = action(
            "&New conversation", "Ctrl+N", lambda: self.new_conversation(), "Clear the turns and start fresh"
        )
        self.undo_messages_action = action(
            "&Undo message change",
            "Ctrl+Shift+Z",
            lambda: self.editor.messages.undo(),
            "Undo the last add, remove or move of a message",
        )
        self.reset_params_action = action("&Reset parameters", "Ctrl+R", lambda: self.params.reset())
        self.shortcuts_action = action(
            "&Keyboard shortcuts", QKeySequence.StandardKey.HelpContents, self.show_shortcuts
        )
        self.quit_action = action("&Quit", QKeySequence.StandardKey.Quit, self.close)
        self.mode_actions = [
            action(f"Go to {name}", f"Ctrl+{i + 1}", lambda _=False, n=name: self.show_mode(n), tip)
            for i, (name, tip) in enumerate(MODES)
        ]
        self.prompt_panel_action = action(
            "Show &prompt panel", "Ctrl+Shift+E", lambda on: self.editor.setVisible(on)
        )
        self.params_panel_action = action(
            "Show p&arameters panel", "Ctrl+Shift+P", lambda on: self.params.setVisible(on)
        )
        for a in (self.prompt_panel_action, self.params_panel_action):
            a.setCheckable(True)
            a.setChecked(True)

        menus = self.menuBar()
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
        help_menu = menus.addMenu("&Help")
        help_menu.addAction(self.shortcuts_action)

        bar = QToolBar("Main")
        bar.setObjectName("main-toolbar")
        bar.setMovable(False)
        self.toolbar = bar
        for a in (
            self.run_action,
            self.stop_action,
            self.code_action,
            self.tokens_action,
            self.settings_action,
        ):
            bar.addAction(a)
        self.addToolBar(bar)
        for a in self.actions():
            a.setEnabled(a in (self.quit_action, self.shortcuts_action))

    def _build_layout(self) -> None:
        from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget

        from ui.common.banner import NoticeBanner
        from ui.mode_rail import ModeRail

        single = QWidget()
        column = QVBoxLayout(single)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.output, 1)
        column.addWidget(self.counters)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.editor)
        split.addWidget(single)
        split.addWidget(self.params)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 5)
        split.setStretchFactor(2, 0)  # the parameters keep the width that fits them
        split.setSizes([340, 500, 300])
        split.setChildrenCollapsible(False)
        self.splitter = split
        self.playground_page = split
        # Each mode owns the whole width: the prompt and parameters live only in Playground.
        self.tabs = QStackedWidget()
        self.tabs.addWidget(split)
        self.tabs.addWidget(self.compare)
        self.tabs.addWidget(self.history)
        self.spend = None  # built on first show: pyqtgraph (and numpy) load only then
        self._spend_slot = QWidget()
        self.tabs.addWidget(self._spend_slot)
        self.rail = ModeRail(MODES)
        self.rail.picked.connect(self.tabs.setCurrentIndex)
        self.tabs.currentChanged.connect(self.rail.show_mode)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.tabs.currentChanged.connect(lambda _: self._update_actions())

        self.budget_banner = QLabel()
        self.budget_banner.setTextFormat(Qt.TextFormat.PlainText)
        self.budget_banner.setWordWrap(True)
        self.budget_banner.setAccessibleName("Budget warning")
        self.budget_banner.setStyleSheet(
            "QLabel { background: rgba(240, 173, 78, 0.25); border: 1px solid #f0ad4e; padding: 6px; }"
        )
        self.budget_banner.hide()
        self._budget = None
        self.notices = NoticeBanner()
        body = QWidget()
        right = QVBoxLayout(body)
        right.setContentsMargins(6, 6, 6, 0)
        right.addWidget(self.notices)
        right.addWidget(self.budget_banner)
        right.addWidget(self.tabs, 1)
        central = QWidget()
        outer = QHBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.rail)
        outer.addWidget(body, 1)
        self.setCentralWidget(central)

    def show_mode(self, name: str) -> None:
        """Switch to a mode by its rail name (Playground, Compare, History, Spend)."""
        index = [m for m, _ in MODES].index(name)
        if self.tabs.widget(index) is self._spend_slot:
            self.show_spend()
        else:
            self.tabs.setCurrentIndex(index)

    def _tab_changed(self, index: int) -> None:
        if (
            self.tabs.widget(index) is self._spend_slot
            and self.spend is None
            and self.session.core is not None
        ):
            self.show_spend()

    def show_spend(self) -> None:
        """Build the Spend mode (on first use) and show it."""
        if self.spend is None:
            from ui.spend.view import SpendView

            self.spend = SpendView(self.session.background)
            index = self.tabs.indexOf(self._spend_slot)
            self.tabs.blockSignals(True)
            self.tabs.removeWidget(self._spend_slot)
            self.tabs.insertWidget(index, self.spend)
            self.tabs.blockSignals(False)
            self.spend.set_core(self.session.core)
        self.tabs.setCurrentWidget(self.spend)

    @property
    def comparing(self) -> bool:
        return self.tabs.currentWidget() is self.compare

    def prompt_snapshot(self):
        """The shared prompt with its variables filled, and the shared parameters (for Compare)."""
        from playground.llm.request import Message
        from playground.llm.templates import fill
        from ui.compare.session import PromptSnapshot

        system, messages, variables = self.editor.state()
        filled = [Message(m.role, fill(m.content, variables)) for m in messages if m.content.strip()]
        if not filled:
            return None
        return PromptSnapshot(fill(system, variables), filled, self.params.values())

    def _restore_prompt(self, system: str, messages: list) -> None:
        self.editor.set_state(system, messages, self.editor.all_variable_values())

    # state

    def _restore(self) -> None:
        if self.state is None:
            return
        from ui.window_state import WindowState  # noqa: F401  (loaded with the parts)

        saved = self.state.load()
        self._restored = saved
        if saved.geometry is not None:
            self.restoreGeometry(saved.geometry)
        if "main" in saved.splitters:
            self.splitter.restoreState(saved.splitters["main"])
        if "prompt" in saved.splitters:
            self.editor.splitter.restoreState(saved.splitters["prompt"])
        if saved.system or saved.messages:
            self.editor.set_state(saved.system, saved.messages, saved.variables)

    def saved_state(self) -> SavedState:
        from ui.window_state import SavedState

        current = self.picker.current() or (None, None)
        system, messages, _ = self.editor.state()
        return SavedState(
            endpoint=current[0],
            model=current[1],
            params=self.params.values(),
            system=system,
            messages=messages,
            variables=self.editor.all_variable_values(),
            geometry=self.saveGeometry(),
            splitters={"main": self.splitter.saveState(), "prompt": self.editor.splitter.saveState()},
        )

    def closeEvent(self, event) -> None:
        if self.session is not None and not self.session.closed:
            self._estimate_timer.stop()
            if self.state is not None:
                self.state.save(self.saved_state())
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> bool:
        """Stop the run and the comparison (each keeps what arrived), then wait (bounded) for their
        threads and the background work. True when the core may be closed. Safe to call twice."""
        if self.session is None:
            return True
        self.stop()
        return self.session.shutdown(also=self.compare_session.shutdown)

    def stop(self) -> None:
        if self.session is not None:
            self.session.stop()
            self.compare_session.stop_all()

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.painted.emit()

    # core and models

    def reopen_call(self, row) -> None:
        """Put a recorded call (a CallRecord) back into the editor: model, prompt and parameters."""
        from playground.llm.request import Message

        messages = [Message(m["role"], m["content"]) for m in row.messages]
        self.editor.set_state(row.system or "", messages, self.editor.all_variable_values())
        self.picker.select(row.endpoint, row.model)
        self.params.set_values(row.params)
        self.conversation.reopened(row.conversation_id)
        self.tabs.setCurrentIndex(0)

    def _core_ready(self) -> None:
        self.history.set_core(self.session.core)
        self.statusBar().showMessage("Ready. Ctrl+Enter runs the prompt.", 8000)
        saved = self._restored
        endpoint, model = (
            (saved.endpoint, saved.model) if saved and saved.endpoint and saved.model else DEFAULT_MODEL
        )
        if self.session.endpoint(endpoint) is None:
            endpoint, model = DEFAULT_MODEL
        self.picker.select(endpoint, model)
        if saved and saved.params:
            self.params.set_values(saved.params)
        self._update_actions()

    def _unavailable(self, reason: str) -> None:
        """The core could not load: the window stays usable for reading, and says why runs cannot work."""
        self.notices.add(reason)
        self.statusBar().showMessage("History unavailable: runs are off until the data folder is fixed.")
        self._update_actions()

    def _models_changed(self, entries: list) -> None:
        self.picker.set_entries(entries)

    def _model_picked(self, endpoint_name: str, model: str) -> None:
        from playground.llm.params import availability

        endpoint = self.session.endpoint(endpoint_name)
        if endpoint is None:
            self.statusBar().showMessage(
                f"No endpoint named {endpoint_name!r}: add it in Settings ▸ Endpoints."
            )
            self._update_actions()
            return
        self.params.set_availability(endpoint.api, availability(endpoint.api, model, endpoint.official))
        self._schedule_estimate()
        self._update_actions()

    def _logprob_hint(self) -> str:
        from ui.playground.hints import logprob_hint

        current = self.picker.current()
        endpoint = self.session.endpoint(current[0]) if current else None
        model = current[1] if current else ""
        return logprob_hint(endpoint, model, self.params.values(), bool(self.output.text()))

    def _local_servers(self, servers: list) -> None:
        names = ", ".join(f"{s.endpoint.name} ({len(s.models)} models)" for s in servers)
        self.statusBar().showMessage(f"Found local servers: {names}; added as free endpoints.", 15000)

    # prompt and estimates

    def draft(self) -> Draft | None:
        from playground.llm.request import Message, Request
        from ui.playground.session import Draft

        current = self.picker.current()
        if current is None:
            return None
        system, messages, variables = self.editor.state()
        messages = [m for m in messages if m.content.strip()] or [Message("user", "")]
        return Draft(
            Request(current[0], current[1], tuple(messages), system, self.params.values()), variables
        )

    def _schedule_estimate(self) -> None:
        self._estimate_timer.start()

    def _request_estimate(self) -> None:
        draft = self.draft()
        if draft is not None and self.session.core is not None:
            self.counters.show_estimate(None, counting=True)
            self.session.request_estimate(draft)

    def _estimated(self, result) -> None:
        self.counters.show_estimate(result.estimate)
        if result.error:
            self.statusBar().showMessage(f"Could not count tokens: {result.error}", 8000)

    # running

    def run(self) -> None:
        if self.session is not None and self.session.failure:
            self.tabs.setCurrentIndex(0)
            self.output.refuse(self.session.failure)
            return
        if self.session is not None and self.comparing:
            if self.prompt_snapshot() is None:
                self.statusBar().showMessage("Write a message first.", 5000)
                return
            self.compare.run_all()
            return
        draft = self.draft()
        if draft is None or self.session.running:
            return
        if not any(m.content.strip() for m in draft.request.messages):
            self.statusBar().showMessage("Write a message first.", 5000)
            self.editor.messages.first_editor().setFocus()
            return
        if self.conversation.drop_last_answer():
            self.statusBar().showMessage(
                "Asked again: the last answer is replaced (Edit ▸ Undo message change brings it back).", 8000
            )
            draft = self.draft()
            if draft is None:
                return
        estimate = self.counters.estimate
        warning = (
            self._budget.warning_for(estimate.worst_cost.total if estimate else None)
            if self._budget
            else None
        )
        if warning and not self._confirm_over_budget(warning):
            return
        from dataclasses import replace

        self.session.run(replace(draft, conversation_id=self.conversation.turn_id()))

    def new_conversation(self) -> None:
        if self.session is not None and not self.session.running:
            self.conversation.clear()
            self.output.start()
            self.output.set_status("")
            self.counters.clear_run()

    def _rerun_from(self, index: int) -> None:
        if self.session is None or self.session.running:
            return
        self.conversation.rerun_from(index)
        self.run()

    def _confirm_over_budget(self, warning: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.warning(
            self,
            "Budget",
            f"{warning}\n\nRun it anyway?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _budget_status(self, status) -> None:
        self._budget = (
            status if (status.budgets.daily is not None or status.budgets.monthly is not None) else None
        )
        lines = status.crossed
        self.budget_banner.setText("⚠ " + " ".join(lines) if lines else "")
        self.budget_banner.setVisible(bool(lines))

    def _run_started(self, request: Request) -> None:
        self.statusBar().clearMessage()
        self.output.start()
        self.output.set_status(f"{request.endpoint} / {request.model}: waiting for the first token…")
        self.counters.clear_run()
        self._update_actions()

    def _run_progress(self, drained) -> None:
        self.output.append(drained.text, drained.reasoning, drained.logprobs)
        if drained.retrying is not None:
            r = drained.retrying
            self.output.set_status(
                f"{r.error.kind.replace('_', ' ')}: retrying in {r.delay:.1f} s (attempt {r.attempt + 1})"
            )
        elif drained.first_token_s is not None:
            self.output.set_status("streaming…")
        estimate = self.counters.estimate
        input_tokens = estimate.input.tokens if estimate else 0
        rates = self.session.rates
        running = rates.cost(input_tokens, drained.output_tokens) if rates else None
        self.counters.show_progress(drained, running)

    def _run_finished(self, result) -> None:
        self.history.reload_choices()
        self.history.refresh()
        if self.spend is not None:
            self.spend.refresh()
        self.output.finish()
        self.counters.show_result(result)
        status = {"ok": "done", "cancelled": "stopped by you", "error": "failed"}.get(
            result.status, result.status
        )
        if result.finish_reason and result.status == "ok":
            status += f" ({result.finish_reason})"
        if result.dropped_params:
            status += " · not sent: " + ", ".join(result.dropped_params)
        if result.not_recorded:
            status += f" · not recorded in history: {result.not_recorded}"
        self.output.set_status(status)
        if result.error is not None and result.status != "ok":
            self.output.show_error(result.error, self._advice(result.error))
        if result.status in ("ok", "cancelled") and self.output.text():
            self.conversation.answered(self.output.text())
        self._update_actions()

    def _advice(self, error: CallError) -> str:
        endpoint = self.session.endpoint(self.picker.current()[0]) if self.picker.current() else None
        key_name = endpoint.key_name if endpoint and endpoint.key_name else "openai"
        return error.advice(key_name, gui=True)

    def _update_actions(self) -> None:
        self.shortcuts_action.setEnabled(True)
        for a in (*self.mode_actions, self.prompt_panel_action, self.params_panel_action):
            a.setEnabled(True)
        self.add_message_action.setEnabled(True)
        self.new_conversation_action.setEnabled(True)
        self.undo_messages_action.setEnabled(True)
        self.reset_params_action.setEnabled(True)
        running = self.session.running or self.compare_session.running
        ready = self.session.core is not None and self.picker.current() is not None
        self.run_action.setEnabled((ready or bool(self.session.failure)) and not running)
        self.stop_action.setEnabled(running)
        self.run_action.setText("&Run all columns" if self.comparing else "&Run")
        self.code_action.setEnabled(ready)
        self.tokens_action.setEnabled(ready)
        self.settings_action.setEnabled(self.session.core is not None)
        self.import_action.setEnabled(self.session.core is not None)

    def _add_message(self) -> None:
        messages = self.editor.messages.messages()
        last = messages[-1].role if messages else "assistant"
        self.editor.messages.add_message("assistant" if last == "user" else "user")

    # dialogs

    def _link(self, url: str) -> None:
        if url.startswith("settings:"):
            self.open_settings(url.removeprefix("settings:"))

    def open_settings(self, tab: str = "keys") -> None:
        if self.session.core is None:
            return
        from ui.settings.controller import SettingsController
        from ui.settings.dialog import SettingsDialog

        dialog = SettingsDialog(self)
        self._settings_controller = SettingsController(self.session, dialog, dialog)
        dialog.show_tab(tab)
        dialog.open()
        self.settings_dialog = dialog

    def view_code(self) -> None:
        draft = self.draft()
        if draft is not None:
            self._show_code(draft.filled())

    def _view_column_code(self, column) -> None:
        prompt = self.prompt_snapshot()
        if prompt is not None:
            self._show_code(column.request(prompt.system, prompt.messages, prompt.params))

    def _show_code(self, request) -> None:
        endpoint = self.session.endpoint(request.endpoint)
        if endpoint is None:
            self.statusBar().showMessage(f"No endpoint named {request.endpoint!r}.", 8000)
            return
        from playground.llm.codegen import generate
        from playground.llm.errors import PlaygroundError
        from ui.playground.code_dialog import CodeDialog

        try:
            code = generate(endpoint, request)
        except PlaygroundError as exc:
            self.statusBar().showMessage(str(exc), 8000)
            return
        self.code_dialog = CodeDialog(code.python, code.curl, code.key_note, self)
        self.code_dialog.open()

    def view_tokens(self) -> None:
        draft = self.draft()
        core = self.session.core
        if draft is None or core is None:
            return
        request = draft.filled()
        text = "\n\n".join([request.system, *(m.content for m in request.messages)]).strip()

        def show(value) -> None:
            from ui.playground.token_dialog import TokenDialog

            self.token_dialog = TokenDialog(*value, parent=self)
            self.token_dialog.open()

        from playground.tokens.counter import token_view

        self.statusBar().showMessage("Splitting the prompt into tokens…", 3000)
        self.session.background.submit(lambda: token_view(core.counter, request.model, text), show)

    def import_history(self) -> None:
        core = self.session.core if self.session else None
        if core is None:
            return
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self, "Import history", "", "History (*.json *.db);;All files (*)"
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path) -> None:
        self.statusBar().showMessage(f"Importing {path.name}…")
        self.session.import_history(path)

    def _imported(self, message: str) -> None:
        self.statusBar().showMessage(message, 15000)
        self.history.reload_choices()
        self.history.refresh()
        if self.spend is not None:
            self.spend.refresh()

    def show_shortcuts(self) -> None:
        from ui.shortcuts_dialog import ShortcutsDialog

        self.shortcuts_dialog = ShortcutsDialog(self.actions(), self)
        self.shortcuts_dialog.open()
