"""Streams into Qt without one signal per token: workers buffer, one timer drains all buffers per frame."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer

from playground.llm.cancel import CancelToken
from playground.llm.errors import CallError
from playground.llm.events import (
    CallRow,
    Event,
    Failed,
    LogprobsDelta,
    ReasoningDelta,
    Retrying,
    Started,
    TextDelta,
    TokenLogprob,
    UsageReport,
)
from playground.llm.result import CallResult
from playground.llm.usage import Usage

FRAME_MS = 16
BUDGET_S = 0.008  # GUI time one frame may spend on streams; the rest waits (buffered) for the next frame
# Views one frame may update: each then repaints (~4 ms for a full text view in software rendering).
# Measured in bench/: with four fast streams, updating one view a frame keeps stalls near 16 ms,
# two a frame doubles them; each view still refreshes 15 times a second.
MAX_PER_FRAME = 1
# A call's history row takes milliseconds; one not had after this long waits for a busy history.
HISTORY_WAIT_SHOWN_S = 0.5


@dataclass
class Drained:
    """What arrived since the last frame, plus running totals."""

    text: str = ""
    reasoning: str = ""
    logprobs: list[TokenLogprob] = field(default_factory=list)
    output_tokens: int = 0  # our running count of streamed tokens
    first_token_s: float | None = None  # since the run started
    elapsed_s: float = 0.0
    usage: Usage | None = None
    retrying: Retrying | None = None
    failed: CallError | None = None
    result: CallResult | None = None  # set once, when the call has ended
    started: bool = True  # False while a comparison's call waits for its turn (shown as queued)
    history_wait_s: float | None = None  # how long the call has waited for its history row, until it has it

    @property
    def waiting_for_history(self) -> bool:
        """The call has waited noticeably for the history to take its row (it is sent only after):
        another program, or an import here, is writing to the history."""
        return self.history_wait_s is not None and self.history_wait_s >= HISTORY_WAIT_SHOWN_S


class StreamBuffer:
    """Filled by the worker thread (``push``), emptied by the GUI thread (``drain``)."""

    def __init__(self, count_tokens: Callable[[str], int]):
        self._count = count_tokens
        self._lock = threading.Lock()
        self._started = time.monotonic()
        self._text: list[str] = []
        self._reasoning: list[str] = []
        self._logprobs: list[TokenLogprob] = []
        self._tokens = 0
        self._first: float | None = None
        self._usage: Usage | None = None
        self._retrying: Retrying | None = None
        self._failed: CallError | None = None
        self._result: CallResult | None = None
        self._delivered_result = False
        self.cancel = CancelToken()
        self._queued = False
        self._row_asked: float | None = None  # when the runner asked the history for the row, until had

    def queue(self) -> None:
        """Shown as queued until a Started event (a comparison's call waiting for a slot)."""
        with self._lock:
            self._queued = True

    def push(self, event: Event) -> None:
        tokens = self._count(event.text) if isinstance(event, (TextDelta, ReasoningDelta)) else 0
        with self._lock:
            if isinstance(event, (TextDelta, ReasoningDelta)):
                if self._first is None:
                    self._first = time.monotonic() - self._started
                (self._text if isinstance(event, TextDelta) else self._reasoning).append(event.text)
                self._tokens += tokens
            elif isinstance(event, LogprobsDelta):
                self._logprobs.extend(event.items)
            elif isinstance(event, UsageReport):
                self._usage = event.usage
            elif isinstance(event, Retrying):
                self._retrying = event
            elif isinstance(event, Failed):
                self._failed = event.error
            elif isinstance(event, Started):
                self._queued = False
                self._started = time.monotonic()  # the live clock counts from the turn, not the queue
            elif isinstance(event, CallRow):
                self._row_asked = None if event.opened else time.monotonic()
                if event.opened:
                    self._started = time.monotonic()  # nor from the wait for the history

    def finish(self, result: CallResult) -> None:
        with self._lock:
            self._result = result

    def drain(self) -> Drained | None:
        """Everything new, or None when nothing changed since the last drain."""
        with self._lock:
            if self._delivered_result:
                return None
            changed = self._text or self._reasoning or self._logprobs or self._retrying or self._failed
            waited = None if self._row_asked is None else time.monotonic() - self._row_asked
            if not changed and self._result is None and self._usage is None:
                return Drained(
                    output_tokens=self._tokens,
                    first_token_s=self._first,
                    elapsed_s=time.monotonic() - self._started,
                    started=not self._queued,
                    history_wait_s=waited,
                )
            out = Drained(
                "".join(self._text),
                "".join(self._reasoning),
                self._logprobs,
                self._tokens,
                self._first,
                time.monotonic() - self._started,
                self._usage,
                self._retrying,
                self._failed,
                self._result,
                not self._queued,
                waited,
            )
            self._text, self._reasoning, self._logprobs = [], [], []
            self._retrying = self._failed = None
            if self._result is not None:
                self._delivered_result = True
            return out


class StreamHub(QObject):
    """One frame timer for every running stream; stops itself when nothing runs.

    Each frame drains streams in turn, up to ``per_frame`` of them and within a time budget; the
    streams it did not reach go first in the next frame, their text kept in their buffers. So many
    fast streams cost the GUI thread about one view update per frame, however much arrives."""

    def __init__(
        self, parent: QObject | None = None, budget_s: float = BUDGET_S, per_frame: int = MAX_PER_FRAME
    ):
        super().__init__(parent)
        self._budget_s = budget_s
        self._per_frame = per_frame
        self._streams: list[tuple[StreamBuffer, Callable[[Drained], None]]] = []
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._tick)

    def watch(self, buffer: StreamBuffer, sink: Callable[[Drained], None]) -> None:
        self._streams.append((buffer, sink))
        if not self._timer.isActive():
            self._timer.start()

    @property
    def active(self) -> int:
        return len(self._streams)

    def _tick(self) -> None:
        start = time.perf_counter()
        done: list[tuple[StreamBuffer, Callable[[Drained], None]]] = []
        served = 0
        for buffer, sink in self._streams:
            if served and (served >= self._per_frame or time.perf_counter() - start > self._budget_s):
                break
            served += 1
            drained = buffer.drain()
            if drained is not None:
                sink(drained)
            if drained is not None and drained.result is not None:
                done.append((buffer, sink))
        # Those served go to the back: the next frame starts with the ones this frame did not reach.
        rest = self._streams[served:] + self._streams[:served]
        self._streams = [s for s in rest if s not in done]
        if not self._streams:
            self._timer.stop()
