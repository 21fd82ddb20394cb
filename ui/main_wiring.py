"""Who tells whom in the main window: one table of signal -> slot, read top to bottom."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from ui.playground.session import Session


def wire(w: MainWindow, session: Session) -> None:
    """Connect the parts ``attach`` built; a signal's slots run in the order listed."""
    assert w.runs is not None
    history, compare, runs, menu = w.history, w.compare, w.runs, w.menu
    compare_session = w.compare_session

    def rerun(row) -> None:
        w.reopen_call(row)
        w.run()

    table = (
        # History reopens and re-runs calls, and hides blind comparisons until the vote
        (compare_session.blind.changed, history.model_.remask),
        (history.reopenRequested, w.reopen_call),
        (history.rerunRequested, rerun),
        (history.conversationRequested, runs.files.open_from_history),
        # the Playground run
        (runs.stateChanged, w._update_actions),
        (runs.recorded, w._history_changed),
        (w.output.linkActivated, w._link),
        # Compare follows the shared prompt and parameters
        (w.editor.changed, compare.schedule_forecast),
        (w.params.changed, compare.schedule_forecast),
        (compare.restorePrompt, w._restore_prompt),
        (compare.codeRequested, menu.view_column_code),
        (compare.editPromptRequested, lambda: w.show_mode("Playground")),
        # Plan this prompt / these models / these calls
        (menu.planRequested, w.show_plan),
        (compare.planRequested, w.show_plan),
        (history.planRequested, w.show_plan),
        (compare_session.started, lambda *_: w._update_actions()),
        (compare_session.finished, w._update_actions),
        # the core
        (session.coreReady, w._core_ready),
        (session.modelsChanged, w._models_changed),
        (session.notice, w._notice),
        (session.unavailable, w._unavailable),
        (session.localServersFound, w._local_servers),
        (session.imported, w._imported),
        (compare_session.finished, session.refresh_budget),
    )
    for signal, slot in table:
        signal.connect(slot)
