"""What the app has done by the time a user opens History or Spend, done the same way in the GUI
benches, so they measure the click and not a cold start the app never shows there."""

from __future__ import annotations

from typing import Any


def load_prices(core: Any) -> None:
    """The Playground's first estimate prices the model on screen at start. Cold in a bench, the price
    data's import on the pool held up the first search keystroke's slots for 150-200 ms and fought
    Spend's next open."""
    import playground.spend.cache_totals  # noqa: F401  (what the cache line and card import)
    from playground.llm.usage import Usage

    core.pricer.price(core.config.endpoint("openai"), "gpt-4o-mini", Usage(10, 10))
