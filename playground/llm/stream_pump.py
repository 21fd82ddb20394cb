"""The runner's side of one stream: read on its own thread, held to its deadlines, saved as it goes."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator

from playground.history.calls import HistoryStore
from playground.llm.cancel import CancelToken
from playground.llm.errors import CallError, ErrorKind
from playground.llm.providers.base import ProviderFailure, StreamLimits
from playground.llm.result import CallResult

POLL_S = 0.02  # how often a waiting runner looks at its cancel token and deadlines
_END = object()


class Pump:
    """Reads the provider's stream on its own thread, so a cancel returns at once even mid-read, and
    enforces the idle and overall deadlines (a server sending only keep-alive comments yields no events).
    Yields events, None on a quiet poll (time to save progress), and a CallError for a missed deadline."""

    def __init__(
        self, make_stream: Callable[[CancelToken], Iterable], cancel: CancelToken, limits: StreamLimits
    ):
        self._make = make_stream
        self._cancel = cancel
        self._limits = limits
        self._stop = CancelToken()  # ours: stops the provider without meaning "the user stopped it"
        cancel.on_cancel(self._stop.cancel)

    def __iter__(self) -> Iterator:
        items: queue.SimpleQueue = queue.SimpleQueue()
        stop = self._stop

        def work() -> None:
            try:
                for event in self._make(stop):
                    if event is not None:
                        items.put(event)
                    if stop.cancelled:
                        break
            except ProviderFailure as exc:
                items.put(exc.error)
            except BaseException as exc:  # re-raised on the runner's thread
                items.put(exc)
            finally:
                items.put(_END)

        threading.Thread(target=work, name="provider-stream", daemon=True).start()
        begun = time.monotonic()
        last: float | None = None  # idle time counts once the request is sent (not while a worker warms up)
        try:
            while True:
                try:
                    item = items.get(timeout=POLL_S)
                except queue.Empty:
                    if self._cancel.cancelled:
                        return
                    late = self._late(begun, last)
                    if late is not None:
                        yield late
                        return
                    yield None
                    continue
                if item is _END or self._cancel.cancelled:
                    return
                if isinstance(item, BaseException):
                    raise item
                last = time.monotonic()
                yield item
        finally:
            stop.cancel()  # closes the response if we leave early (deadline, error, bug)

    def _late(self, begun: float, last: float | None) -> CallError | None:
        now = time.monotonic()
        limits = self._limits
        if now - begun > limits.overall_s:
            return CallError(
                ErrorKind.TIMEOUT,
                f"The call passed its overall deadline of {limits.overall_s:g} s; the text so far is kept.",
            )
        if last is not None and now - last > limits.idle_s:
            return CallError(
                ErrorKind.TIMEOUT,
                f"Nothing arrived for {limits.idle_s:g} s (idle timeout); the text so far is kept.",
            )
        return None


class ProgressSaver:
    """Saves the text so far at most every ``every_s`` (queued on the history writer, never blocking),
    so a killed process loses at most that much of the answer."""

    def __init__(self, history: HistoryStore, result: CallResult, clock: Callable[[], float], every_s: float):
        self._history = history
        self._result = result
        self._clock = clock
        self._every_s = every_s
        self._last = clock()
        self._saved = (0, 0)

    def maybe_save(self) -> None:
        result = self._result
        size = (len(result.text), len(result.reasoning))
        if size == self._saved or result.call_id is None or self._clock() - self._last < self._every_s:
            return
        self._history.save_progress(result.call_id, result.text, result.reasoning)
        self._saved = size
        self._last = self._clock()
