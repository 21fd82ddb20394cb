"""The Evaluate mode: open a suite, see its problems before anything is sent, run it as a grid of
cases x columns on its own thread, cancel and resume it, and read each column's summary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ui.common.sections import Sections
from ui.eval.cases_table import CasesTable
from ui.eval.detail_pane import DetailPane
from ui.eval.eval_job import JOIN_S, EvalJob
from ui.eval.grading import Grading
from ui.eval.grid import EvalGrid
from ui.eval.suite_files import ask_cases_file, ask_export, ask_suite, read_suite, suite_problems
from ui.eval.suite_save import answers, ask_save_path, export_results, save_suite

if TYPE_CHECKING:
    from playground.core import Core
    from playground.eval.runner import RunOutcome
    from playground.eval.store import CellResult
    from playground.eval.suite import Suite
    from ui.common.background import Background


class EvalPage(QWidget):
    """``runFinished`` carries the RunOutcome once a run ends (finished or cancelled)."""

    exported = Signal(str)  # what the user reads: where it went, or why it did not
    suiteShown = Signal()
    runFinished = Signal(object)
    caseShown = Signal(int)
    gradesShown = Signal()

    def __init__(
        self,
        background: Background,
        ask_path: Callable[[QWidget], Path | None] = ask_suite,
        ask_export: Callable[[QWidget], Path | None] = ask_export,
        ask_cases: Callable[[QWidget], Path | None] | None = None,
        parent: QWidget | None = None,
        ask_save: Callable[[QWidget, str], Path | None] | None = None,
    ):
        super().__init__(parent)
        self._background = background
        self._ask_path = ask_path
        self._ask_export = ask_export
        self._ask_cases = ask_cases or ask_cases_file
        self._ask_save = ask_save or ask_save_path
        self._edited: Suite | None = None  # the suite as read, then as its cases were edited
        self._core: Core | None = None
        self._suite: Suite | None = None
        self._job: EvalJob | None = None
        self._unfinished: dict[str, str] = {}  # suite fingerprint -> the id of its cancelled run
        self.run_id: str | None = None

        self.open_button = QPushButton("Open suite…")
        self.run_button = QPushButton("Run")
        self.cancel_button = QPushButton("Cancel")
        self.resume_button = QPushButton("Resume")
        self.rerun_button = QPushButton("Re-run failed")
        self.export_button = QPushButton("Export…")
        self.title = QLabel("Open a suite (TOML, JSON or promptfoo YAML) to evaluate it.")
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # long names elide
        self.not_recorded = QLabel("")  # a read-only history: why runs are off
        self.not_recorded.setWordWrap(True)
        self.not_recorded.setAccessibleName("Runs cannot be recorded")
        self.not_recorded.hide()
        self.problems = QListWidget()
        self.problems.setAccessibleName("Problems of the suite")
        self.problems.hide()
        self.progress = QProgressBar()
        self.progress.setFormat("%v / %m cells")
        self.progress.hide()  # until a suite is open: empty, it looked like a text field
        self.grid = EvalGrid()
        self.detail = DetailPane()
        self.cases = CasesTable()
        self.tabs = Sections()
        self.grading = Grading(background, self.grid, self.detail, lambda: self.run_id, self)
        self.grading.shown.connect(self._finished_line)
        self.grading.shown.connect(self.gradesShown)
        self.outcome: RunOutcome | None = None
        bar = QHBoxLayout()
        buttons = (self.open_button, self.run_button, self.cancel_button, self.resume_button)
        for widget in (*buttons, self.rerun_button, self.export_button):
            bar.addWidget(widget)
        bar.addWidget(self.title, 1)
        bar.addWidget(self.progress)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.not_recorded)
        layout.addWidget(self.problems)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.grid)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([480, 320])  # the detail: the case asked, answers, grade
        self.tabs.addTab(split, "Results")
        self.tabs.addTab(self.cases, "Cases")
        layout.addWidget(self.tabs, 1)
        self.cases.casesChanged.connect(self._cases_edited)
        self.cases.importRequested.connect(self._import_cases)
        self.cases.saveRequested.connect(lambda: self.save_suite())
        self.grid.cellPicked.connect(self.show_case)
        self.detail.gradeGiven.connect(self.grading.save)
        self.open_button.clicked.connect(self._open)
        self.run_button.clicked.connect(lambda: self.run())
        self.cancel_button.clicked.connect(self.cancel)
        self.resume_button.clicked.connect(self.resume)
        self.rerun_button.clicked.connect(self.rerun_failed)
        self.export_button.clicked.connect(self._export)
        self._update_buttons()

    def set_core(self, core: Core) -> None:
        self._core = core
        self.grading.set_storage(core.storage)
        why = core.not_recorded
        if why:
            self.not_recorded.setText(f"{why} Suites open and can be edited; runs are off.")
        self.not_recorded.setVisible(bool(why))
        for button in (self.run_button, self.resume_button, self.rerun_button):
            button.setToolTip(why or "")
        self._update_buttons()

    @property
    def running(self) -> bool:
        return self._job is not None and self._job.running

    def open_suite(self, path: Path) -> None:
        """Read ``path`` in the background; its problems are listed, or its grid is shown."""
        if self._core is None:
            return
        core = self._core
        self.title.setText(f"Reading {path.name}…")

        def work() -> tuple[Suite | None, list[str]]:
            return read_suite(path, {e.name for e in core.config.endpoints()})

        self._background.submit(work, lambda got: self._shown(path, *got), self._read_failed)

    def run(self, resume: str | None = None, rerun_failed: bool = False) -> None:
        if self._core is None or self._suite is None or self.running or self._core.not_recorded:
            return
        self._job = job = EvalJob(self._core, self._suite, resume, rerun_failed, self)
        job.started.connect(self._started)
        job.cells.connect(self._cells)
        job.finished.connect(self._finished)
        job.failed.connect(self._failed)
        if resume is None:
            self._show_grid(self._suite)
        self.progress.setValue(0)
        self.tabs.setCurrentIndex(0)
        job.start()
        self._update_buttons()

    def resume(self) -> None:
        if self._suite is not None:
            self.run(self._unfinished.get(self._suite.fingerprint()))

    def rerun_failed(self) -> None:
        """Send the failed cells of the last run again (same run id); passing cells are kept."""
        if self.outcome is not None and not self.outcome.cancelled:
            self.run(self.outcome.run.id, rerun_failed=True)

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self.title.setText("Stopping…")

    def shutdown(self, wait_s: float = JOIN_S) -> bool:
        """At quit, before the core closes: cancel a running evaluation and join its thread (bounded).
        True when no evaluation thread is left running."""
        if self._job is not None:
            self._job.join(wait_s)
            return not self._job.running
        return True

    def _open(self) -> None:
        path = self._ask_path(self)
        if path is not None:
            self.open_suite(path)

    def _shown(self, path: Path, suite: Suite | None, problems: list[str]) -> None:
        self.problems.clear()
        self.problems.addItems(problems)
        self.problems.setVisible(bool(problems))
        self._suite = suite
        if suite is not None:
            from playground.llm.templates import find_variables

            self._edited = suite
            variables = find_variables([t for p in suite.prompts for t in p.texts()])
            self.cases.show_cases(suite.cases, [v for v in variables if v != "expected"])
        self.progress.setVisible(suite is not None)
        if suite is None:
            self.title.setText(f"{path.name} cannot run: {len(problems)} problem(s); nothing was sent.")
        else:
            cells = len(suite.cases) * len(suite.columns) * suite.repeats
            self.title.setText(f"{suite.name}: {len(suite.cases)} cases × {len(suite.columns)} columns")
            self.progress.setRange(0, cells)
            self.progress.setValue(0)
            self._show_grid(suite)
            self._find_unfinished(suite)
        self._update_buttons()
        self.suiteShown.emit()

    def _export(self) -> None:
        path = self._ask_export(self)
        if path is not None:
            self.export(path)

    def export(self, path: Path) -> None:
        """Write the last run's results (answers read from History) in the background."""
        if self._core is None or self.outcome is None:
            return
        grades = list(self.grading.grades.values())
        export_results(self._background, self._core.history, self.outcome, grades, path, self._said)

    def save_suite(self, path: Path | None = None) -> None:
        """The suite as its cases stand now, as a JSON suite file (asked for when ``path`` is None)."""
        suite = self._edited
        if suite is None:
            return
        path = path or self._ask_save(self, suite.name)
        if path is not None:
            save_suite(self._background, suite, path, self._said)

    def _said(self, message: str) -> None:
        self.title.setText(message)
        self.exported.emit(message)

    def _find_unfinished(self, suite: Suite) -> None:
        """An unfinished run of this very suite (an earlier session's too) makes Resume available."""
        if self._core is None:
            return
        from playground.eval.store import EvalStore

        store, fingerprint = EvalStore(self._core.storage), suite.fingerprint()

        def found(run_id: str | None) -> None:
            if run_id is not None and fingerprint not in self._unfinished:
                self._unfinished[fingerprint] = run_id
                self._update_buttons()

        self._background.submit(lambda: store.unfinished(fingerprint), found)

    def _cases_edited(self, cases: tuple) -> None:
        """Edited cases make a new suite (a new fingerprint: a run of the old one is not resumed)."""
        if self._edited is None or self.running:
            return
        from dataclasses import replace

        suite = self._edited = replace(self._edited, cases=cases)

        def checked(problems: list[str]) -> None:
            if suite is not self._edited:
                return  # edited again since
            self.problems.clear()
            self.problems.addItems(problems)
            self.problems.setVisible(bool(problems))
            self._suite = None if problems else suite
            if not problems:
                self._show_grid(suite)
                self.title.setText(f"{suite.name}: {len(suite.cases)} cases × {len(suite.columns)} columns")
            self._update_buttons()
            self.suiteShown.emit()

        core = self._core
        if core is None:
            return
        self._background.submit(
            lambda: suite_problems(suite, {e.name for e in core.config.endpoints()}), checked
        )

    def _import_cases(self) -> None:
        path = self._ask_cases(self)
        if path is None:
            return
        from playground.eval.suite import SuiteError, read_cases

        def failed(exc: BaseException) -> None:
            lines = exc.problems if isinstance(exc, SuiteError) else [str(exc)]
            self.problems.clear()
            self.problems.addItems([f"not imported: {line}" for line in lines])
            self.problems.show()

        self._background.submit(lambda: read_cases(path), self.cases.add_cases, failed)

    def _show_grid(self, suite: Suite) -> None:
        self.grid.show_suite(suite)
        self.detail.set_suite(suite)
        self.grading.clear()
        self.outcome = None

    def show_case(self, case: int, column: int = 0) -> None:
        """The case's answers across the columns (read from History in the background)."""
        if self._core is None:
            return
        history, cells = self._core.history, self.grid.cells_of(case)
        ids = [c.call_id for c in cells if c.call_id is not None]

        def shown(answers: dict[int, str]) -> None:
            self.detail.show_case(case, self.grid.case_name(case), cells, answers, column)
            self.caseShown.emit(case)

        self._background.submit(lambda: answers(history, ids), shown)

    def _read_failed(self, exc: BaseException) -> None:
        self._shown(Path("suite"), None, [f"cannot read the suite: {exc}"])

    def _started(self, run_id: str, total: int, earlier: int) -> None:
        self.run_id = run_id
        self.progress.setRange(0, total)
        self.progress.setValue(earlier)
        self.title.setText(
            f"Run {run_id}: {total} cells" + (f", {earlier} finished earlier" if earlier else "")
        )
        self.grading.load(run_id)

    def _cells(self, cells: list[CellResult]) -> None:
        self.grading.answered_anew([c.key for c in cells])
        self.grid.add(cells)
        self.progress.setValue(self.progress.value() + len(cells))
        self._fetch_answers(cells)

    def _fetch_answers(self, cells: list[CellResult]) -> None:
        if self._core is None:
            return
        history, ids = self._core.history, [c.call_id for c in cells if c.call_id is not None]
        if ids:
            self._background.submit(lambda: answers(history, ids), self.grid.set_answers)

    def _finished(self, outcome: RunOutcome) -> None:
        self.outcome = outcome
        earlier = [c for c in outcome.cells if c.key not in {r.key for r in self.grid.results()}]
        self.grid.add(outcome.cells)  # a resumed run's earlier cells too
        self._fetch_answers(earlier)
        self.progress.setValue(len(outcome.cells))
        key = outcome.run.fingerprint
        if outcome.cancelled:
            self._unfinished[key] = outcome.run.id
            self.title.setText(f"Run {outcome.run.id} stopped: {len(outcome.cells)} of {outcome.total} cells")
        else:
            self._unfinished.pop(key, None)
        self._job = None
        self._finished_line()
        self._update_buttons()
        self.runFinished.emit(outcome)

    def _finished_line(self) -> None:
        """A finished run's line, failed by the verdict that counts: said again after each grade."""
        outcome = self.outcome
        if outcome is not None and not outcome.cancelled and self._job is None:
            failed = self.grid.failed_count()
            self.title.setText(f"Run {outcome.run.id}: {outcome.total} cells, {failed} failed")
            self._update_buttons()  # Re-run failed: on while a cell fails

    def _failed(self, message: str) -> None:
        self._job = None
        self.problems.clear()
        self.problems.addItems(message.splitlines())
        self.problems.show()
        self.title.setText("The evaluation could not run.")
        self._update_buttons()

    def _update_buttons(self) -> None:
        running = self.running
        recorded = self._core is None or not self._core.not_recorded  # no core yet: no suite either
        ready = self._suite is not None and not running and recorded
        self.run_button.setEnabled(ready)
        self.cancel_button.setEnabled(running)
        unfinished = self._suite is not None and self._suite.fingerprint() in self._unfinished
        self.resume_button.setEnabled(ready and unfinished)
        self.open_button.setEnabled(not running)
        self.cases.setEnabled(self._edited is not None and not running)
        finished = self.outcome is not None and not self.outcome.cancelled and not running
        failed = self._suite is not None and self.grid.failed_count() > 0
        self.rerun_button.setEnabled(finished and failed and recorded)
        self.export_button.setEnabled(self.outcome is not None and not running)
