"""The line under the history table: what the calls the filters show add up to.

One SQL query per filter change, in the background; a newer filter's answer replaces an older one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from playground.history.filters import Filters
from ui.common.background import Background, Latest

if TYPE_CHECKING:  # the calls module loads sqlite-utils: not at start-up
    from playground.history.calls import HistoryStore, Totals


def totals_text(totals: Totals) -> str:
    """'1,204 calls · 3.1M in → 880k out tokens · at least $4.20 · 3 calls unpriced · 1 running (not
    costed yet)'."""
    calls = "call" if totals.calls == 1 else "calls"
    text = (
        f"{totals.calls:,} {calls} · {totals.input_tokens:,} in → {totals.output_tokens:,} out tokens · "
        f"{totals.cost.text()}"
    )
    return f"{text} · {totals.running:,} running (not costed yet)" if totals.running else text


class TotalsLine(QLabel):
    def __init__(self, background: Background | None, parent: QWidget | None = None):
        super().__init__(parent)
        self._latest = Latest(background) if background is not None else None
        self.totals: Totals | None = None  # the last shown
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAccessibleName("Totals of the calls shown")
        self.setToolTip("Every call the filters pick, not only the rows loaded so far")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def show_for(self, store: HistoryStore | None, filters: Filters) -> None:
        if store is None or self._latest is None:
            self.clear()
            return
        self.setText(self.text() or "Adding up…")
        self._latest.submit(lambda: store.totals(filters), self._show, self._failed)

    def _show(self, totals: Totals) -> None:
        self.totals = totals
        self.setText(totals_text(totals))

    def _failed(self, exc: BaseException) -> None:
        self.totals = None
        self.setText(f"Totals unavailable: {exc}")
