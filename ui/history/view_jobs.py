"""The History view's longer jobs: What-if, plan from calls, and exports (calls as JSON or CSV, or as
evaluation cases), each in the background with the job bar's progress and Cancel. A mixin of HistoryView:
it uses the view's core, filters, selection and job bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

CASES_FILTER = "Test cases for Evaluate (*.jsonl)"


class HistoryJobs(QWidget):
    """The base of HistoryView: these jobs, on the view's own widgets and state."""

    _core: Any
    _store: Any
    _background: Any
    job: Any
    whatif_result: Any
    whatif_dialog: Any
    planRequested: Any
    current_model: Any

    def filters(self) -> Any:
        raise NotImplementedError  # HistoryView's

    def selected_rows(self) -> list[Any]:
        raise NotImplementedError  # HistoryView's

    def what_if_source(self) -> Any:
        """What the What-if dialog re-prices: the selected calls, or every call the filters show."""
        from playground.spend.whatif import priced_choices
        from ui.history.whatif_dialog import WhatIfSource

        core, store, filters = self._core, self._store, self.filters()
        selected = self.selected_rows()
        if selected:
            from playground.history.usage_sums import UsageGroup

            what = f"the {len(selected)} selected call{'s' if len(selected) > 1 else ''}"
            count, groups = (lambda: len(selected)), (lambda: (UsageGroup.of(r) for r in selected))
        else:
            what = "every call the filters show"
            count, groups = (lambda: store.totals(filters).calls), (lambda: store.usage_groups(filters))
        current = self.current_model()
        return WhatIfSource(
            what,
            count,
            groups,
            lambda: priced_choices(core.config.endpoints(), core.pricer, current),
            core.pricer,
            core.config.endpoint,
            current,
        )

    def ask_what_if(self) -> None:
        """Open the What-if dialog (it prices in the background, with progress and cancel)."""
        if self._core is None or self._background is None:
            return
        from ui.history.whatif_dialog import WhatIfDialog

        dialog = WhatIfDialog(self._background, self.what_if_source(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished_breakdown.connect(self._what_if_done)
        self.whatif_dialog = dialog
        dialog.open()

    def plan_calls(self) -> None:
        """Measure the filtered calls in the background; ``planRequested`` with the seed."""
        from ui.common.plan_seed import request_seed

        if self._core is None or self._background is None:
            return
        storage, filters = self._core.storage, self.filters()
        request_seed(
            self._background,
            lambda sources: sources.from_history(storage.read(), filters),
            self.planRequested.emit,
            lambda exc: self.whatif_result.setText(f"Cannot plan: {exc}"),
        )

    def _what_if_done(self, result) -> None:
        targets = list(dict.fromkeys(line.target for line in result.lines))
        self.whatif_result.setText("\n".join(result.total(t).describe() for t in targets))

    def export(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, chosen = QFileDialog.getSaveFileName(
            self, "Export history", "history.json", f"JSON (*.json);;CSV (*.csv);;{CASES_FILTER}"
        )
        if path and (path.endswith(".jsonl") or chosen == CASES_FILTER):
            self.export_cases_to(Path(path if path.endswith(".jsonl") else f"{path}.jsonl"))
        elif path:
            self.export_to(Path(path), path.endswith(".csv") or "CSV" in chosen)

    def export_to(self, path: Path, as_csv: bool) -> None:
        """Write what the filters show in the background, with a count of calls and Cancel."""
        from playground.history.transfer import export_file

        if self._core is None or self._background is None or (job := self.job.start("Export")) is None:
            return
        from playground.files import why_not_written

        storage, filters, store = self._core.storage, self.filters(), self._store
        progress, cancel = job

        def work() -> int:
            progress.total(store.totals(filters).calls)
            return export_file(storage, filters, path, as_csv, progress.calls.emit, cancel)

        self._background.submit(
            work,
            lambda count: self.job.finish(f"{count:,} calls exported to {path}"),
            lambda exc: self.job.finish(f"Could not export to {path}: {why_not_written(exc)}"),
        )

    def export_cases_to(self, path: Path) -> None:
        """The selected calls (or every call the filters show) as evaluation cases, in the background."""
        from playground.eval.from_history import export_cases

        if self._core is None or self._background is None or (job := self.job.start("Test cases")) is None:
            return
        storage, filters, store = self._core.storage, self.filters(), self._store
        ids = [r.id for r in self.selected_rows()]
        progress, cancel = job

        def work() -> tuple[int, int]:
            progress.total(len(ids) or store.totals(filters).calls)
            return export_cases(storage, filters, path, ids, progress.calls.emit, cancel)

        def done(counts: tuple[int, int]) -> None:
            written, skipped = counts
            left = f" ({skipped:,} without a user message left out)" if skipped else ""
            cases = "test case" if written == 1 else "test cases"
            self.job.finish(
                f"{written:,} {cases} saved to {path}{left}. In a suite, use the prompt "
                '"{{input}}" and cases_file = "' + path.name + '".'
            )

        self._background.submit(work, done, lambda exc: self.job.finish(f"Could not save test cases: {exc}"))
