"""The tool loop of a comparison: which conversations (column × repeat) stopped to call tools, the
mocked results the user typed once per tool, and the next round for exactly those conversations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog

from playground.compare.tool_round import called_tools, next_turns, wants_results
from playground.llm.errors import PlaygroundError
from playground.llm.request import Message
from ui.compare.session import PromptSnapshot

if TYPE_CHECKING:
    from ui.compare.view import CompareView


class ToolLoop(QObject):
    def __init__(self, view: CompareView):
        super().__init__(view)
        self._view = view
        self._prompt: PromptSnapshot | None = None  # the round-one prompt: later rounds keep it
        self._turns: dict[tuple[int, int], tuple[Message, ...]] = {}
        self.mocks: dict[str, str] = {}  # the last result typed per tool: the next dialog's text

    def started(self, prompt: PromptSnapshot, columns: int, repeats: int) -> None:
        self._prompt = prompt
        self._turns = {(c, r): tuple(prompt.messages) for c in range(columns) for r in range(repeats)}

    def clear(self) -> None:
        """The columns changed: a conversation's index no longer names its column."""
        self._prompt = None
        self._turns = {}

    def pending(self) -> list[tuple[int, int]]:
        """The conversations whose last answer called tools and waits for their results."""
        results = self._view.compare.results
        return [
            (c, r)
            for (c, r) in self._turns
            if c < len(results) and r < len(results[c]) and wants_results(results[c][r])
        ]

    def send(self) -> None:
        """Ask for one result per tool called, then run the next round of every waiting conversation."""
        view = self._view
        waiting = self.pending()
        if not waiting or view.compare.running or self._prompt is None:
            return
        from ui.compare.mock_dialog import MockResultsDialog

        results = view.compare.results
        dialog = MockResultsDialog(called_tools([results[c][r] for c, r in waiting]), self.mocks, view)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.mocks.update(dialog.mocks())
        turns: dict[tuple[int, int], tuple[Message, ...]] = {}
        try:
            for column, repeat in waiting:
                result = results[column][repeat]
                assert result is not None  # pending() picked answers that called tools
                turns[column, repeat] = next_turns(self._turns[column, repeat], result, self.mocks)
        except PlaygroundError as exc:
            view.summary.setText(str(exc))
            return
        self._turns.update(turns)
        for column, repeat in turns:
            view.columns[column].next_round(repeat)
        if view.compare.continue_with(view.specs(), self._prompt, turns):
            view.summary.setText("Running the next round…")
            view.metrics.set_visible(False)
