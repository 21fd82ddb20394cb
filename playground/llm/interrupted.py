"""Prices calls a killed process left behind: the history marks them, this estimates what they cost.

The history's constructor only marks the rows (it knows nothing of tokenizers or prices); the
composition root hands the marked ids here once the pricer and counter exist. It runs where the core
is built: the CLI's main thread or the app's loader thread, never the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from playground.history.calls import HistoryStore
from playground.history.config_store import ConfigStore
from playground.llm.endpoints import Endpoint
from playground.llm.errors import PlaygroundError
from playground.llm.settle import price_saved_row
from playground.pricing.prices import Pricer
from playground.tokens.counter import TokenCounter

log = logging.getLogger(__name__)


def price_interrupted(
    ids: Iterable[int], history: HistoryStore, config: ConfigStore, counter: TokenCounter, pricer: Pricer
) -> list[int]:
    """Estimate tokens and cost of each interrupted row whose text was saved; the ids priced.
    A row whose endpoint is gone, or that fails to price, keeps its unknown cost (logged)."""
    priced: list[int] = []
    for call_id in ids:
        row = history.get(call_id)
        if row is None or not (row.output or row.reasoning):
            continue  # nothing arrived: nothing to estimate from
        try:
            endpoint = _endpoint(config, row.endpoint)
            history.price_interrupted(call_id, price_saved_row(row, endpoint, counter, pricer))
        except (PlaygroundError, LookupError, ValueError) as exc:
            log.warning("interrupted call %s left unpriced: %s", call_id, exc)
            continue
        priced.append(call_id)
    return priced


def _endpoint(config: ConfigStore, name: str) -> Endpoint | None:
    """The named endpoint, or None for an ad-hoc one (``--base-url``) that was never saved."""
    try:
        return config.endpoint(name)
    except PlaygroundError:
        return None
