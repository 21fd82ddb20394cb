"""The human grades of the run shown: saved and read on the background pool, shown in the grid and
the detail pane. A grade that comes back for another run than the one shown is dropped."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from ui.common.background import Background

if TYPE_CHECKING:
    from playground.eval.grades import HumanGrade
    from ui.eval.detail_pane import DetailPane
    from ui.eval.grid import EvalGrid


class Grading(QObject):
    shown = Signal()  # the grades were drawn (after a save or a load)

    def __init__(
        self,
        background: Background,
        grid: EvalGrid,
        detail: DetailPane,
        run_id: Callable[[], str | None],
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._background = background
        self._grid, self._detail, self._run_id = grid, detail, run_id
        self._storage: Any = None
        self.grades: dict[tuple[int, int, int], HumanGrade] = {}
        self._answered_anew: set[tuple[int, int, int]] = set()  # since the last load was asked for

    def set_storage(self, storage: Any) -> None:
        self._storage = storage

    def clear(self) -> None:
        self.grades = {}

    def save(self, given: HumanGrade) -> None:
        run_id = self._run_id()
        if self._storage is None or run_id is None:
            self._detail.saved.setText("run the suite before grading")
            return
        from dataclasses import replace

        from playground.eval.grades import GradeStore

        store, grade = GradeStore(self._storage), replace(given, run_id=run_id)
        self._background.submit(lambda: store.save(grade), self._saved, self._save_failed)

    def answered_anew(self, keys: list[tuple[int, int, int]]) -> None:
        """These cells got new answers (Re-run failed): a grade judged the old answer and goes, as
        the store drops it when it saves the new one (also from a load read before that)."""
        self._answered_anew.update(keys)
        if any(key in self.grades for key in keys):
            for key in keys:
                self.grades.pop(key, None)
            self._show()

    def load(self, run_id: str) -> None:
        if self._storage is None:
            return
        self._answered_anew = set()
        from playground.eval.grades import GradeStore

        store = GradeStore(self._storage)

        def loaded(grades: list[HumanGrade]) -> None:
            if run_id == self._run_id():
                self.grades = {g.key: g for g in grades if g.key not in self._answered_anew}
                self._show()

        self._background.submit(lambda: store.grades(run_id), loaded)

    def _saved(self, grade: HumanGrade) -> None:
        if grade.run_id != self._run_id():
            return
        self.grades[grade.key] = grade
        self._show()

    def _save_failed(self, exc: BaseException) -> None:
        self._detail.saved.setText(f"not saved: {exc}")

    def _show(self) -> None:
        self._grid.set_grades(list(self.grades.values()))
        self._detail.set_grades(self.grades)
        self.shown.emit()
