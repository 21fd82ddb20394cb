"""Which library version a selected call ran ("From prompt NAME vN"), looked up in the background."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playground.history.records import CallRecord
from ui.common.background import Background, Latest


class PromptLinks:
    def __init__(self, background: Background | None):
        self._latest = Latest(background) if background is not None else None

    def link_of(self, core: Any, row: CallRecord, done: Callable[[CallRecord, str], None]) -> None:
        """``done(row, words)`` on the GUI thread when ``row`` ran a library version; nothing otherwise."""
        if core is None or self._latest is None or not row.uid:
            return
        uid = row.uid

        def work() -> str:
            from playground.prompts.store import PromptStore

            link = PromptStore(core.storage).link_of(uid)
            return link.label if link is not None else ""

        self._latest.submit(work, lambda words: done(row, words) if words else None)
