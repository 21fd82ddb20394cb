"""Save suite…: the suite as its cases were edited in place, written as a JSON suite file on the
background pool (``playground.eval.suite_file``; JSON because TOML cannot be written with the stdlib)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QWidget

if TYPE_CHECKING:
    from playground.eval.suite import Suite
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
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        said(f"Could not save the suite to {path}: {reason}")

    background.submit(work, said, failed)
