"""The answer: streamed text, reasoning apart, plain/Markdown/probabilities, copy, and plain-word errors."""

from __future__ import annotations

import html
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from playground.llm.errors import CallError, ErrorKind
from playground.llm.events import TokenLogprob
from playground.llm.result import CallResult
from playground.llm.schema import pretty
from ui.common.elided_label import ElidedLabel
from ui.common.safe_text import SafeBrowser
from ui.playground.logprob_view import LogprobView
from ui.playground.reasoning_section import ReasoningSection
from ui.playground.schema_result import SchemaResultLine
from ui.playground.tool_calls_view import ToolCallsView

ERROR_STYLE = (
    "QLabel { border: 1px solid #d9534f; border-radius: 4px; padding: 8px; "
    "background: rgba(217, 83, 79, 0.12); }"
)
NOTE_STYLE = (  # neutral: a stop the user asked for is not a failure
    "QLabel { border: 1px solid palette(mid); border-radius: 4px; padding: 8px; }"
)
MARKDOWN_REFRESH_S = 0.25  # re-rendering Markdown costs O(text): at most 4 times a second

WELCOME = """
<h2>Welcome to LLM Playground</h2>
<p>Write a prompt on the left, pick a model above, press <b>Ctrl+Enter</b>.
Tokens and cost show below before you send, while it streams, and after.</p>
<h3>Getting started</h3>
<ol>
<li><b>Add an API key</b>: <a href="settings:keys">Settings ▸ Keys</a> for OpenAI or Anthropic.
Keys are stored only in your system keyring.</li>
<li><b>Or use a local server</b>: start Ollama (port 11434) or LM Studio (port 1234); it is found
automatically. Other servers (vLLM, llama.cpp, OpenRouter, Groq): <a href="settings:endpoints">Settings ▸
Endpoints</a>.</li>
<li>Hover over a parameter on the right to learn what it does, change it, and run again.</li>
</ol>
"""


