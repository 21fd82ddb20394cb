"""Runs a comparison: every column at once, within concurrency bounds; a column's repeats one after another
(so their spread measures the model, not our own contention) unless asked to run them in parallel."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import groupby

from playground.llm.cancel import CancelToken
from playground.llm.errors import CallError, ErrorKind
from playground.llm.events import Event, Started
from playground.llm.request import Request
from playground.llm.result import CallResult
from playground.llm.runner import Runner

DEFAULT_PARALLEL = 6
DEFAULT_PER_ENDPOINT = 3


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Concurrency:
    """How many calls a comparison may run at once, in all and per endpoint, and whether a column's
    repeats may overlap (faster, but then they compete with each other and their timings say so)."""

    parallel: int = DEFAULT_PARALLEL
    per_endpoint: int = DEFAULT_PER_ENDPOINT
    repeats_in_parallel: bool = False

    @property
    def label(self) -> str:
        return "repeats in parallel" if self.repeats_in_parallel else "repeats one after another"


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
        self,
        runner: Runner,
        parallel: int | None = None,
        per_endpoint: int | None = None,
        *,
        concurrency: Concurrency | None = None,
        group_id: str | None = None,
    ):
        """``group_id``: the comparison's group when this run continues it (a tool loop's next round)."""
        concurrency = concurrency or Concurrency()
        self.concurrency = Concurrency(
            parallel if parallel is not None else concurrency.parallel,
            per_endpoint if per_endpoint is not None else concurrency.per_endpoint,
            concurrency.repeats_in_parallel,
        )
        self._runner = runner
        self._parallel = threading.Semaphore(max(1, self.concurrency.parallel))
        self._per_endpoint = max(1, self.concurrency.per_endpoint)
        self._endpoint_slots: dict[str, threading.Semaphore] = {}
        self._lock = threading.Lock()
        self._cancels: list[CancelToken] = []
        self._stopped = threading.Event()
        self.group_id = group_id or new_group_id()

    def start(
        self,
        jobs: Sequence[Job],
        on_event: Callable[[Job, Event], None],
        on_done: Callable[[Job, CallResult], None],
        tag: str | None = None,
    ) -> list[threading.Thread]:
        """One thread per job, or (by default) per column running its repeats in order."""
        if self.concurrency.repeats_in_parallel:
            lanes = [[job] for job in jobs]
        else:
            ordered = sorted(jobs, key=lambda j: (j.column, j.repeat))
            lanes = [list(group) for _, group in groupby(ordered, key=lambda j: j.column)]
        threads = []
        for lane in lanes:
            cancels = [CancelToken() for _ in lane]
            self._cancels.extend(cancels)
            t = threading.Thread(
                target=self._run_lane,
                args=(list(zip(lane, cancels, strict=True)), on_event, on_done, tag),
                name=f"compare-{lane[0].id}",
                daemon=True,
            )
            threads.append(t)
            t.start()
        return threads

    def _run_lane(
        self,
        lane: list[tuple[Job, CancelToken]],
        on_event: Callable[[Job, Event], None],
        on_done: Callable[[Job, CallResult], None],
        tag: str | None,
    ) -> None:
        for job, cancel in lane:
            self._run(job, cancel, on_event, on_done, tag)

    def cancel(self) -> None:
        self._stopped.set()
        for token in list(self._cancels):
            token.cancel()

    def _slot(self, endpoint: str) -> threading.Semaphore:
        with self._lock:
            if endpoint not in self._endpoint_slots:
                self._endpoint_slots[endpoint] = threading.Semaphore(self._per_endpoint)
            return self._endpoint_slots[endpoint]

    def _run(
        self,
        job: Job,
        cancel: CancelToken,
        on_event: Callable[[Job, Event], None],
        on_done: Callable[[Job, CallResult], None],
        tag: str | None,
    ) -> None:
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
            on_event(job, Started())  # queued until now: its clock starts here
            try:
                result = self._runner.run(
                    job.request,
                    on_event=lambda e: on_event(job, e),
                    cancel=cancel,
                    group_id=self.group_id,
                    tag=tag,
                    position=(job.column, job.repeat),
                )
            except Exception as exc:  # a bug: this lane must still end, or the comparison never does
                log.exception("compare job %s failed unexpectedly", job.id)
                error = CallError(ErrorKind.INTERNAL, f"Internal error: {type(exc).__name__}: {exc}")
                result = CallResult(None, "error", error=error)
        on_done(job, result)
