"""Runs a suite's cells through the engine Compare uses (CompareRun: the same concurrency limits), each
call recorded in History under the run's id; a resumed run skips the cells already finished."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from playground.compare.columns import Column
from playground.compare.runner import CompareRun, Concurrency, Job
from playground.eval.checks import Answer, Kind, Outcome, run_all
from playground.eval.grades import GradeStore, counted
from playground.eval.store import CANCELLED, DONE, CellResult, EvalStore, RunInfo, RunNotFound
from playground.eval.suite import Cell, Suite, SuiteError, prepare
from playground.llm.events import Event
from playground.llm.request import Request
from playground.llm.result import CallResult
from playground.llm.runner import Runner

if TYPE_CHECKING:
    from playground.eval.grader import Grade
    from playground.llm.cancel import CancelToken

EVAL_TAG = "eval"
WAVE = 48  # cells started at once (each waits for its concurrency slot on its own thread)


@dataclass(frozen=True)
class RunOutcome:
    run: RunInfo
    suite: Suite
    cells: list[CellResult]  # every finished cell, earlier ones of a resumed run included
    skipped: int  # finished before this resume
    total: int
    cancelled: bool


def judge(cell: Cell, result: CallResult, grades: Mapping[str, Grade] | None = None) -> CellResult:
    """A cell passes when its call succeeded and every check passed (rubrics by ``grades``)."""
    cost = result.cost.total if result.cost is not None else None
    ok = result.status == "ok"
    answer = Answer(
        result.text, ok, result.ttft_ms, result.duration_ms, cost, tuple(result.tool_calls), grades or {}
    )
    outcomes = tuple(run_all(cell.checks, answer)) if ok else ()
    error = "" if ok else (result.error.message if result.error else result.status)
    return CellResult(
        cell.case,
        cell.column,
        cell.repeat,
        result.call_id,
        result.status,
        ok and all(o.passed for o in outcomes),
        outcomes,
        cost,
        result.ttft_ms,
        result.duration_ms,
        error,
    )


class EvalRunner:
    def __init__(self, runner: Runner, store: EvalStore, concurrency: Concurrency | None = None):
        self._runner = runner
        self._store = store
        self._concurrency = concurrency or Concurrency()
        self._lock = threading.Lock()
        self._compare: CompareRun | None = None
        self._stopped = threading.Event()
        self._grader: Column | None = None  # the running suite's, for its rubric checks
        self._grading: list[CancelToken] = []  # grading calls, stopped with the run

    def cancel(self) -> None:
        """Stop: running calls end as cancelled (not saved as finished cells), queued ones never start."""
        self._stopped.set()
        with self._lock:
            if self._compare is not None:
                self._compare.cancel()
            for token in self._grading:
                token.cancel()

    def start_run(self, suite: Suite, resume: str | None = None) -> tuple[RunInfo, list[Cell]]:
        """The run (new, or the one to resume) and the cells to run; nothing is sent yet."""
        cells = prepare(suite)  # every problem of the suite, before any call
        if resume is None:
            return self._store.new_run(
                suite.name, suite.fingerprint(), [c.label() for c in suite.columns]
            ), cells
        try:
            info = self._store.run(resume)
        except RunNotFound:
            raise SuiteError([f"no evaluation run {resume!r} in History"]) from None
        if info.fingerprint != suite.fingerprint():
            raise SuiteError([f"run {resume} was made from another version of this suite (or another suite)"])
        return info, cells

    def run(
        self,
        suite: Suite,
        resume: str | None = None,
        on_cell: Callable[[CellResult], None] | None = None,
        on_start: Callable[[RunInfo, int, int], None] | None = None,
        rerun_failed: bool = False,
    ) -> RunOutcome:
        """``rerun_failed`` (with ``resume``): the failed cells of that run are sent again too, and
        their new results replace the old ones (and their grades). Failed by the verdict that counts:
        a cell a person graded a pass is kept, one they graded a fail is sent again."""
        info, cells = self.start_run(suite, resume)
        self._grader = suite.grader
        earlier = self._store.cells(info.id) if resume else []
        if rerun_failed:
            grades = GradeStore(self._store.storage).grades(info.id)
            kept = {c.key for c in counted(earlier, grades) if c.passed}
            earlier = [c for c in earlier if c.key in kept]
        finished = {c.key for c in earlier}
        todo = [c for c in cells if c.key not in finished]
        if on_start:
            on_start(info, len(cells), len(cells) - len(todo))
        done: list[CellResult] = []
        if todo and not self._stopped.is_set():
            done = self._run_cells(info.id, todo, on_cell)
        cancelled = self._stopped.is_set() or len(done) < len(todo)
        self._store.set_status(info.id, CANCELLED if cancelled else DONE)
        return RunOutcome(info, suite, earlier + done, len(cells) - len(todo), len(cells), cancelled)

    def _grades(self, run_id: str, cell: Cell, result: CallResult) -> dict[str, Grade] | None:
        """The grader's verdict on each rubric of ``cell`` (on this cell's thread: its lane waits), or
        None when a stop cancelled a grading call."""
        rubrics = [c.check.value for c in cell.checks if c.check.kind is Kind.RUBRIC]
        if not rubrics or result.status != "ok" or self._grader is None:
            return {}
        from playground.eval.grader import GRADER_TAG, grade
        from playground.llm.cancel import CancelToken

        cancel = CancelToken()
        with self._lock:
            self._grading.append(cancel)
        if self._stopped.is_set():
            cancel.cancel()
        question = "\n\n".join(m.content for m in cell.request.messages)

        def run(request: Request) -> CallResult:
            return self._runner.run(request, cancel=cancel, group_id=run_id, tag=GRADER_TAG)

        grades = grade(run, self._grader, rubrics, question, result.text)
        return None if cancel.cancelled else grades

    def _run_cells(
        self, run_id: str, todo: list[Cell], on_cell: Callable[[CellResult], None] | None
    ) -> list[CellResult]:
        compare = CompareRun(
            self._runner,
            concurrency=Concurrency(
                self._concurrency.parallel, self._concurrency.per_endpoint, repeats_in_parallel=True
            ),
        )
        compare.group_id = run_id  # every call of the run is in History under its id
        with self._lock:
            self._compare = compare
        if self._stopped.is_set():
            compare.cancel()
        by_job = {i: cell for i, cell in enumerate(todo)}
        results: list[CellResult] = []
        results_lock = threading.Lock()

        def done(job: Job, result: CallResult) -> None:
            if result.status == "cancelled":
                return  # not finished: a resume runs it again
            grades = self._grades(run_id, by_job[job.id], result)
            if grades is None:
                return  # stopped while grading: not finished either
            cell = judge(by_job[job.id], result, grades)
            self._store.save_cell(run_id, cell)
            with results_lock:
                results.append(cell)
            if on_cell:
                on_cell(cell)

        def ignore(job: Job, event: Event) -> None:
            pass

        jobs = [Job(i, cell.column, cell.repeat, cell.request) for i, cell in by_job.items()]
        # A row's position is its column and repeat (as in Compare); the case is in eval_cells. Cells
        # start in waves, so a suite of thousands of cells never holds thousands of threads.
        wave = max(WAVE, 4 * self._concurrency.parallel)
        for start in range(0, len(jobs), wave):
            if self._stopped.is_set():
                break
            for t in compare.start(jobs[start : start + wave], ignore, done, tag=EVAL_TAG):
                while t.is_alive():
                    t.join(0.2)  # short waits: a signal handler in the main thread gets to run
        return sorted(results, key=lambda c: (c.column, c.case, c.repeat))


__all__ = ["EvalRunner", "Outcome", "RunOutcome", "judge"]
