"""The Prompt caching section of the parameter panel: cache breakpoints on the system prompt, the tools
and the conversation up to a message, each for 5 minutes or 1 hour (Anthropic); on OpenAI it says
caching is automatic. Every control is a checkable action reachable with Tab and Space."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from playground.llm.caching import (
    AUTOMATIC,
    MAX_BREAKPOINTS,
    PARAM,
    SYSTEM,
    TOOLS,
    CacheBreakpoint,
    Ttl,
    breakpoints_of,
)

LIFETIMES = (("5 min", Ttl.MINUTES_5), ("1 hour", Ttl.HOUR_1))
MESSAGES = "messages"

__all__ = ["PARAM", "CacheEditor"]


class _Mark:
    """One place to mark: a checkbox and its lifetime."""

    def __init__(self, text: str, name: str, tip: str):
        self.check = QCheckBox(text)
        self.check.setAccessibleName(f"Cache {name}")
        self.check.setToolTip(tip)
        self.ttl = QComboBox()
        self.ttl.setAccessibleName(f"Cache lifetime for {name}")
        self.ttl.setToolTip("How long the cache entry lives: 5 minutes, or 1 hour (written at a higher rate)")
        for label, ttl in LIFETIMES:
            self.ttl.addItem(label, str(ttl))
        self.ttl.setEnabled(False)
        self.check.toggled.connect(self.ttl.setEnabled)

    def lifetime(self) -> Ttl:
        return Ttl(self.ttl.currentData() or Ttl.MINUTES_5)

    def show(self, breakpoint: CacheBreakpoint | None) -> None:
        self.check.setChecked(breakpoint is not None)
        self.ttl.setCurrentIndex(self.ttl.findData(str(breakpoint.ttl)) if breakpoint else 0)


class CacheEditor(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.system = _Mark("&System prompt", "the system prompt", "Cache the tools and the system prompt")
        self.tools = _Mark(
            "T&ools", "the tools", "Cache the tool definitions (the last tool carries the mark)"
        )
        self.messages = _Mark(
            "&Messages up to", "the messages", "Cache the prompt up to and including this message"
        )
        self.message = QSpinBox()
        self.message.setRange(1, 999)
        self.message.setPrefix("#")
        self.message.setAccessibleName("Cache up to message number")
        self.message.setToolTip("The message (counted from 1) the cache mark goes on")
        self.message.setEnabled(False)
        self.messages.check.toggled.connect(self.message.setEnabled)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Prompt caching status")
        self._api = "anthropic"
        self._extra: list[CacheBreakpoint] = []  # marks on other messages (a reopened call): kept as they are

        grid = QGridLayout()
        grid.addWidget(self.tools.check, 0, 0)
        grid.addWidget(self.tools.ttl, 0, 2)
        grid.addWidget(self.system.check, 1, 0)
        grid.addWidget(self.system.ttl, 1, 2)
        grid.addWidget(self.messages.check, 2, 0)
        grid.addWidget(self.message, 2, 1)
        grid.addWidget(self.messages.ttl, 2, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(QLabel("<b>Prompt caching</b>"))
        layout.addLayout(grid)
        layout.addWidget(self.note)
        for mark in self._marks():
            mark.check.toggled.connect(self._changed)
            mark.ttl.currentIndexChanged.connect(self._changed)
        self.message.valueChanged.connect(self._changed)
        self._refresh()

    def _marks(self) -> tuple[_Mark, _Mark, _Mark]:
        return (self.tools, self.system, self.messages)

    def set_api(self, api: str) -> None:
        """Anthropic takes marks; OpenAI caches by itself (the controls are off and say so)."""
        self._api = api
        self._refresh()

    def value(self) -> list[dict[str, Any]] | None:
        """The ``cache`` parameter, or None when nothing is marked (or the API caches by itself)."""
        if self._api != "anthropic":
            return None
        points = [b for b in self._breakpoints()]
        return [b.to_dict() for b in sorted(points, key=lambda b: b.order)] or None

    def _breakpoints(self) -> list[CacheBreakpoint]:
        points = list(self._extra)
        for mark, where in ((self.tools, TOOLS), (self.system, SYSTEM)):
            if mark.check.isChecked():
                points.append(CacheBreakpoint(where, mark.lifetime()))
        if self.messages.check.isChecked():
            index = self.message.value() - 1
            points = [p for p in points if p.where != index]
            points.append(CacheBreakpoint(index, self.messages.lifetime()))
        return points

    def set_value(self, value: Any) -> None:
        """Show a recorded ``cache`` parameter (a re-run, a reopened conversation)."""
        try:
            points = breakpoints_of({PARAM: value}) if value else ()
        except Exception:  # a value this version cannot read: nothing marked, nothing lost from the row
            points = ()
        by_place = {p.where: p for p in points}
        for mark in self._marks():
            mark.check.blockSignals(True)
        self.tools.show(by_place.get(TOOLS))
        self.system.show(by_place.get(SYSTEM))
        messages = [p for p in points if isinstance(p.where, int)]
        last = messages[-1] if messages else None
        self.messages.show(last)
        if last is not None:
            self.message.setValue(int(last.where) + 1)
        self._extra = messages[:-1]
        for mark in self._marks():
            mark.check.blockSignals(False)
        self.message.setEnabled(self.messages.check.isChecked())
        self._refresh()

    def _changed(self) -> None:
        self._refresh()
        self.changed.emit()

    def _refresh(self) -> None:
        anthropic = self._api == "anthropic"
        for mark in self._marks():
            mark.check.setEnabled(anthropic)
            mark.ttl.setEnabled(anthropic and mark.check.isChecked())
        self.message.setEnabled(anthropic and self.messages.check.isChecked())
        if not anthropic:
            self.note.setText(AUTOMATIC)
            return
        count = len(self._breakpoints())
        over = f" Anthropic takes at most {MAX_BREAKPOINTS}." if count > MAX_BREAKPOINTS else ""
        self.note.setText(
            f"{count} of {MAX_BREAKPOINTS} cache marks.{over}" if count else "Nothing marked for caching."
        )
