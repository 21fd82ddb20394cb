"""What Compare's toolbar menus open: the sweep, diff and leaderboard dialogs, a comparison saved to or
opened from a file, and one reopened from history. Reads and writes run on the background pool."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog

from playground.compare.columns import Column, CompareSet

if TYPE_CHECKING:
    from ui.compare.view import CompareView


class CompareFiles:
    """Works on ``view``; the dialogs it opens stay on the view (``view.diff_dialog`` and so on)."""

    def __init__(self, view: CompareView):
        self.view = view

    def open_sweep(self) -> None:
        from playground.llm.errors import PlaygroundError
        from playground.llm.params import specs_for
        from ui.compare.sweep_dialog import SweepDialog

        view = self.view
        current = view._current_model()
        endpoint = view.compare.session.endpoint(current[0]) if current else None
        if endpoint is None or current is None:
            return
        base = view.columns[0].column() if view.columns else Column(*current)
        specs = {s.name: s for s in specs_for(endpoint.api) if s.kind in ("float", "int", "choice")}
        dialog = SweepDialog(list(specs), base.label(), lambda name, value: specs[name].check(value), view)
        view.sweep_dialog = dialog

        def accepted() -> None:
            from playground.compare.columns import sweep

            name, values = dialog.choice()
            try:
                view.set_columns(sweep(base, name, values))
            except PlaygroundError as exc:
                view.summary.setText(html.escape(str(exc)))

        dialog.accepted.connect(accepted)
        dialog.open()

    def open_diff(self) -> None:
        from ui.compare.diff_dialog import DiffDialog

        view = self.view
        answers = []
        for widget in view.columns:
            for k, text in enumerate(widget.answers()):
                suffix = f", answer {k + 1}" if len(widget.answers()) > 1 else ""
                answers.append((f"{widget.short_name()}{suffix}", text))
        if len(answers) >= 2:
            view.diff_dialog = DiffDialog(answers, view)
            view.diff_dialog.open()

    def open_leaderboard(self) -> None:
        from ui.compare.leaderboard_dialog import LeaderboardDialog

        view = self.view

        def show(rows: list) -> None:
            view.leaderboard_dialog = LeaderboardDialog(rows, view)
            view.leaderboard_dialog.open()

        view.compare.leaderboard(show)

    def save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.view, "Save comparison", "comparison.json", "Comparison (*.json)"
        )
        if path:
            text = self.view.compare_set().to_json()
            self._file_job(lambda: Path(path).write_text(text, encoding="utf-8"), None, f"save {path}")

    def open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.view, "Open comparison", "", "Comparison (*.json)")
        if path:
            read = lambda: CompareSet.from_json(Path(path).read_text(encoding="utf-8"))  # noqa: E731
            self._file_job(read, self.view.apply_set, f"open {path}")

    def _file_job(self, work: Callable[[], Any], done: Callable[[Any], None] | None, what: str) -> None:
        """File reads and writes run on the background pool; a failure is said in the summary line."""

        def failed(exc: BaseException) -> None:
            self.view.summary.setText(html.escape(f"Could not {what}: {exc}"))

        self.view.compare.session.background.submit(work, done, failed)

    def open_from_history(self) -> None:
        from ui.compare.group_dialog import GroupDialog

        view = self.view

        def show(groups: list) -> None:
            dialog = GroupDialog(groups, view)
            view.group_dialog = dialog

            def chosen() -> None:
                group_id = dialog.group_id()
                if group_id:
                    self.load_group(group_id)

            dialog.accepted.connect(chosen)
            dialog.open()

        view.compare.recent_groups(show)

    def load_group(self, group_id: str) -> None:
        """Reopen a comparison from history (read in the background): prompt, columns and answers."""

        def failed(exc: BaseException) -> None:
            self.view.summary.setText(html.escape(f"Could not reopen the comparison: {exc}"))

        self.view.compare.restore(group_id, lambda restored: self._restored(group_id, restored), failed)

    def _restored(self, group_id: str, restored) -> None:
        view = self.view
        view.restorePrompt.emit(restored.system, restored.messages)
        view.repeats.setValue(max(len(r) for r in restored.results))
        view.set_columns(restored.columns)
        for widget, results in zip(view.columns, restored.results, strict=True):
            widget.set_results(results)
        view._show_metrics()
        view.compare.group_id = group_id
        view._update_buttons()
