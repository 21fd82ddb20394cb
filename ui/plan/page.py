"""The Plan mode: a workload's monthly bill across models, its savings moves and its sensitivity.

Every figure comes from :func:`playground.plan.service.make_plan` on the background pool (the same call
`playground plan` makes), recomputed 300 ms after the last edit; saved workloads and exports are read
and written there too. The GUI thread only parses the form and fills the widgets.

Export is off while the figures shown are not the form's (an edit not yet planned, or a form that does
not plan): an export is what the page shows, and a file of stale figures would read as the new plan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from playground.files import why_not_written, write_whole
from playground.plan.quality import parse_floor
from playground.plan.workload import Tokens, Workload, WorkloadError
from ui.common.background import Background, Latest
from ui.common.sections import Sections
from ui.plan.candidates_choice import CandidatesChoice, Pick
from ui.plan.plan_lists import LinesList, move_lines, unfit_lines
from ui.plan.plan_table import PlanTable
from ui.plan.saved_bar import SavedBar, ask_name
from ui.plan.workload_form import WorkloadForm

if TYPE_CHECKING:
    from playground.plan.sources import PlanSeed

DEBOUNCE_MS = 300
LEFT_WIDTH = 340  # the form; the table takes the rest
STARTER = Workload(Decimal(1000), Tokens(1000, 1000), Tokens(300, 300), name="")
EXPORTS = (
    ("CSV", "csv", "CSV (*.csv)"),
    ("Markdown", "md", "Markdown (*.md)"),
    ("JSON", "json", "JSON (*.json)"),
)
KEPT = "The table on the right still shows the last plan made."


def ask_path(parent: QWidget, kind: str, suffix: str, pattern: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, f"Export plan as {kind}", f"plan.{suffix}", pattern)
    return Path(name) if name else None


@dataclass(frozen=True)
class Shown:
    """One computed plan: the service's result and its sensitivity series (built off the GUI thread)."""

    result: Any  # playground.plan.service.PlanResult
    sensitivity: Any  # playground.plan.sensitivity.Sensitivity


def _billed_at(data: dict[str, Any]) -> str:
    """The sizes the bill is at, in the summary: the median one is likely low, and the headline is read."""
    median = data.get("median_sizes") or []
    if median:
        sizes = " and ".join(median) + (" sizes" if len(median) > 1 else " size")
        return f" · <b>⚠ billed at the median (p50) {sizes}: likely low</b> (no average given; see Notes)"
    if any(isinstance(v, dict) and "mean" in v for v in data["workload"].values()):
        return " · billed at the average request sizes"
    return ""


