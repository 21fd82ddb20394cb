"""One column of a comparison: its model and parameter overrides, its answer(s) and a one-line live status
(the figures are in the metrics table under the columns, ui/compare/metrics_grid.py)."""

from __future__ import annotations

import html
import time
from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground import formatting
from playground.compare.columns import Column
from playground.llm.params import OPENAI_PARAMS, ParamSpec
from playground.llm.result import CallResult
from ui.common.stream_hub import Drained
from ui.compare.overrides import OverridesEditor
from ui.compare.tool_calls_line import ToolCallsLine
from ui.playground.schema_result import SchemaResultLine

LABELS_S = 0.2
PICK_COLOUR = "#e0a000"  # amber: stands out on the light and the dark palette alike
PICK_PEN = 3  # px, inside the layout's 6 px margin


class CompareColumn(QFrame):
    duplicateRequested = Signal(object)
    removeRequested = Signal(object)
    codeRequested = Signal(object)
    voteRequested = Signal(object)
    changed = Signal()

    def __init__(self, column: Column, specs: Sequence[ParamSpec] = OPENAI_PARAMS, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(300)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.model = QLineEdit(f"{column.endpoint} / {column.model}")
        self.model.setAccessibleName("Column model (endpoint / model)")
        self.model.setCursorPosition(0)  # narrow, it shows the endpoint first (the title has it all)
        self.overrides = OverridesEditor(column.params, specs)
        self.overrides.setAccessibleName("Column parameter overrides")
        duplicate, remove, code = QToolButton(), QToolButton(), QToolButton()
        self.tools = (duplicate, code, remove)  # hidden while blind: Code would show the model
        for button, text, tip in (
            (duplicate, "Duplicate", "Duplicate column"),
            (remove, "✕", "Remove column"),
            (code, "Code", "View code for this column"),
        ):
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            button.setAutoRaise(True)
        self.output = QPlainTextEdit()
        self.output.setReadOnly(True)
        self.output.setAccessibleName("Column answer")
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # the provider's message
        self.error.setWordWrap(True)
        self.error.setStyleSheet("QLabel { color: #c9302c; }")
        self.error.hide()
        self.schema = SchemaResultLine(show_way=False)  # valid / invalid against the schema, at a glance
        self.calls = ToolCallsLine()  # the tools it called, arguments valid or not
        self._rounds: list[int] = [1]  # per repeat: 2 and up once mocked tool results were sent
        self.status = QLabel("–")
        self.status.setAccessibleName("Column status")
        self.prev, self.next = QToolButton(), QToolButton()
        self.prev.setText("◀")
        self.next.setText("▶")
        self.prev.setToolTip("Previous answer")
        self.next.setToolTip("Next answer")
        self.run_label = QLabel()
        self.vote_button = QPushButton("This one is best")
        self.vote_button.hide()

        # The title has the column's whole width to itself: beside the buttons a 300 px column left it
        # ~120 px, and "(temperature=0.0)" was cut off at 1280 wide with four columns.
        head = QHBoxLayout()
        head.addWidget(self.model, 1)
        for button in (duplicate, code, remove):
            head.addWidget(button)
        browse = QHBoxLayout()
        browse.addWidget(self.prev)
        browse.addWidget(self.run_label, 1)
        browse.addWidget(self.next)
        self.header = QWidget()  # title, model and overrides: as tall as the other columns' (HeaderAligner)
        top = QVBoxLayout(self.header)
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.title)
        top.addLayout(head)
        top.addWidget(self.overrides)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.header)
        layout.addWidget(self.error)
        layout.addWidget(self.output, 1)
        layout.addLayout(browse)
        layout.addWidget(self.schema)
        layout.addWidget(self.calls)
        layout.addWidget(self.status)
        layout.addWidget(self.vote_button)

        duplicate.clicked.connect(lambda: self.duplicateRequested.emit(self))
        remove.clicked.connect(lambda: self.removeRequested.emit(self))
        code.clicked.connect(lambda: self.codeRequested.emit(self))
        self.vote_button.clicked.connect(lambda: self.voteRequested.emit(self))
        self.prev.clicked.connect(lambda: self.show_repeat(self._shown - 1))
        self.next.clicked.connect(lambda: self.show_repeat(self._shown + 1))
        self.model.editingFinished.connect(self._edited)
        self.overrides.changed.connect(self._edited)
        self.blind_name: str | None = None
        self.picked: str | None = None  # the blind name it had when the vote picked it
        self._texts: list[list[str]] = [[]]
        self._results: list[CallResult | None] = [None]
        self._live_tokens: list[int] = [0]
        self._shown = 0
        self._labels_at = 0.0
        self._update_title()
        self._update_browser()

    # the column's setup

    def column(self) -> Column:
        endpoint, _, model = self.model.text().partition("/")
        return Column(endpoint.strip(), model.strip(), self.overrides.params())

    def real_name(self) -> str:
        return self.column().label()

    def short_name(self) -> str:
        return self.blind_name or self.real_name()

    def set_blind(self, name: str | None) -> None:
        """Hide the model (name is e.g. 'Model B') until the vote; None shows it again."""
        self.blind_name = name
        for widget in (self.model, self.overrides, *self.tools):
            widget.setVisible(name is None)
        self.vote_button.setVisible(name is not None)
        self._update_title()
        if name is None and self._results[self._shown] is not None:
            self._show_status(None)  # the error message, hidden while blind

    def _edited(self) -> None:
        self._update_title()
        self.changed.emit()

    def set_pick(self, was: str | None) -> None:
        """Mark the column the blind vote picked (``was``: its name until then, e.g. 'Model B'), or unmark it
        (None): the vote puts the columns back in their first order, so the pick moved out of sight."""
        self.picked = was
        self._update_title()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """The pick's frame is painted, not a style sheet: a widget with a style sheet kept the light
        palette's colours when the app switched to a dark one."""
        super().paintEvent(event)
        if self.picked is not None:
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(QColor(PICK_COLOUR), PICK_PEN))
            half = PICK_PEN / 2
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(half, half, -half, -half), 4, 4)
            painter.end()

    def _update_title(self) -> None:
        name = self.blind_name or self.real_name()
        text = f"<b>{html.escape(name)}</b>"
        if self.picked is not None:
            star = f'<span style="color: {PICK_COLOUR}">★</span>'
            text = f"{star} <b>Your pick</b> (was {html.escape(self.picked)})<br>{text}"
        self.title.setText(text)
        self.title.setToolTip("" if self.blind_name else name)  # the whole title, however it wraps

    # answers

    def reset(self, repeats: int) -> None:
        self._texts = [[] for _ in range(repeats)]
        self._results = [None] * repeats
        self._live_tokens = [0] * repeats
        self._rounds = [1] * repeats
        self._shown = 0
        if self.picked is not None:  # the next run: the pick was of the last one's answers
            self.set_pick(None)
        self.output.clear()
        self.error.hide()
        self.status.setText("waiting…")
        self._update_browser()

    def next_round(self, repeat: int) -> None:
        """Mocked tool results went back for answer ``repeat``: its next reply follows a marked line."""
        self._rounds[repeat] += 1
        self._results[repeat] = None
        mark = f"\n\n── tool results sent · round {self._rounds[repeat]} ──\n"
        self._texts[repeat].append(mark)
        if repeat == self._shown:
            cursor = QTextCursor(self.output.document())
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertText(mark)
            self.status.setText("waiting…")
            self.calls.clear_result()

    def progress(self, repeat: int, drained: Drained) -> None:
        if drained.text:
            self._texts[repeat].append(drained.text)
            if repeat == self._shown:
                cursor = QTextCursor(self.output.document())
                cursor.movePosition(QTextCursor.MoveOperation.End)
                cursor.insertText(drained.text)
        self._live_tokens[repeat] = drained.output_tokens
        if drained.result is not None:
            self._results[repeat] = drained.result
        # Labels re-lay out their column when their text changes: a few times a second is enough.
        now = time.monotonic()
        if drained.result is not None or drained.retrying is not None or now - self._labels_at > LABELS_S:
            self._labels_at = now
            if repeat == self._shown:
                self._show_status(drained)
            self._update_browser()

    def set_results(self, results: list[CallResult]) -> None:
        """Show finished answers (a comparison reopened from history)."""
        self.reset(len(results))
        for i, result in enumerate(results):
            self._texts[i] = [result.text]
            self._results[i] = result
        self.show_repeat(0)

    def answer(self, repeat: int | None = None) -> str:
        return "".join(self._texts[self._shown if repeat is None else repeat])

    def answers(self) -> list[str]:
        return ["".join(t) for t in self._texts]

    def show_repeat(self, index: int) -> None:
        if not 0 <= index < len(self._texts):
            return
        self._shown = index
        self.output.setPlainText("".join(self._texts[index]))
        result = self._results[index]
        if result is not None:
            self._show_status(None)
        self._update_browser()

    def _show_status(self, drained: Drained | None) -> None:
        """Queued, streaming (with a live count), retrying, or how it ended; blind: no token count
        (it depends on the model's tokenizer) and no provider message (it may name the model)."""
        result = self._results[self._shown]
        blind = self.blind_name is not None
        if result is None and drained is not None and not drained.started:
            self.status.setText("queued")  # waiting for its turn: no clock runs yet
            return
        if result is None and drained is not None:
            parts = ["streaming…" if blind else f"~{drained.output_tokens:,} tok so far"]
            if drained.first_token_s is not None and not blind:
                parts.insert(0, f"first token {formatting.millis(drained.first_token_s * 1000)}")
            if drained.retrying is not None:
                parts.append(
                    f"{drained.retrying.error.kind.replace('_', ' ')}: retry in "
                    f"{drained.retrying.delay:.1f} s"
                )
            self.status.setText(" · ".join(parts))
            return
        if result is None:
            self.schema.clear_result()
            self.calls.clear_result()
            return
        self.schema.show_result(result, blind=blind)
        self.calls.show_result(result, self._rounds[self._shown])
        failed = result.error is not None and result.status not in ("ok", "cancelled")  # a stop is no failure
        if failed and result.error is not None:
            self.error.setText("Failed: the reason shows after the vote." if blind else result.error.message)
        self.error.setVisible(failed)
        self.status.setText(
            {"ok": "done", "cancelled": "stopped", "error": "failed"}.get(result.status, result.status)
        )

    def _update_browser(self) -> None:
        many = len(self._texts) > 1
        for widget in (self.prev, self.next, self.run_label):
            widget.setVisible(many)
        if many:
            done = sum(r is not None for r in self._results)
            self.run_label.setText(f"answer {self._shown + 1} of {len(self._texts)} ({done} finished)")
            self.prev.setEnabled(self._shown > 0)
            self.next.setEnabled(self._shown < len(self._texts) - 1)

    def results(self) -> list[CallResult | None]:
        return list(self._results)
