"""The runner's side of one stream: read on the run thread, held to its deadlines, saved as it goes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator

from playground.history.calls import HistoryStore
from playground.llm.cancel import CancelToken
from playground.llm.errors import CallError, ErrorKind
from playground.llm.events import Event
from playground.llm.providers.base import ProviderFailure, StreamLimits
from playground.llm.result import CallResult

StreamItem = Event | CallError | None
MakeStream = Callable[[CancelToken], Generator[Event | None, None, None]]


def read_stream(
    make_stream: MakeStream, cancel: CancelToken, limits: StreamLimits
) -> Generator[StreamItem, None, None]:
    """The provider's stream, read on the caller's thread (no thread of its own: a cancel already wakes
    every provider's blocking read, see Provider). Yields events, None at a quiet moment (time to save
    progress), and a CallError for a known failure or a missed deadline; ends at once on a cancel.
    The provider gets its own stop token: a deadline stops it without meaning "the user stopped it"."""
    stop = CancelToken()
    cancel.on_cancel(stop.cancel)
    deadlines = Deadlines(limits)
    stream = make_stream(stop)
    try:
        for item in stream:
            if cancel.cancelled:
                return
            if item is not None:
                deadlines.heard()
            late = deadlines.missed()
            if late is not None:
                yield late
                return
            yield item
    except ProviderFailure as exc:
        if not cancel.cancelled:
            # A read that timed out in this process did so at a deadline: name the deadline and its setting.
            late = deadlines.missed() if exc.error.kind == ErrorKind.TIMEOUT else None
            yield late or exc.error
    finally:
        stop.cancel()  # closes the response or tells the worker, if we leave early (deadline, error, bug)
        stream.close()


class Deadlines:
    """The idle and overall limits of one stream. Idle time counts from the first event (RequestSent),
    not while a worker warms up; keep-alives (None) do not count as something heard."""

    def __init__(self, limits: StreamLimits, clock: Callable[[], float] = time.monotonic):
        self._limits = limits
        self._clock = clock
        self._begun = clock()
        self._last: float | None = None

    def heard(self) -> None:
        self._last = self._clock()

    def missed(self) -> CallError | None:
        now = self._clock()
        limits = self._limits
        if now - self._begun > limits.overall_s:
            return CallError(
                ErrorKind.TIMEOUT,
                f"The call passed its overall deadline of {limits.overall_s:g} s; the text so far is kept.",
            )
        if self._last is not None and now - self._last > limits.idle_s:
            return CallError(
                ErrorKind.TIMEOUT,
                f"Nothing arrived for {limits.idle_s:g} s (idle timeout); the text so far is kept.",
            )
        return None


class ProgressSaver:
    """Saves the text so far at most every ``every_s`` (queued on the history writer, never blocking),
    so a killed process loses at most that much of the answer.

    The run thread calls ``maybe_save`` as text arrives. A provider read in this process (the CLI) blocks
    while the server is silent, so used as a context manager it also watches from a small thread of its
    own: text that arrived just before the server went quiet is saved within ``every_s`` too."""

    def __init__(self, history: HistoryStore, result: CallResult, clock: Callable[[], float], every_s: float):
        self._history = history
        self._result = result
        self._clock = clock
        self._every_s = every_s
        self._last = clock()
        self._saved = (0, 0)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None

    def maybe_save(self) -> None:
        with self._lock:
            result = self._result
            text, reasoning = result.text, result.reasoning  # str reads are atomic; one consistent pair
            size = (len(text), len(reasoning))
            if size == self._saved or result.call_id is None or self._clock() - self._last < self._every_s:
                return
            self._history.save_progress(result.call_id, text, reasoning)
            self._saved = size
            self._last = self._clock()

    def __enter__(self) -> ProgressSaver:
        self._watcher = threading.Thread(target=self._watch, name="progress-saver", daemon=True)
        self._watcher.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join()

    def _watch(self) -> None:
        while not self._stop.wait(self._every_s / 2):
            self.maybe_save()
