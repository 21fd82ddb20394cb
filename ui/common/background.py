"""Run work off the GUI thread and get the result back on it (no UI calls inside the work)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

SHUTDOWN_WAIT_S = 5.0  # at quit: how long running work may take to finish before we give up on it


class Background(QObject):
    """A small thread pool whose callbacks run on the GUI thread, in the order results arrive.

    ``shutdown`` drops queued work and joins running work (bounded), so the core can be closed
    after it without a thread still reading through a closed connection."""

    _done = Signal(object, object)  # callback, value

    def __init__(self, parent: QObject | None = None, workers: int = 4, name: str = "background"):
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        self._closed = False
        self._lock = threading.Lock()
        self._futures: set[Future] = set()
        self._done.connect(self._deliver)

    @property
    def closed(self) -> bool:
        return self._closed

    def submit(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Future | None:
        """Queue ``work``; returns its future, or None once shut down (the work is then dropped)."""

        def run() -> None:
            if self._closed:
                return
            try:
                value = work()
            except BaseException as exc:  # handed to on_error on the GUI thread
                if on_error is None:
                    log.exception("background work failed")
                elif not self._closed:
                    self._done.emit(on_error, exc)
                return
            if on_done is not None and not self._closed:
                self._done.emit(on_done, value)

        with self._lock:
            if self._closed:
                return None
            future = self._pool.submit(run)
            self._futures.add(future)
        future.add_done_callback(self._forget)
        return future

    def _forget(self, future: Future) -> None:
        with self._lock:
            self._futures.discard(future)

    def shutdown(self, wait_s: float = SHUTDOWN_WAIT_S) -> bool:
        """Drop queued work and wait up to ``wait_s`` for running work; answers are not delivered.
        True when nothing runs any more (the core may then be closed safely)."""
        with self._lock:
            self._closed = True
            running = set(self._futures)
        self._pool.shutdown(wait=False, cancel_futures=True)
        # Queued work is now cancelled; wait() would never count it done (CANCELLED is not "notified").
        running = {f for f in running if not f.cancelled()}
        _, not_done = wait(running, timeout=wait_s)
        if not_done:
            log.warning("%d background tasks still running after %.1f s", len(not_done), wait_s)
        return not not_done

    def _deliver(self, callback: Callable[[Any], None], value: Any) -> None:
        if not self._closed:
            callback(value)


class Latest:
    """Keeps only the newest request's answer: earlier ones finishing late are dropped, and one
    still queued when a newer comes is never run (a search per keystroke on a million calls queued
    a query per key behind the pool's four threads)."""

    def __init__(self, background: Background):
        self._background = background
        self._generation = 0
        self._queued: Future | None = None

    def submit(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self._generation += 1
        mine = self._generation

        def done(value: Any) -> None:
            if mine == self._generation:
                on_done(value)

        def failed(exc: BaseException) -> None:
            if mine == self._generation and on_error is not None:
                on_error(exc)

        if self._queued is not None:
            self._queued.cancel()  # only if it has not started: a running one ends, its answer dropped
        self._queued = self._background.submit(work, done, failed)
