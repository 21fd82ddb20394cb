"""Runs a comparison: every column (and repeat) at once, within concurrency bounds."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from playground.cancel import CancelToken
from playground.errors import CallError, ErrorKind
from playground.events import Event
from playground.request import Request
from playground.result import CallResult
from playground.runner import Runner

DEFAULT_PARALLEL = 6
DEFAULT_PER_ENDPOINT = 3


@dataclass(frozen=True)
class Job:
    id: int
    column: int
    repeat: int
    request: Request


def new_group_id() -> str:
    return uuid.uuid4().hex[:12]


class CompareRun:
    """At most ``parallel`` calls at once and ``per_endpoint`` per endpoint: an endpoint that rate-limits
    (and retries) holds only its own slots, so the other endpoints' columns go on."""

    def __init__(
        self, runner: Runner, parallel: int = DEFAULT_PARALLEL, per_endpoint: int = DEFAULT_PER_ENDPOINT
    ):
        self._runner = runner
        self._parallel = threading.Semaphore(max(1, parallel))
        self._per_endpoint = max(1, per_endpoint)
        self._endpoint_slots: dict[str, threading.Semaphore] = {}
        self._lock = threading.Lock()
        self._cancels: list[CancelToken] = []
        self._stopped = threading.Event()
        self.group_id = new_group_id()

    def start(
        self,
        jobs: Sequence[Job],
        on_event: Callable[[Job, Event], None],
        on_done: Callable[[Job, CallResult], None],
        tag: str | None = None,
    ) -> list[threading.Thread]:
        threads = []
        for job in jobs:
            cancel = CancelToken()
            self._cancels.append(cancel)
            t = threading.Thread(
                target=self._run,
                args=(job, cancel, on_event, on_done, tag),
                name=f"compare-{job.id}",
                daemon=True,
            )
            threads.append(t)
            t.start()
        return threads

    def cancel(self) -> None:
        self._stopped.set()
        for token in list(self._cancels):
            token.cancel()

    def _slot(self, endpoint: str) -> threading.Semaphore:
        with self._lock:
            if endpoint not in self._endpoint_slots:
                self._endpoint_slots[endpoint] = threading.Semaphore(self._per_endpoint)
            return self._endpoint_slots[endpoint]

    def _run(self, job: Job, cancel: CancelToken, on_event, on_done, tag) -> None:
        endpoint_slot = self._slot(job.request.endpoint)
        with endpoint_slot, self._parallel:
            if self._stopped.is_set():
                # Never sent: not a call attempt, so nothing lands in history.
                on_done(
                    job,
                    CallResult(
                        None, "cancelled", error=CallError(ErrorKind.CANCELLED, "Stopped before it started.")
                    ),
                )
                return
            result = self._runner.run(
                job.request,
                on_event=lambda e: on_event(job, e),
                cancel=cancel,
                group_id=self.group_id,
                tag=tag,
                position=(job.column, job.repeat),
            )
        on_done(job, result)
