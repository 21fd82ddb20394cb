"""One evaluation run on a thread of its own (like a Compare job): finished cells are buffered and
handed to the GUI in batches by a timer, never a signal per call; the GUI thread does no SQL."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

if TYPE_CHECKING:
    from playground.core import Core
    from playground.eval.runner import EvalRunner
    from playground.eval.store import CellResult, RunInfo
    from playground.eval.suite import Suite

FLUSH_MS = 100
JOIN_S = 10.0  # at quit: how long the run may take to stop after its cancel


class EvalJob(QObject):
    """``started(run_id, total, earlier)``, ``cells(list[CellResult])`` in batches, then ``finished``
    (a RunOutcome) or ``failed`` (a message for the user: problems of the suite, one per line)."""

    started = Signal(str, int, int)
    cells = Signal(list)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        core: Core,
        suite: Suite,
        resume: str | None = None,
        rerun_failed: bool = False,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        from playground.eval.runner import EvalRunner
        from playground.eval.store import EvalStore

        self._runner: EvalRunner = EvalRunner(core.runner, EvalStore(core.storage))
        self._suite = suite
        self._resume = resume
        self._rerun_failed = rerun_failed
        self._lock = threading.Lock()
        self._buffer: list[CellResult] = []
        self._start: tuple[str, int, int] | None = None
        self._end: tuple[str, object] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(FLUSH_MS)
        self._timer.timeout.connect(self._flush)
        self._thread = threading.Thread(target=self._work, name="eval-run", daemon=True)

    def start(self) -> None:
        self._timer.start()
        self._thread.start()

    def cancel(self) -> None:
        self._runner.cancel()

    def join(self, timeout: float = JOIN_S) -> None:
        """Cancel and wait for the thread (at quit, before the core closes)."""
        self._runner.cancel()
        if self._thread.is_alive():
            self._thread.join(timeout)
        self._timer.stop()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _work(self) -> None:
        from playground.eval.suite import SuiteError

        def on_start(info: RunInfo, total: int, earlier: int) -> None:
            with self._lock:
                self._start = (info.id, total, earlier)

        def on_cell(cell: CellResult) -> None:
            with self._lock:
                self._buffer.append(cell)

        try:
            outcome = self._runner.run(
                self._suite, self._resume, on_cell=on_cell, on_start=on_start, rerun_failed=self._rerun_failed
            )
            end: tuple[str, object] = ("ok", outcome)
        except SuiteError as exc:
            end = ("failed", "\n".join(exc.problems))
        except Exception as exc:  # reaches the user as a message, not a traceback
            end = ("failed", f"the evaluation stopped: {exc}")
        with self._lock:
            self._end = end

    def _flush(self) -> None:
        with self._lock:
            start, self._start = self._start, None
            batch, self._buffer = self._buffer, []
            end = self._end
        if start is not None:
            self.started.emit(*start)
        if batch:
            self.cells.emit(batch)
        if end is not None:
            self._timer.stop()
            if end[0] == "ok":
                self.finished.emit(end[1])
            else:
                self.failed.emit(str(end[1]))
