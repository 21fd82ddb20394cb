"""The Evaluate page's writes, on the background pool: Save suite… (the suite as its cases were edited
in place, a JSON suite file: ``playground.eval.suite_file``; JSON because TOML cannot be written with
the stdlib) and Export (the last run's results, answers read from History)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QWidget

if TYPE_CHECKING:
    from playground.eval.grades import HumanGrade
    from playground.eval.runner import RunOutcome
    from playground.eval.suite import Suite
    from playground.history.calls import HistoryStore
    from ui.common.background import Background


def ask_save_path(parent: QWidget, name: str) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, "Save suite", f"{name}.json", "Suite (*.json)")
    if not path:
        return None
    out = Path(path)
    return out if out.suffix.lower() == ".json" else out.with_name(out.name + ".json")


def save_suite(background: Background, suite: Suite, path: Path, said: Callable[[str], None]) -> None:
    """Write ``suite`` to ``path``; ``said`` gets one line either way (a failed save keeps the old file)."""

    def work() -> str:
        from playground.eval.suite_file import save

        save(path, suite)
        return f"Saved {suite.name} ({len(suite.cases)} cases) to {path}"

    def failed(exc: BaseException) -> None:
        from playground.files import why_not_written

        said(f"Could not save the suite to {path}: {why_not_written(exc)}")

    background.submit(work, said, failed)


def answers(history: HistoryStore, call_ids: list[int]) -> dict[int, str]:
    """Each call's answer text from History (off the GUI thread)."""
    out = {}
    for call_id in call_ids:
        record = history.get(call_id)
        if record is not None:
            out[call_id] = record.output or ""
    return out


def export_results(
    background: Background,
    history: HistoryStore,
    outcome: RunOutcome,
    grades: list[HumanGrade],
    path: Path,
    said: Callable[[str], None],
) -> None:
    """Write a run's results to ``path`` (its format from the suffix); ``said`` gets one line."""
    from playground.eval.export import Results, write

    ids = [c.call_id for c in outcome.cells if c.call_id is not None]

    def work() -> str:
        write(path, Results(outcome, grades, answers(history, ids)))
        return f"Exported {len(outcome.cells)} cells to {path}"

    def failed(exc: BaseException) -> None:
        from playground.files import why_not_written

        said(f"Could not export to {path}: {why_not_written(exc)}")

    background.submit(work, said, failed)
