"""The plan's words: the savings moves with their dollars a month, and the models that do not fit with
the reason, each a plain list read from the plan's JSON dict."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtWidgets import QListWidget, QListWidgetItem

from playground.plan.export import move_line


class LinesList(QListWidget):
    """A read-only list of wrapped lines; ``empty`` stands in when there are none."""

    def __init__(self, name: str, empty: str, parent=None):
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.empty = empty

    def set_lines(self, lines: Sequence[str]) -> None:
        self.clear()
        for line in lines or [self.empty]:
            item = QListWidgetItem(line)
            item.setToolTip(line)
            self.addItem(item)

    def lines(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]


def move_lines(data: Mapping[str, Any]) -> list[str]:
    return [move_line(mv) for mv in data["moves"]]


def unfit_lines(data: Mapping[str, Any]) -> list[str]:
    return [f"{u['model']}: {u['reason']}" for u in data["unfit"]]
