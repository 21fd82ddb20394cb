"""The main window: lays out the parts and connects their signals. No business logic lives here: the
actions, menus and dialogs are in ui/actions.py, the Playground run in ui/playground/run_controller.py,
the modes' pages (Spend and Plan built on first show) in ui/mode_pages.py, the signal table in
ui/main_wiring.py, what is remembered between runs in ui/window_state.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QMainWindow, QSplitter, QVBoxLayout, QWidget

from ui import page_loader
from ui.actions import MODES, WindowActions

if TYPE_CHECKING:  # the parts load after the first paint (see attach)
    from ui.mode_pages import ModePages
    from ui.plan.page import PlanPage
    from ui.playground.code_dialog import CodeDialog
    from ui.playground.run_controller import RunController
    from ui.playground.session import Draft, Session
    from ui.playground.token_dialog import TokenDialog
    from ui.settings.controller import SettingsController
    from ui.settings.dialog import SettingsDialog
    from ui.shortcuts_dialog import ShortcutsDialog
    from ui.spend.view import SpendView
    from ui.window_state import SavedState, WindowState

DEFAULT_MODEL = ("openai", "gpt-4o-mini")
__all__ = ["DEFAULT_MODEL", "MODES", "MainWindow"]


class MainWindow(QMainWindow):
    """Paints its frame first; ``attach`` then builds the parts (the window shows at bare-Qt speed)."""

    painted = Signal()
    ready = Signal()
    # opened by WindowActions
    settings_dialog: SettingsDialog
    _settings_controller: SettingsController
    code_dialog: CodeDialog
    token_dialog: TokenDialog
    shortcuts_dialog: ShortcutsDialog
    tabs: ModePages

    def __init__(self, session: Session | None = None, state: WindowState | None = None, parent=None):
        super().__init__(parent)
        self.session: Session | None = None
        self.runs: RunController | None = None
        self.state = state
        self._painted = False
        self._restored: SavedState | None = None
        self.setWindowTitle("LLM Playground")
        self.resize(1280, 800)
        self.menu = WindowActions(self)
        self.toolbar = self.menu.toolbar
        self.run_action = self.menu.run_action
        self.stop_action = self.menu.stop_action
        self.code_action = self.menu.code_action
        self.tokens_action = self.menu.tokens_action
        self.settings_action = self.menu.settings_action
        self.import_action = self.menu.import_action
        self.add_message_action = self.menu.add_message_action
        self.new_conversation_action = self.menu.new_conversation_action
        self.undo_messages_action = self.menu.undo_messages_action
        self.reset_params_action = self.menu.reset_params_action
        self.shortcuts_action = self.menu.shortcuts_action
        self.quit_action = self.menu.quit_action
        self.mode_actions = self.menu.mode_actions
        self.prompt_panel_action = self.menu.prompt_panel_action
        self.params_panel_action = self.menu.params_panel_action
        self.statusBar().showMessage("Starting…")
        if session is not None:
            self.attach(session)

    def attach(self, session: Session) -> None:
        """Build the parts and connect them to ``session``."""
        from ui.compare.session import CompareSession
        from ui.compare.view import CompareView
        from ui.main_wiring import wire
        from ui.playground.counter_bar import CounterBar
        from ui.playground.model_picker import ModelPicker
        from ui.playground.output_pane import OutputPane
        from ui.playground.parameter_panel import ParameterPanel
        from ui.playground.picker_data import PickerData
        from ui.playground.prompt_editor import PromptEditor
        from ui.playground.run_controller import RunController

        self.session = session
        self.picker = ModelPicker(PickerData(session, self))
        self.editor = PromptEditor()
        self.output = OutputPane()
        self.params = ParameterPanel()
        self.params.output.attach(session)
        self.params.tools.attach(session)
        self.counters = CounterBar()
        self.compare_session = CompareSession(session, self)
        self.compare = CompareView(self.compare_session, self.prompt_snapshot, self.picker.current)
        from ui.history.view import HistoryView

        self.history = HistoryView(session.background)
        self.history.model_.set_mask(self.compare_session.blind.mask)  # blind comparisons until the vote
        self.history.current_model = self.picker.current
        self.menu.add_picker(self.picker)
        self._build_layout()

        self.runs = RunController(
            session,
            editor=self.editor,
            picker=self.picker,
            params=self.params,
            output=self.output,
            counters=self.counters,
            budget_banner=self.budget_banner,
            compare=self.compare,
            tabs=self.tabs,
            status=self.statusBar(),
            prompt_snapshot=self.prompt_snapshot,
            parent=self,
        )
        self.conversation = self.runs.conversation
        wire(self, session)
        self.output.show_welcome()
        self._restore()
        self._update_actions()
        self.ready.emit()

    # layout

    def _build_layout(self) -> None:
        from PySide6.QtWidgets import QHBoxLayout, QLabel

        from ui.common.banner import NoticeBanner
        from ui.mode_pages import ModePages
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
        self.tabs = ModePages(
            self.session,
            [split, self.compare, self.history],
            lambda: tuple(f"{c.endpoint}/{c.model}" for c in self.compare.specs()),
        )
        self.rail = ModeRail(MODES)
        self.rail.picked.connect(self.tabs.setCurrentIndex)
        self.tabs.currentChanged.connect(self.rail.show_mode)
        self.tabs.currentChanged.connect(self.tabs.build_shown)
        self.tabs.currentChanged.connect(lambda _: self._update_actions())

        self.budget_banner = QLabel()
        self.budget_banner.setTextFormat(Qt.TextFormat.PlainText)
        self.budget_banner.setWordWrap(True)
        self.budget_banner.setAccessibleName("Budget warning")
        self.budget_banner.setStyleSheet(
            "QLabel { background: rgba(240, 173, 78, 0.25); border: 1px solid #f0ad4e; padding: 6px; }"
        )
        self.budget_banner.hide()
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

    # the modes' pages (ui/mode_pages.py)

    @property
    def spend(self) -> SpendView | None:
        return self.tabs.spend

    @property
    def plan(self) -> PlanPage | None:
        return self.tabs.plan

    def show_mode(self, name: str) -> None:
        """Switch to a mode by its rail name (Playground, Compare, History, Spend, Plan)."""
        self.tabs.show_mode(name)

    def show_plan(self, seed=None) -> None:
        """Show the Plan mode; ``seed`` (a PlanSeed) fills its workload."""
        self.tabs.show_plan(seed)

    def show_spend(self) -> None:
        self.tabs.show_spend()

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
        from ui.window_state import restore

        self._restored = self.state.load()
        restore(self, self._restored)

    def saved_state(self) -> SavedState:
        from ui.window_state import capture

        return capture(self)

    def closeEvent(self, event) -> None:
        if self.session is not None and not self.session.closed:
            if self.runs is not None:
                self.runs.stop_estimates()
            if self.state is not None:
                self.state.save(self.saved_state())
        self.hide()  # gone at once, although the wait below for a run's last write may take seconds
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> bool:
        """Stop the run and the comparison (each keeps what arrived), then wait (bounded) for their
        threads and the background work. True when the core may be closed. Safe to call twice."""
        if self.session is None:
            return True
        self.stop()
        self.history.job.cancel()  # an import stops after its batch (keeping it), an export writes nothing
        compare, evaluate = self.compare_session.shutdown, self.tabs.shutdown_evaluate
        return self.session.shutdown(also=lambda wait_s: evaluate(wait_s / 2) & compare(wait_s / 2))

    def stop(self) -> None:
        if self.session is not None:
            self.session.stop()
            self.compare_session.stop_all()
            self._update_actions()  # Run is back at once (it waits for the stop, run_controller)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.painted.emit()

    # core and models

    def reopen_call(self, row) -> None:
        """Put a recorded call (a CallRecord) back into the editor: model, prompt and parameters."""
        from playground.llm.request import Message

        messages = [Message.from_dict(m) for m in row.messages]
        self.editor.set_state(row.system or "", messages, self.editor.all_variable_values())
        self.picker.select(row.endpoint, row.model)
        self.params.set_values(row.params)
        self.conversation.reopened(row.conversation_id)
        self.tabs.setCurrentIndex(0)

    def _core_ready(self) -> None:
        self.history.set_core(self.session.core)
        self.tabs.build_shown(self.tabs.currentIndex())  # a mode opened before the core was up
        QTimer.singleShot(page_loader.AHEAD_MS, self, page_loader.style_made)
        assert self.runs is not None
        if self.runs.show_runs_off():  # a read-only or unusable history: read what there is
            self.statusBar().showMessage("Runs are off: the history cannot record them.")
        else:
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

    def _notice(self, text: str) -> None:
        """A notice from the core; the no-keyring one offers the way on: a key for this session."""
        core = self.session.core
        if core is not None and not core.keys.persistent and text == core.keys.problem:
            self.notices.add(text, ("Enter a key for this session…", lambda: self.open_settings("keys")))
        else:
            self.notices.add(text)

    def _unavailable(self, reason: str) -> None:
        """The core could not load: the window stays usable for reading, and says why runs cannot work."""
        self.notices.add(reason)
        self.statusBar().showMessage("History unavailable: runs are off until the data folder is fixed.")
        self._update_actions()

    def _models_changed(self, entries: list) -> None:
        self.picker.set_entries(entries)

    def _local_servers(self, servers: list) -> None:
        names = ", ".join(f"{s.endpoint.name} ({len(s.models)} models)" for s in servers)
        self.statusBar().showMessage(f"Found local servers: {names}; added as free endpoints.", 15000)

    # delegates (the actions, tests and the History mode call these)

    def draft(self) -> Draft | None:
        return self.runs.draft() if self.runs is not None else None

    def run(self) -> None:
        if self.runs is not None:
            self.runs.run()

    def new_conversation(self) -> None:
        if self.runs is not None:
            self.runs.new_conversation()

    def _update_actions(self) -> None:
        self.menu.update()

    def _link(self, url: str) -> None:
        if url.startswith("settings:"):
            self.open_settings(url.removeprefix("settings:"))

    def open_settings(self, tab: str = "keys") -> None:
        self.menu.open_settings(tab)

    def view_code(self) -> None:
        self.menu.view_code()

    def view_tokens(self) -> None:
        self.menu.view_tokens()

    def import_history(self) -> None:
        self.menu.import_history()

    def show_shortcuts(self) -> None:
        self.menu.show_shortcuts()

    def import_file(self, path) -> None:
        """Import in the background with History's progress bar and Cancel (one job at a time)."""
        if self.session is None or self.session.core is None:
            return
        job = self.history.job.start("Import", f"Importing {path.name}…")
        if job is None:
            self.statusBar().showMessage("Wait for the History export or import under way to end.", 5000)
            return
        progress, cancel = job
        self.show_mode("History")
        self.statusBar().showMessage(f"Importing {path.name}…")
        self.session.import_history(path, lambda p: progress.part.emit(p.done, p.total), cancel)

    def _imported(self, message: str) -> None:
        self.history.job.finish(message)
        self.statusBar().showMessage(message, 15000)
        self._history_changed()

    def _history_changed(self) -> None:
        self.history.reload_choices()
        self.history.refresh()
        if self.spend is not None:
            self.spend.refresh()
