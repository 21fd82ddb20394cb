"""Which comparisons are blind and not yet voted on: the History table consults it to mask their calls."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from playground.compare.blind import masked
from playground.history.records import CallRecord


class BlindCalls(QObject):
    """The group ids of blind comparisons still waiting for a vote (kept in memory: a comparison left
    without a vote shows normally after a restart)."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._groups: set[str] = set()

    def hide(self, group_id: str) -> None:
        self._groups.add(group_id)
        self.changed.emit()

    def reveal(self, group_id: str | None) -> None:
        if group_id in self._groups:
            self._groups.discard(group_id)
            self.changed.emit()

    def hides(self, group_id: str | None) -> bool:
        return group_id in self._groups

    def mask(self, row: CallRecord) -> CallRecord:
        return masked(row) if row.group_id in self._groups else row