class OutputPane(QWidget):
    linkActivated = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.reasoning = ReasoningSection()
        self.plain = QPlainTextEdit()
        self.plain.setReadOnly(True)
        self.plain.setAccessibleName("Answer")
        self.rich = SafeBrowser()
        self.rich.setAccessibleName("Answer as Markdown")
        self.rich.anchorClicked.connect(lambda url: self.linkActivated.emit(url.toString()))
        self.probs = LogprobView()
        self.stack = QStackedWidget()
        for widget in (self.plain, self.rich, self.probs):
            self.stack.addWidget(widget)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setOpenExternalLinks(False)
        self.error.linkActivated.connect(self.linkActivated)
        self.error.setAccessibleName("Error")
        self.error.hide()
        # A line of its own under the header, the pane's width: beside the view buttons it had ~100 px
        # and was cut mid-word. Plain text (it names models and endpoints); too long, it ends in "…"
        # after a whole word, and its tooltip has it all.
        self.status = ElidedLabel(at_words=True)
        self.status.setAccessibleName("Run status")
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status.hide()
        self.modes = QButtonGroup(self)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(QLabel("<b>Output</b>"))
        bar.addStretch(1)
        for index, name in enumerate(("Plain", "Markdown", "Probabilities")):
            button = QPushButton(name)
            button.setCheckable(True)
            button.setFlat(True)
            button.setAccessibleName(f"Show as {name}")
            self.modes.addButton(button, index)
            bar.addWidget(button)
        self.modes.button(0).setChecked(True)
        self.copy_button = QPushButton("Copy")
        self.copy_button.setToolTip("Copy the answer")
        bar.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(self.reasoning)
        layout.addWidget(self.error)
        self.schema_line = SchemaResultLine()
        layout.addWidget(self.schema_line)
        self.tool_calls = ToolCallsView()
        layout.addWidget(self.tool_calls)
        layout.addWidget(self.stack, 1)
        self.modes.idToggled.connect(self._mode_changed)
        self.copy_button.clicked.connect(self.copy)
        self._text: list[str] = []
        self._logprobs: list[TokenLogprob] = []
        self._last_markdown = 0.0
        self._welcome = False
        self.is_error = False
        self.logprob_hint: Callable[[], str] = lambda: ""  # why no probabilities show, and what to do

    # content

    def show_welcome(self) -> None:
        self._welcome = True
        self.rich.setHtml(WELCOME)
        self.stack.setCurrentWidget(self.rich)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._welcome:
            self.rich.setHtml(WELCOME)  # its links took their colour when set: dark blue on a dark theme

    def start(self) -> None:
        self._welcome = False
        self._text = []
        self._logprobs = []
        self.plain.clear()
        self.rich.clear()
        self.reasoning.clear()
        self.error.hide()
        self.schema_line.clear_result()
        self.tool_calls.clear_calls()
        self._mode_changed(self.modes.checkedId(), True)

    def append(self, text: str, reasoning: str = "", logprobs: list[TokenLogprob] | None = None) -> None:
        self.reasoning.append(reasoning)
        if logprobs:
            self._logprobs.extend(logprobs)
        if not text:
            return
        self._text.append(text)
        bar = self.plain.verticalScrollBar()
        follow = bar.value() >= bar.maximum() - 4  # keep following only if the reader is at the end
        cursor = QTextCursor(self.plain.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)
        if follow:
            bar.setValue(bar.maximum())
        if self.modes.checkedId() == 1 and time.monotonic() - self._last_markdown > MARKDOWN_REFRESH_S:
            self._render_markdown()

    def finish(self) -> None:
        mode = self.modes.checkedId()
        if mode == 1:
            self._render_markdown()
        elif mode == 2:
            self.probs.set_tokens(self._logprobs, self._dark(), self.logprob_hint())

    def show_structured(self, result: CallResult) -> None:
        """A structured answer as indented JSON (the recorded text stays as sent) with its check."""
        self.schema_line.show_result(result)
        self.tool_calls.show_calls(result.tool_calls)
        shown = pretty(self.text()) if result.validation is not None else None
        if shown is not None:
            self.plain.setPlainText(shown)

    def text(self) -> str:
        return "".join(self._text)

    def show_error(self, error: CallError, advice: str) -> None:
        actions = {
            ErrorKind.KEY_MISSING: '<a href="settings:keys">Open Settings ▸ Keys</a>',
            ErrorKind.KEY_REJECTED: '<a href="settings:keys">Open Settings ▸ Keys</a>',
            ErrorKind.UNKNOWN_ENDPOINT: '<a href="settings:endpoints">Open Settings ▸ Endpoints</a>',
            ErrorKind.NETWORK: '<a href="settings:endpoints">Check the endpoint in Settings</a>',
            ErrorKind.CONNECTION_CLOSED: '<a href="settings:endpoints">Check the endpoint in Settings</a>',
        }
        if error.kind == ErrorKind.CANCELLED:
            kept = "What arrived is kept" if self.text() else "Nothing had arrived yet"
            self.show_message(f"<b>Stopped.</b> {kept}; History records it as stopped.", error=False)
            return
        if error.kind == ErrorKind.RATE_LIMITED and error.retry_after:
            advice = f"Wait {error.retry_after:.0f} s and run again."
        title = {
            ErrorKind.STREAM_CUT: "The answer was cut off",
        }.get(error.kind, "The call failed")
        body = f"<b>{title}.</b> {html.escape(error.message)}"
        if advice:
            body += f"<br>{html.escape(advice)}"
        if error.kind in actions:
            body += f"<br>{actions[error.kind]}"
        self.show_message(body)

    def refuse(self, reason: str) -> None:
        """A run that cannot start: say why where the answer would be."""
        self.show_message(f"<b>Cannot run.</b> {html.escape(reason)}")

    def show_message(self, body: str, error: bool = True) -> None:
        """A box above the answer: red for a failure, neutral for a note (``self.is_error`` says which)."""
        self.is_error = error
        self.error.setStyleSheet(ERROR_STYLE if error else NOTE_STYLE)
        self.error.setAccessibleName("Error" if error else "Note")
        self.error.setText(body)
        self.error.show()

    def set_status(self, text: str, detail: str = "") -> None:
        """The run's state in one line (hidden when empty); ``detail`` goes only in its tooltip."""
        self.status.set_full_text(text)
        self.status.setToolTip(f"{text}\n{detail}" if detail else text)
        self.status.setVisible(bool(text))

    def clear_message(self) -> None:
        """Take away the box above the answer."""
        self.error.hide()

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())

    # modes

    def _mode_changed(self, mode: int, checked: bool) -> None:
        if not checked:
            return
        if self._welcome:  # the welcome stays in Plain and Markdown; Probabilities says how to get them
            if mode == 2:
                self.probs.set_tokens([], self._dark(), self.logprob_hint())
                self.stack.setCurrentWidget(self.probs)
            else:
                self.stack.setCurrentWidget(self.rich)
            return
        if mode == 0:
            self.stack.setCurrentWidget(self.plain)
        elif mode == 1:
            self._render_markdown()
            self.stack.setCurrentWidget(self.rich)
        else:
            self.probs.set_tokens(self._logprobs, self._dark(), self.logprob_hint())
            self.stack.setCurrentWidget(self.probs)

    def _render_markdown(self) -> None:
        self._last_markdown = time.monotonic()
        self.rich.set_markdown(self.text())

    def _dark(self) -> bool:
        return self.palette().base().color().lightness() < 128
