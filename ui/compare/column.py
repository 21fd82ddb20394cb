"""One column of a comparison: its model and parameter overrides, its answer(s), timings and cost."""

from __future__ import annotations

import html
import time
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
)

from playground import formatting
from playground.compare.columns import Column, ColumnStats, Spread
from playground.llm.result import CallResult
from ui.common.stream_hub import Drained

LABELS_S = 0.2
BADGE_STYLE = "QLabel { background: rgba(46, 160, 67, 0.18); border-radius: 3px; padding: 1px 4px; }"


def parse_overrides(text: str) -> dict[str, Any]:
    """'temperature=0.5, top_p=0.9' → {'temperature': '0.5', 'top_p': '0.9'} (checked when run)."""
    out: dict[str, Any] = {}
    for part in text.split(","):
        name, sep, value = part.partition("=")
        if sep and name.strip():
            out[name.strip()] = value.strip()
    return out


def format_overrides(params: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(params.items()))


class CompareColumn(QFrame):
    duplicateRequested = Signal(object)
    removeRequested = Signal(object)
    codeRequested = Signal(object)
    voteRequested = Signal(object)
    changed = Signal()

    def __init__(self, column: Column, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(300)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.model = QLineEdit(f"{column.endpoint} / {column.model}")
        self.model.setAccessibleName("Column model (endpoint / model)")
        self.overrides = QLineEdit(format_overrides(column.params))
        self.overrides.setPlaceholderText("overrides, e.g. temperature=0.2, max_tokens=300")
        self.overrides.setAccessibleName("Column parameter overrides")
        duplicate, remove, code = QToolButton(), QToolButton(), QToolButton()
        for button, text, tip in (
            (duplicate, "Duplicate", "Duplicate column"),
            (remove, "✕", "Remove column"),
            (code, "Code", "View code for this column"),
        ):
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            button.setAutoRaise(True)
        self.badges = QLabel()
        self.badges.setStyleSheet(BADGE_STYLE)
        self.badges.hide()
        self.output = QPlainTextEdit()
        self.output.setReadOnly(True)
        self.output.setAccessibleName("Column answer")
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # the provider's message
        self.error.setWordWrap(True)
        self.error.setStyleSheet("QLabel { color: #c9302c; }")
        self.error.hide()
        self.metrics = QLabel("–")
        self.metrics.setWordWrap(True)
        self.metrics.setAccessibleName("Column metrics")
        self.stats = QLabel()
        self.stats.setWordWrap(True)
        self.stats.hide()
        self.prev, self.next = QToolButton(), QToolButton()
        self.prev.setText("◀")
        self.next.setText("▶")
        self.prev.setToolTip("Previous answer")
        self.next.setToolTip("Next answer")
        self.run_label = QLabel()
        self.vote_button = QPushButton("This one is best")
        self.vote_button.hide()

        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        for button in (duplicate, code, remove):
            head.addWidget(button)
        browse = QHBoxLayout()
        browse.addWidget(self.prev)
        browse.addWidget(self.run_label, 1)
        browse.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(head)
        layout.addWidget(self.model)
        layout.addWidget(self.overrides)
        layout.addWidget(self.badges)
        layout.addWidget(self.error)
        layout.addWidget(self.output, 1)
        layout.addLayout(browse)
        layout.addWidget(self.metrics)
        layout.addWidget(self.stats)
        layout.addWidget(self.vote_button)

        duplicate.clicked.connect(lambda: self.duplicateRequested.emit(self))
        remove.clicked.connect(lambda: self.removeRequested.emit(self))
        code.clicked.connect(lambda: self.codeRequested.emit(self))
        self.vote_button.clicked.connect(lambda: self.voteRequested.emit(self))
        self.prev.clicked.connect(lambda: self.show_repeat(self._shown - 1))
        self.next.clicked.connect(lambda: self.show_repeat(self._shown + 1))
        self.model.editingFinished.connect(self._edited)
        self.overrides.editingFinished.connect(self._edited)
        self.blind_name: str | None = None
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
        return Column(endpoint.strip(), model.strip(), parse_overrides(self.overrides.text()))

    def real_name(self) -> str:
        return self.column().label()

    def set_blind(self, name: str | None) -> None:
        """Hide the model (name is e.g. 'Model B') until the vote; None shows it again."""
        self.blind_name = name
        for widget in (self.model, self.overrides):
            widget.setVisible(name is None)
        self.vote_button.setVisible(name is not None)
        self._update_title()

    def _edited(self) -> None:
        self._update_title()
        self.changed.emit()

    def _update_title(self) -> None:
        if self.blind_name:
            self.title.setText(f"<b>{self.blind_name}</b>")
        else:
            self.title.setText(f"<b>{html.escape(self.real_name())}</b>")

    # answers

    def reset(self, repeats: int) -> None:
        self._texts = [[] for _ in range(repeats)]
        self._results = [None] * repeats
        self._live_tokens = [0] * repeats
        self._shown = 0
        self.output.clear()
        self.error.hide()
        self.badges.hide()
        self.stats.hide()
        self.metrics.setText("waiting…")
        self._update_browser()

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
                self._show_metrics(drained)
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
            self._show_metrics(None)
        self._update_browser()

    def _show_metrics(self, drained: Drained | None) -> None:
        result = self._results[self._shown]
        if result is None and drained is not None and not drained.started:
            self.metrics.setText("queued")  # waiting for its turn: no clock runs yet
            return
        if result is None and drained is not None:
            parts = [f"~{drained.output_tokens:,} tok"]
            if drained.first_token_s is not None:
                parts.insert(0, f"first token {formatting.millis(drained.first_token_s * 1000)}")
            if drained.retrying is not None:
                parts.append(
                    f"{drained.retrying.error.kind.replace('_', ' ')}: retry in "
                    f"{drained.retrying.delay:.1f} s"
                )
            self.metrics.setText(" · ".join(parts))
            return
        if result is None:
            return
        if result.error is not None and result.status not in ("ok", "cancelled"):  # a stop is no failure
            self.error.setText(f"{result.error.message}")
            self.error.show()
        else:
            self.error.hide()
        u = result.usage
        parts = []
        if result.ttft_ms is not None:
            parts.append(f"first token {formatting.millis(result.ttft_ms)}")
        if result.tokens_per_s:
            parts.append(f"{result.tokens_per_s:,.0f} tok/s")
        parts.append(f"{formatting.tokens(u.output_tokens, u.output_estimated)} tok out")
        if result.cost is not None:
            parts.append(formatting.usd(result.cost.total, result.cost.estimated))
        parts.append(
            {"ok": "done", "cancelled": "stopped", "error": "failed"}.get(result.status, result.status)
        )
        self.metrics.setText(" · ".join(parts))

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

    def show_stats(self, stats: ColumnStats) -> None:
        if stats.runs < 2:
            self.stats.hide()
            return

        def spread(name: str, s: Spread | None, fmt) -> str:
            return f"{name} {fmt(s.low)} / {fmt(s.median)} / {fmt(s.high)}" if s else f"{name} –"

        ms = lambda v: formatting.millis(v)  # noqa: E731
        lines = [
            f"<b>{stats.ok} of {stats.runs} runs ok</b> (min / median / max)",
            spread("latency", stats.duration_ms, ms),
            spread("first token", stats.ttft_ms, ms),
            spread("cost", stats.cost, lambda v: f"${v:.6f}".rstrip("0").rstrip(".")),
            spread("length", stats.length, lambda v: f"{v:,.0f} chars"),
        ]
        self.stats.setText("<br>".join(lines))
        self.stats.show()

    def show_badges(self, names: list[str]) -> None:
        self.badges.setText(" · ".join(names))
        self.badges.setVisible(bool(names))
