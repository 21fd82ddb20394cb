"""The files of the Evaluate mode: the dialogs that pick a suite, a cases file or an export path, and
reading and checking a suite (off the GUI thread: they read files and compile checks)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QWidget

if TYPE_CHECKING:
    from playground.eval.suite import Suite

SUITE_FILES = "Suites (*.toml *.json *.yaml *.yml)"
RESULT_FILES = "HTML report (*.html);;CSV (*.csv);;JSON (*.json)"


def ask_export(parent: QWidget) -> Path | None:
    path, chosen = QFileDialog.getSaveFileName(parent, "Export results", "evaluation.html", RESULT_FILES)
    if not path:
        return None
    out = Path(path)
    if out.suffix.lower() not in (".html", ".htm", ".csv", ".json"):
        out = out.with_suffix("." + chosen.split("*.")[-1].rstrip(")"))
    return out


def ask_suite(parent: QWidget) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Open suite", "", SUITE_FILES)
    return Path(path) if path else None


def ask_cases_file(parent: QWidget) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Import cases", "", "Cases (*.csv *.jsonl)")
    return Path(path) if path else None


def suite_problems(suite: Suite, endpoints: set[str]) -> list[str]:
    """Everything that keeps ``suite`` from running, all at once: its checks and variables, and each
    endpoint it names that Settings does not have (off the GUI thread: checks compile there). A suite
    with a bad check once listed only the check; its unknown endpoint was found at run time."""
    from playground.eval.suite import SuiteError, prepare

    try:
        prepare(suite)
        problems = []
    except SuiteError as exc:
        problems = list(exc.problems)
    used = {t.endpoint for t in suite.targets} | ({suite.grader.endpoint} if suite.grader else set())
    return problems + [f"no endpoint named {name!r}: add it in Settings" for name in sorted(used - endpoints)]


def read_suite(path: Path, endpoints: set[str]) -> tuple[Suite | None, list[str]]:
    """The suite and every problem that keeps it from running (off the GUI thread: reads files)."""
    from playground.eval.suite import SuiteError, load

    try:
        loaded = load(path)
    except SuiteError as exc:
        return None, exc.problems
    problems = suite_problems(loaded.suite, endpoints)
    problems += [f"not supported: {line}" for line in loaded.unsupported]
    return (None if problems else loaded.suite), problems
