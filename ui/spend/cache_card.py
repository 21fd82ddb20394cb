"""Spend's "Cache savings" card: what prompt caching saved (or cost) on the range's calls.

The rollups keep neither cache writes nor the uncached price, so the calls that used the cache are read
and priced twice on the background pool (playground.spend.cache_totals), after the range is drawn."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QLabel

from playground.history.filters import Filters
from ui.common.background import Background, Latest

if TYPE_CHECKING:
    from playground.spend.cache_totals import CacheTotals

TITLE = "Cache savings"
TIP = (
    "What prompt caching saved on the calls of this range against the same calls with every cached "
    "token priced as plain input (today's prices); negative when cache writes cost more than reads saved"
)


def card_text(totals: CacheTotals) -> str:
    """'saved $0.0067', 'cost extra $0.01', with '+ 1 unpriced' when some calls have no price."""
    from playground.formatting import usd

    saved = totals.saved
    if not totals.calls:
        return "no cache use"
    if saved.unpriced and not saved.priced:
        return "unknown (no price)"
    word = "saved" if saved.priced >= 0 else "cost extra"
    return f"{word} {usd(abs(saved.priced))}" + (f" + {saved.unpriced} unpriced" if saved.unpriced else "")


class CacheCard:
    """Fills ``label`` for the range a snapshot shows; a newer range's answer replaces an older one."""

    def __init__(self, label: QLabel, background: Background):
        self.label = label
        self.label.setToolTip(TIP)
        self.totals: CacheTotals | None = None
        self._latest = Latest(background)

    def show_for(self, core: Any, since: Any, until: Any, models: list[str] | None) -> None:
        if core is None:
            return
        filters = Filters(
            since=since.isoformat() if since else None,
            until=until.isoformat() if until else None,
            model=models[0] if models and len(models) == 1 else None,
            zone=core.general.zone_name(),
        )

        def work() -> CacheTotals:
            from playground.spend.cache_totals import totals

            return totals(core.history, filters, core.pricer, core.config.endpoint)

        self._latest.submit(work, self._show, self._failed)

    def _show(self, totals: CacheTotals) -> None:
        self.totals = totals
        self.label.setText(card_text(totals))
        self.label.setToolTip(f"{TIP}\n\n{totals.text()}")

    def _failed(self, exc: BaseException) -> None:
        self.totals = None
        self.label.setText("unavailable")
        self.label.setToolTip(f"{TIP}\n\nNot read: {exc}")
