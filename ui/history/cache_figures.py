"""History's prompt-caching figures: the "uses cache" filter, the cached tokens and savings of the calls
the filters show (one read and a pricing pass in the background), and one call's savings for its detail.

Savings price each call as used and as if nothing had been cached (playground.spend.cache_totals);
the totals use today's prices, one call its own date."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QWidget

from playground.history.filters import Filters
from ui.common.background import Background, Latest

if TYPE_CHECKING:
    from playground.history.records import CallRecord
    from playground.spend.cache_totals import CacheTotals


def cache_filter() -> QCheckBox:
    box = QCheckBox("Uses &cache")
    box.setAccessibleName("Only calls that used the prompt cache")
    box.setToolTip("Only calls that read from or wrote to the provider's prompt cache")
    return box


def uses_cache(row: CallRecord) -> bool:
    return bool(row.cache_read_tokens or row.cache_write_tokens)


class CacheTotalsLine(QLabel):
    """'5 calls used the cache · 10,548 read · 6,000 written · saved $0.00285'; hidden when none did."""

    def __init__(self, background: Background | None, parent: QWidget | None = None):
        super().__init__(parent)
        self._latest = Latest(background) if background is not None else None
        self._background = background
        self._detail = Latest(background) if background is not None else None
        self.totals: CacheTotals | None = None
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAccessibleName("Prompt cache totals of the calls shown")
        self.setToolTip(
            "Cached tokens of every call the filters pick, and what caching saved against the same calls "
            "with every cached token priced as plain input (today's prices)"
        )
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_for(self, core: Any, filters: Filters) -> None:
        if core is None or self._latest is None:
            self.hide()
            return

        def work() -> CacheTotals:
            from playground.spend.cache_totals import totals

            return totals(core.history, filters, core.pricer, core.config.endpoint)

        self._latest.submit(work, self._show, self._failed)

    def _show(self, totals: CacheTotals) -> None:
        self.totals = totals
        self.setText(totals.text())
        self.setVisible(totals.calls > 0)

    def _failed(self, exc: BaseException) -> None:
        self.totals = None
        self.setText(f"Cache totals unavailable: {exc}")
        self.show()

    def savings_of(self, core: Any, row: CallRecord, done: Any) -> None:
        """One call's savings (``done(row, words)`` on the GUI thread), priced in the background."""
        if core is None or self._detail is None or not uses_cache(row):
            return

        def work() -> str:
            from playground.spend.cache_totals import call_savings

            return call_savings(row, core.pricer, core.config.endpoint).words()

        self._detail.submit(work, lambda words: done(row, words))
