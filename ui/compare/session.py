"""The bridge between a comparison on screen and the core: forecasts, running all columns, votes."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from playground import formatting
from playground.compare.columns import Column
from playground.llm.request import Message
from playground.llm.result import CallResult
from ui.common.background import Latest
from ui.common.stream_hub import Drained, StreamBuffer
from ui.compare.blind import BlindCalls
from ui.playground.session import LazyCounter, Session

if TYPE_CHECKING:
    from playground.compare.runner import CompareRun, Job
    from playground.spend.forecast import Forecast


Turns = Mapping[tuple[int, int], Sequence[Message]]  # (column, repeat) -> its conversation so far


@dataclass(frozen=True)
class PromptSnapshot:
    """The shared prompt, variables already filled in, and the shared parameters."""

    system: str
    messages: list[Message]
    params: dict[str, Any]


class CompareSession(QObject):
    forecastReady = Signal(object)  # Forecast, or an error message (str)
    started = Signal(int, int)  # columns, repeats
    progress = Signal(int, int, object)  # column, repeat, Drained
    finished = Signal()
    voted = Signal(str)  # the winner's real name
    stopAsked = Signal()  # Stop all or Esc: also drops a Run all still waiting for its forecast

    def __init__(self, session: Session, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self._forecasts = Latest(session.background)
        self._run: CompareRun | None = None
        self._pending = 0
        self._threads: list[threading.Thread] = []
        self.results: list[list[CallResult | None]] = []
        self.group_id: str | None = None
        self.parallel = 6
        self.per_endpoint = 3  # calls at once per endpoint (playground.compare.runner.Concurrency)
        self.repeats_in_parallel = False  # repeats one after another: their spread measures the model
        self.blind = BlindCalls(self)  # History masks these comparisons' calls until the vote

    @property
    def running(self) -> bool:
        return self._run is not None

    def request_forecast(self, columns: list[Column], prompt: PromptSnapshot, repeats: int) -> bool:
        """Work the forecast out in the background (``forecastReady``); False when none is on its way."""
        core = self.session.core
        if core is None or not columns:
            return False

        warm = self.session.warm_streams

        def work() -> Forecast:
            from playground.spend.forecast import forecast

            made = forecast(
                columns,
                prompt.system,
                prompt.messages,
                prompt.params,
                repeats,
                core.config.endpoint,
                core.counter,
                core.pricer,
                core.history.typical_cost,
            )
            if warm is not None:  # each column's SDK loads now, not in the first round of Run all
                apis = {e.name: e.api for e in core.config.endpoints()}  # one read, not one per column
                for api in {apis[c.endpoint] for c in columns if c.endpoint in apis}:
                    warm(api)
            return made

        self._forecasts.submit(work, self.forecastReady.emit, lambda exc: self.forecastReady.emit(str(exc)))
        return True

    def run_all(
        self, columns: list[Column], prompt: PromptSnapshot, repeats: int, blind: bool = False
    ) -> bool:
        core = self.session.core
        if core is None or self.session.closed or self._run is not None or not columns:
            return False
        from playground.compare.runner import CompareRun, Concurrency

        run = CompareRun(
            core.runner,
            concurrency=Concurrency(self.parallel, self.per_endpoint, self.repeats_in_parallel),
        )
        self.blind.reveal(self.group_id)  # a blind comparison left without a vote is over
        self.group_id = run.group_id
        if blind:
            self.blind.hide(run.group_id)  # before its first call reaches the history
        self.results = [[None] * repeats for _ in columns]
        turns = {(c, r): tuple(prompt.messages) for r in range(repeats) for c in range(len(columns))}
        self._start(run, columns, prompt, turns)
        return True

    def continue_with(
        self,
        columns: list[Column],
        prompt: PromptSnapshot,
        turns: Mapping[tuple[int, int], Sequence[Message]],
    ) -> bool:
        """The next round of a tool loop: only the (column, repeat) conversations in ``turns`` run again,
        in the same group (so a blind comparison stays blind); the other answers stay as they were."""
        core = self.session.core
        if core is None or self.session.closed or self._run is not None or not turns:
            return False
        from playground.compare.runner import CompareRun, Concurrency

        run = CompareRun(
            core.runner,
            concurrency=Concurrency(self.parallel, self.per_endpoint, self.repeats_in_parallel),
            group_id=self.group_id,
        )
        for column, repeat in turns:
            self.results[column][repeat] = None
        self._start(run, columns, prompt, turns)
        return True

    def _start(
        self,
        run: CompareRun,
        columns: list[Column],
        prompt: PromptSnapshot,
        turns: Turns,
    ) -> None:
        """One job per conversation in ``turns``, streamed into the columns through the hub."""
        from playground.compare.runner import Job

        core = self.session.core
        assert core is not None
        self._run = run
        jobs = [
            Job(i, column, repeat, columns[column].request(prompt.system, messages, prompt.params))
            for i, ((column, repeat), messages) in enumerate(sorted(turns.items(), key=_repeat_first))
        ]
        self._pending = len(jobs)
        buffers: dict[int, StreamBuffer] = {}
        for job in jobs:
            buffer = StreamBuffer(LazyCounter(core.counter, job.request.model))
            buffer.queue()  # until the runner says it started (repeats and endpoint limits queue)
            buffers[job.id] = buffer
            self.session.hub.watch(buffer, lambda drained, job=job: self._progress(job, drained))
        self.started.emit(len(columns), max(r for _, r in turns) + 1)

        def on_event(job: Job, event) -> None:
            buffers[job.id].push(event)

        def on_done(job: Job, result: CallResult) -> None:
            buffers[job.id].finish(result)

        self._threads = [t for t in self._threads if t.is_alive()]
        self._threads += run.start(jobs, on_event, on_done, tag="compare")

    def stop_all(self) -> None:
        self.stopAsked.emit()
        if self._run is not None:
            self._run.cancel()

    def shutdown(self, wait_s: float) -> bool:
        """Stop the comparison and wait (bounded) for its call threads: each records what arrived.
        True when none is left running."""
        self.stop_all()
        deadline = time.monotonic() + wait_s
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        self._threads = [t for t in self._threads if t.is_alive()]
        return not self._threads

    def _progress(self, job: Job, drained: Drained) -> None:
        if self.session.closed:  # shut down: the window and the core are going away
            return
        self.progress.emit(job.column, job.repeat, drained)
        if drained.result is not None:
            self.results[job.column][job.repeat] = drained.result
            self._pending -= 1
            if self._pending == 0:
                self._run = None
                self.finished.emit()

    def vote(self, winner: str, candidates: list[str]) -> None:
        """Record the vote in the background (a write may wait for the lock); ``voted`` once saved."""
        core = self.session.core
        if core is not None:
            group = self.group_id

            def saved(_: object) -> None:
                self.blind.reveal(group)
                self.voted.emit(winner)

            self.session.background.submit(lambda: core.votes.record(group, winner, candidates), saved)

    def leaderboard(self, on_done: Callable[[list], None]) -> None:
        """The leaderboard, read in the background, handed to ``on_done`` on the GUI thread."""
        core = self.session.core
        if core is None:
            on_done([])
            return
        self.session.background.submit(core.votes.leaderboard, on_done)

    def recent_groups(self, on_done: Callable[[list], None]) -> None:
        """Comparisons in history, newest first, read in the background, handed to ``on_done``."""
        core = self.session.core
        if core is not None:
            self.session.background.submit(core.history.recent_groups, on_done)

    def restore(
        self, group_id: str, on_done: Callable[[Any], None], on_error: Callable[[BaseException], None]
    ) -> None:
        """A comparison from history (prompt, columns, answers), read in the background."""
        from playground.compare.columns import restore_group

        core = self.session.core
        if core is not None:
            self.session.background.submit(
                lambda: restore_group(core.history.group(group_id)), on_done, on_error
            )


def _repeat_first(item: tuple[tuple[int, int], object]) -> tuple[int, int]:
    """Jobs in the order they always started: every column's first answer, then the second..."""
    (column, repeat), _ = item
    return repeat, column


def shuffled_order(count: int, rng: Callable[[list[int]], None] = random.shuffle) -> list[int]:
    """A display order for blind mode that is never the original one (when there is a choice)."""
    order = list(range(count))
    while count > 1:
        rng(order)
        if order != sorted(order):
            break
    return order


def budget_from_text(text: str) -> Decimal | None:
    """A typed budget, or None: not a number, or under the smallest amount the window shows
    ($0.000001; a budget of 0.0000001 was then shown as "<$0.000001")."""
    try:
        value = Decimal(text.strip().lstrip("$"))
    except ArithmeticError:
        return None
    return value if value.is_finite() and value >= formatting.TINY else None