class PlanPage(QWidget):
    planShown = Signal()  # a new plan is on screen
    savedChanged = Signal()  # the saved names were re-read

    def __init__(
        self,
        background: Background,
        compare_models: Callable[[], tuple[str, ...]] = tuple,
        ask_name: Callable[[QWidget, str], str | None] = ask_name,
        ask_path: Callable[[QWidget, str, str, str], Path | None] = ask_path,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._background = background
        self._latest = Latest(background)
        self._ask_path = ask_path
        self._core: Any = None
        self._prompt: Any = None  # a seed's counted prompt (PromptSize), for the trim move
        self._measured: Any = None  # a History seed's per-model first token, duration, errors
        self._saved: Any = None  # SavedWorkloads, once the core is known
        self.data: dict[str, Any] | None = None  # the plan on screen, as `playground plan --json`
        self.shown: Shown | None = None
        self._empty_compare = False
        self.chart: Any = None  # SensitivityChart, built with the first plan (pyqtgraph loads then)
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self.recompute)

        self.source = QLabel()
        self.source.setWordWrap(True)  # on one line it widened the form past its pane (cut on the right)
        self.source.setAccessibleName("Where the workload came from")
        self.source.hide()
        self.saved_bar = SavedBar(ask_name)
        self.form = WorkloadForm()
        self.form.set_workload(STARTER)
        self.candidates = CandidatesChoice(compare_models)
        self.min_pass_rate = QLineEdit()
        self.min_pass_rate.setPlaceholderText("the current model's")
        self.min_pass_rate.setAccessibleName("Minimum pass rate for the quality move")
        self.min_pass_rate.setToolTip(
            "The quality move switches to the cheapest model whose evaluation pass rate is at least this "
            "(85% or 0.85); empty: the current (first) model's own, as `playground plan --min-pass-rate`"
        )
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Plan status")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_buttons: dict[str, QPushButton] = {}
        exports = QHBoxLayout()
        exports.addWidget(QLabel("Export:"))
        for kind, suffix, pattern in EXPORTS:
            button = QPushButton(kind)
            button.setAccessibleName(f"Export plan as {kind}")
            button.clicked.connect(lambda _=False, k=kind, s=suffix, p=pattern: self.export(k, s, p))
            exports.addWidget(button)
            self.export_buttons[kind] = button
        exports.addStretch(1)
        self._stale("No plan yet: export comes with the first plan.")

        left = QWidget()
        column = QVBoxLayout(left)
        column.addWidget(self.source)
        column.addWidget(self.saved_bar)
        column.addWidget(self.form)
        column.addWidget(QLabel("<b>Candidates</b>"))
        column.addWidget(self.candidates)
        floor = QHBoxLayout()
        floor_label = QLabel("Min pass rate:")
        floor_label.setBuddy(self.min_pass_rate)
        floor.addWidget(floor_label)
        floor.addWidget(self.min_pass_rate, 1)
        column.addLayout(floor)
        column.addLayout(exports)
        column.addWidget(self.status)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFixedWidth(LEFT_WIDTH)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Plan summary")
        self.table = PlanTable()
        self.moves = LinesList("Savings moves", "No savings moves")
        self.unfit = LinesList("Models that do not fit", "Every candidate fits")
        self.notes = LinesList("Plan notes", "")
        self.details = Sections()
        self.details.setAccessibleName("Plan details")
        self.details.addTab(self.moves, "Savings moves")
        self.details.addTab(self.unfit, "Does not fit")
        self._chart_slot = QLabel("The chart appears with the first plan.")
        self.details.addTab(self._chart_slot, "Sensitivity")
        self.details.addTab(self.notes, "Notes")
        right = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.summary)
        top_layout.addWidget(self.table, 1)
        right.addWidget(top)
        right.addWidget(self.details)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right.setChildrenCollapsible(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        layout.addWidget(right, 1)

        self.form.changed.connect(self.schedule)
        self.candidates.changed.connect(self.schedule)
        self.min_pass_rate.textChanged.connect(self.schedule)
        self.saved_bar.picked.connect(self.load_saved)
        self.saved_bar.saveRequested.connect(self.save)
        self.saved_bar.deleteRequested.connect(self.delete)

    # the core and the plan

    @property
    def has_core(self) -> bool:
        return self._core is not None

    def set_core(self, core: Any) -> None:
        from playground.plan.saved import SavedWorkloads

        self._core = core
        self._saved = saved = SavedWorkloads(core.home)
        self._background.submit(saved.cannot_save, self.saved_bar.set_read_only)  # a read-only folder
        self._refresh_names(self.form.name)
        self.recompute()

    def open_seed(self, seed: PlanSeed) -> None:
        """Show a workload made elsewhere (Playground, Compare, History) and plan it at once."""
        self.form.set_workload(seed.workload)
        self.candidates.choose(seed.models)
        self.source.setText(f"From: {seed.source}")
        self.source.setVisible(bool(seed.source))
        self._prompt = seed.prompt  # the counted prompt: the moves then include trimming it
        self._measured = seed.measured
        self.saved_bar.set_names(self._names(), "")
        self.recompute()

    def schedule(self) -> None:
        """Recompute once the edits pause (each keystroke restarts the wait)."""
        self._stale("The form changed since this plan was made: export is back when the new plan is shown.")
        self._timer.start()

    def recompute(self) -> None:
        self._timer.stop()
        if self._core is None:
            return
        self._stale("The plan is being worked out: export is back when it is shown.")
        try:
            workload = self.form.workload()
        except WorkloadError as exc:
            self._failed(f"Not planned: {exc}")
            return
        floor_text = self.min_pass_rate.text().strip()
        try:
            floor = parse_floor(floor_text) if floor_text else None
        except ValueError as exc:
            self._failed(f"Not planned: Min pass rate {exc}")
            return
        core, models, prompt, measured = self._core, self.candidates.models(), self._prompt, self._measured
        self._empty_compare = models is None and self.candidates.pick.currentText() == Pick.COMPARE

        def work() -> Shown:
            from playground.plan.quality import read_quality
            from playground.plan.sensitivity import sensitivity
            from playground.plan.service import make_plan

            quality = read_quality(core.storage.read())  # the reader connection of this pool thread
            result = make_plan(
                core, workload, models, measured=measured, prompt=prompt, quality=quality, min_pass_rate=floor
            )
            return Shown(result, sensitivity(result.plan, core.pricer))

        self._latest.submit(work, self._show, lambda exc: self._failed(f"Not planned: {exc}"))

    def _stale(self, why: str) -> None:
        """The figures on screen are not the form's: no export of them (``why`` is the buttons' tooltip)."""
        for button in self.export_buttons.values():
            button.setEnabled(False)
            button.setToolTip(why)

    def _failed(self, text: str) -> None:
        text = text.rstrip(".") + "."
        kept = f" {KEPT}" if self.data is not None else ""
        self._say(text + kept)
        self._stale(f"{text} Export is back once the form plans again.")

    def _show(self, shown: Shown) -> None:
        self.shown, data = shown, shown.result.data
        self.data = data
        priced = sum(m["monthly_usd"] is not None for m in data["models"])
        fit = "1 model fits" if len(data["models"]) == 1 else f"{len(data['models'])} models fit"
        self.summary.setText(
            f"<b>{Decimal(data['requests_per_month']):,} requests a month</b> · {fit} "
            f"({priced} priced), {len(data['unfit'])} {'does' if len(data['unfit']) == 1 else 'do'} not"
            " · ranked by monthly cost; "
            "† depends on the batch discount setting; parts that are $0 for every model are not shown"
            + _billed_at(data)
        )
        self.table.set_data(data)
        self.moves.set_lines(move_lines(data))
        self.unfit.set_lines(unfit_lines(data))
        self.details.bar.setTabText(1, f"Does not fit ({len(data['unfit'])})")
        self.notes.set_lines([*data["notes"], *(f"left out: {x}" for x in data["left_out"])])
        if self.chart is None:
            from ui.plan.sensitivity_chart import SensitivityChart

            self.chart = SensitivityChart()
            stack = self.details.stack  # the chart takes the slot's place under the same tab
            stack.insertWidget(stack.indexOf(self._chart_slot), self.chart)
            stack.removeWidget(self._chart_slot)
            self._chart_slot.deleteLater()
            stack.setCurrentIndex(self.details.currentIndex())
        self.chart.set_sensitivity(shown.sensitivity)
        skipped = data.get("not_planned") or []
        self._say(
            "The Compare set is empty: every chat model is priced."
            if self._empty_compare
            else f"Left out, as their endpoints are not in Settings ▸ Endpoints: {', '.join(skipped)}."
            if skipped
            else ""
        )
        for kind, suffix, _ in EXPORTS:
            button = self.export_buttons[kind]
            button.setEnabled(True)
            button.setToolTip(f"Save this plan as {kind} (the same as `playground plan --{suffix}`)")
        self.planShown.emit()

    def _say(self, text: str) -> None:
        self.status.setText(text)

    # saved workloads (files, off the GUI thread)

    def _names(self) -> list[str]:
        return [self.saved_bar.combo.itemText(i) for i in range(1, self.saved_bar.combo.count())]

    def _refresh_names(self, current: str) -> None:
        saved = self._saved

        def shown(names: list[str]) -> None:
            self.saved_bar.set_names(names, current)
            self.savedChanged.emit()

        self._background.submit(
            saved.names, shown, lambda exc: self._say(f"Cannot list saved workloads: {exc}")
        )

    def load_saved(self, name: str) -> None:
        saved = self._saved

        def loaded(workload: Workload) -> None:
            self.form.set_workload(workload)
            self.source.hide()
            self.recompute()

        self._background.submit(lambda: saved.load(name), loaded, lambda exc: self._say(f"Not loaded: {exc}"))

    def save(self, name: str) -> None:
        from playground.plan.saved import check_name

        try:
            workload, clean = self.form.workload(), check_name(name)
        except WorkloadError as exc:
            self._say(f"Not saved: {exc}")
            return
        saved = self._saved

        def done(path: Path) -> None:
            self.form.name = clean
            self._say(f"Saved as {clean} ({path})")
            self._refresh_names(clean)

        self._background.submit(
            lambda: saved.save(workload, clean), done, lambda exc: self._say(f"Not saved: {exc}")
        )

    def delete(self, name: str) -> None:
        saved = self._saved

        def done(_: object) -> None:
            self._say(f"Deleted {name}")
            self._refresh_names("")

        self._background.submit(
            lambda: saved.delete(name), done, lambda exc: self._say(f"Not deleted: {exc}")
        )

    # export

    def export(self, kind: str, suffix: str, pattern: str) -> None:
        data = self.data
        if data is None:
            self._say("Nothing to export yet: the plan is still being worked out")
            return
        if not self.export_buttons[kind].isEnabled():  # called while the figures are not the form's
            self._say("Not exported: the figures shown are not of the form as it is now")
            return
        path = self._ask_path(self, kind, suffix, pattern)
        if path is None:
            return

        def work() -> Path:
            from playground.plan import export

            text = {"CSV": export.to_csv, "Markdown": export.to_markdown}.get(
                kind, lambda d: export.dumps_json(d) + "\n"
            )(data)
            write_whole(path, text)  # a failed write keeps the file that was there
            return path

        self._background.submit(
            work,
            lambda p: self._say(f"Exported to {p}"),
            lambda exc: self._say(f"Not exported to {path}: {why_not_written(exc)}"),
        )
