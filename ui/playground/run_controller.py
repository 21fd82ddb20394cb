"""Runs the Playground prompt: the draft, token estimates, the budget check, the run and its display,
and the conversation turns. The main window only builds this and connects it."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from ui.common.ask import confirmed

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel, QStackedWidget, QStatusBar, QWidget

    from playground.llm.errors import CallError
    from playground.llm.request import Request
    from ui.compare.session import PromptSnapshot
    from ui.compare.view import CompareView
    from ui.playground.counter_bar import CounterBar
    from ui.playground.model_picker import ModelPicker
    from ui.playground.output_pane import OutputPane
    from ui.playground.parameter_panel import ParameterPanel
    from ui.playground.prompt_editor import PromptEditor
    from ui.playground.session import Draft, Session

ESTIMATE_DEBOUNCE_MS = 250
HISTORY_BUSY = (
    "<b>Waiting for the history.</b> Another program (or an import in this app) is writing to it. "
    "Nothing is sent until the call can be recorded; if the history stays busy, the call is not sent "
    "and nothing is billed."
)


class RunController(QObject):
    """Owns the Playground run. ``stateChanged`` asks the window to re-check which actions are on;
    ``recorded`` says a call was saved to the history (the History and Spend modes refresh)."""

    stateChanged = Signal()
    recorded = Signal()

    def __init__(
        self,
        session: Session,
        *,
        editor: PromptEditor,
        picker: ModelPicker,
        params: ParameterPanel,
        output: OutputPane,
        counters: CounterBar,
        budget_banner: QLabel,
        compare: CompareView,
        tabs: QStackedWidget,
        status: QStatusBar,
        prompt_snapshot: Callable[[], PromptSnapshot | None],
        parent: QWidget,
    ):
        super().__init__(parent)
        from ui.playground.conversation import Conversation

        self.session = session
        self.library_version = (
            None  # the library version last opened or saved (a run links to it if unedited)
        )
        self.editor = editor
        self.picker = picker
        self.params = params
        self.output = output
        self.counters = counters
        self.budget_banner = budget_banner
        self.compare = compare
        self.tabs = tabs
        self.status = status
        self.prompt_snapshot = prompt_snapshot
        self._parent = parent
        self.budget = None  # the BudgetStatus while a budget is set
        self._run_when_stopped = False  # Run pressed while a stopped answer was still ending
        self._running = ""  # "endpoint / model" of the run on screen
        self._waited = False  # the run waits for the history to take its row, and says so

        self._estimate_timer = QTimer(self)
        self._estimate_timer.setSingleShot(True)
        self._estimate_timer.setInterval(ESTIMATE_DEBOUNCE_MS)
        self._estimate_timer.timeout.connect(self._request_estimate)

        picker.picked.connect(self._model_picked)
        editor.changed.connect(self.schedule_estimate)
        params.changed.connect(self.schedule_estimate)
        session.modelsChanged.connect(self.schedule_estimate)  # a price saved in Settings, say
        session.estimated.connect(self._estimated)
        session.runStarted.connect(self._run_started)
        session.runProgress.connect(self._run_progress)
        session.runFinished.connect(self._run_finished)
        session.budgetStatus.connect(self._budget_status)
        output.logprob_hint = self.logprob_hint
        output.tool_calls.sendResults.connect(self.send_tool_results)
        self._sent: Draft | None = None  # the last run's draft: a tool round continues from it
        self.conversation = Conversation(editor.messages)
        editor.messages.rerunRequested.connect(self._rerun_from)
        editor.messages.branchRequested.connect(self._switch_branch)
        from ui.playground.conversation_io import ConversationIO

        self.files = ConversationIO(
            session,
            self.conversation,
            editor=editor,
            picker=picker,
            params=params,
            status=status,
            show_playground=lambda: tabs.setCurrentIndex(0),
            parent=parent,
        )

    @property
    def comparing(self) -> bool:
        return self.tabs.currentWidget() is self.compare

    # models and estimates

    def _model_picked(self, endpoint_name: str, model: str) -> None:
        from playground.llm.params import availability

        endpoint = self.session.endpoint(endpoint_name)
        if endpoint is None:
            self.status.showMessage(f"No endpoint named {endpoint_name!r}: add it in Settings ▸ Endpoints.")
            self.stateChanged.emit()
            return
        self.params.set_availability(endpoint.api, availability(endpoint.api, model, endpoint.official))
        self.editor.messages.set_model(endpoint.api, model)
        self.schedule_estimate()
        self.stateChanged.emit()

    def logprob_hint(self) -> str:
        from ui.playground.hints import logprob_hint

        current = self.picker.current()
        endpoint = self.session.endpoint(current[0]) if current else None
        model = current[1] if current else ""
        return logprob_hint(endpoint, model, self.params.values(), bool(self.output.text()))

    def draft(self) -> Draft | None:
        from playground.llm.request import Message, Request
        from ui.playground.session import Draft

        current = self.picker.current()
        if current is None:
            return None
        system, messages, variables = self.editor.state()
        messages = [m for m in messages if m.content.strip()] or [Message("user", "")]
        return Draft(
            Request(current[0], current[1], tuple(messages), system, self.params.values()),
            variables,
            library_version=self.library_version,
        )

    def schedule_estimate(self) -> None:
        self._estimate_timer.start()

    def stop_estimates(self) -> None:
        self._estimate_timer.stop()

    def _request_estimate(self) -> None:
        draft = self.draft()
        if draft is None or self.session.core is None:
            return
        if self.session.endpoint(draft.request.endpoint) is None:  # removed: nothing will count it
            self.counters.show_estimate(None)
            return
        self.counters.show_estimate(None, counting=True)
        self.session.request_estimate(draft)

    def _estimated(self, result) -> None:
        self.counters.show_estimate(result.estimate)
        if result.error:
            self.status.showMessage(f"Could not count tokens: {result.error}", 8000)

    # running

    def run(self) -> None:
        if refused := self.session.refusal():  # Run is off then; History's Re-run still asks
            self.tabs.setCurrentIndex(0)
            self.output.refuse(refused)
            return
        if self.comparing:
            if self.prompt_snapshot() is None:
                self.status.showMessage("Write a message first.", 5000)
                return
            self.compare.run_all()
            return
        draft = self.draft()
        if draft is None:
            self.output.refuse("Pick a model first.")
            return
        if self.session.running:
            if self.session.stopping:  # Run right after Stop: it starts once the stop is done
                self._run_when_stopped = True
                self.status.showMessage("Runs as soon as the stopped answer has ended…", 5000)
            return
        if not any(m.content.strip() for m in draft.request.messages):
            self.status.showMessage("Write a message first.", 5000)
            self.editor.messages.first_editor().setFocus()
            return
        if self.conversation.drop_last_answer():
            self.status.showMessage(
                "Asked again: the earlier answer is kept as a version (‹ › on the answer switches).", 8000
            )
            draft = self.draft()
            if draft is None:
                return
        estimate = self.counters.estimate
        warning = (
            self.budget.warning_for(estimate.worst_cost.total if estimate else None) if self.budget else None
        )
        if warning and not self.confirm_over_budget(warning):
            return
        from dataclasses import replace

        draft = replace(draft, conversation_id=self.conversation.turn_id())
        if self._start(draft):
            self.conversation.asked(draft.request.messages)

    def send_tool_results(self, calls: list, results: list) -> None:
        """The next round of a tool loop: the last request's messages, the model's calls and the results,
        recorded as one more call of the same conversation."""
        from dataclasses import replace

        from playground.llm.request import Message

        sent = self._sent
        if sent is None or self.session.running:
            return
        turn = (
            Message("assistant", self.output.text(), tool_calls=tuple(calls)),
            Message("user", "", tool_results=tuple(results)),
        )
        request = replace(sent.request, messages=(*sent.request.messages, *turn))
        self._start(replace(sent, request=request))

    def _start(self, draft: Draft) -> bool:
        """Run ``draft``, or say where the answer would be why it cannot start."""
        if refused := self.session.run(draft):
            self.output.refuse(refused)
            return False
        self._sent = draft
        return True

    def new_conversation(self) -> None:
        if not self.session.running:
            self.conversation.clear()
            self.output.start()
            self.output.set_status("")
            self.counters.clear_run()
            self.show_runs_off()

    def show_runs_off(self) -> bool:
        """Say where the answer would be why no run can start (a history that cannot record calls);
        False when runs can start."""
        refused = self.session.refusal()
        if refused:
            self.output.show_message(f"<b>Runs are off.</b> {html.escape(refused)}", error=False)
        return bool(refused)

    def _rerun_from(self, index: int) -> None:
        if self.session.running:
            return
        if refused := self.session.refusal():  # before the conversation drops the later turns
            self.output.refuse(refused)
            return
        self.conversation.rerun_from(index)
        self.run()

    def _switch_branch(self, index: int, delta: int) -> None:
        """Show another version of a turn: its later turns, its last answer; the counters follow."""
        if self.session.running:
            self.status.showMessage("Wait for the answer (or stop it) before switching branches.", 5000)
            return
        answer = self.conversation.switch(index, delta)
        if answer is None:
            return
        self.output.start()
        self.output.append(answer)
        self.output.finish()
        self.output.set_status("branch switched")
        self.counters.clear_run()
        self.schedule_estimate()
        self.stateChanged.emit()

    def confirm_over_budget(self, warning: str) -> bool:
        return confirmed(self._parent, "Budget", f"{warning}\n\nRun it anyway?", warning=True)

    def _budget_status(self, status) -> None:
        self.budget = (
            status if (status.budgets.daily is not None or status.budgets.monthly is not None) else None
        )
        lines = status.crossed
        self.budget_banner.setText("⚠ " + " ".join(lines) if lines else "")
        self.budget_banner.setVisible(bool(lines))

    def _run_started(self, request: Request) -> None:
        self.status.clearMessage()
        self.output.start()
        self._running = f"{request.endpoint} / {request.model}"
        self._waited = False
        self.output.set_status(f"{self._running}: waiting for the first token…")
        self.counters.clear_run()
        self.picker.used(request.endpoint, request.model)
        self.stateChanged.emit()

    def _run_progress(self, drained) -> None:
        self.output.append(drained.text, drained.reasoning, drained.logprobs)
        if drained.waiting_for_history and not self._waited:  # nothing is sent before the row is had
            self._waited = True
            self.output.set_status(f"{self._running}: waiting for the history…")
            self.output.show_message(HISTORY_BUSY, error=False)
        elif self._waited and drained.history_wait_s is None and drained.result is None:  # it has it
            self._waited = False
            self.output.clear_message()
            self.output.set_status(f"{self._running}: waiting for the first token…")
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
        self.recorded.emit()
        self.output.finish()
        self.counters.show_result(result)
        status = {"ok": "done", "cancelled": "stopped by you", "error": "failed"}.get(
            result.status, result.status
        )
        if result.finish_reason and result.status == "ok":
            status += f" ({result.finish_reason})"
        from playground.llm.errors import ErrorKind

        if result.error is not None and result.error.kind == ErrorKind.HISTORY_UNAVAILABLE:
            status = "not sent"  # refused before sending: the box says why
        if result.dropped_params:
            status += " · not sent: " + ", ".join(result.dropped_params)
        # kept beside the history and recorded once it is free, or not at all
        unrecorded = "Not recorded in history" + (" yet" if result.recorded_later else "")
        if result.not_recorded:  # the reason is long (a folder, the cause): in the box and the tooltip
            status += f" · {unrecorded.lower()}"
        self.output.set_status(status, result.not_recorded or "")
        self.output.show_structured(result)
        if result.error is not None and result.status != "ok":
            self.output.show_error(result.error, self._advice(result.error))
        elif result.not_recorded:  # answered, and billed, but the history could not take it now
            why = html.escape(result.not_recorded)
            self.output.show_message(f"<b>{unrecorded}:</b> {why}", error=False)
        else:
            self.output.clear_message()  # a wait for the history said so; it is over
        if result.status in ("ok", "cancelled") and self.output.text() and not result.tool_calls:
            self.conversation.answered(self.output.text())
        self.stateChanged.emit()
        if self._run_when_stopped:
            self._run_when_stopped = False
            QTimer.singleShot(0, self.run)  # after every slot of this answer's end

    def _advice(self, error: CallError) -> str:
        current = self.picker.current()
        endpoint = self.session.endpoint(current[0]) if current else None
        key_name = endpoint.key_name if endpoint and endpoint.key_name else "openai"
        return error.advice(key_name, gui=True)
