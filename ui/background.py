"""Run work off the GUI thread and get the result back on it (no UI calls inside the work)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class Background(QObject):
    """A small thread pool whose callbacks run on the GUI thread, in the order results arrive."""

    _done = Signal(object, object)  # callback, value

    def __init__(self, parent: QObject | None = None, workers: int = 4):
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="background")
        self._closed = False
        self._done.connect(self._deliver)

    def submit(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        def run() -> None:
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

        self._pool.submit(run)

    def shutdown(self) -> None:
        """Drop queued work; answers of work still running are not delivered."""
        self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _deliver(self, callback: Callable[[Any], None], value: Any) -> None:
        if not self._closed:
            callback(value)


class Latest:
    """Keeps only the newest request's answer: earlier ones finishing late are dropped."""

    def __init__(self, background: Background):
        self._background = background
        self._generation = 0

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

        self._background.submit(work, done, failed)
