"""Plan seeds for the Plan page, built on the background pool: the planner's modules load there (about
a tenth of a second of imports), and a History seed reads the calls there."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any


def request_seed(
    background: Any,
    build: Callable[[ModuleType], Any],
    on_seed: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
) -> None:
    """``build(playground.plan.sources)`` off the GUI thread; its PlanSeed (or error) comes back on it."""

    def work() -> Any:
        from playground.plan import sources

        return build(sources)

    background.submit(work, on_seed, on_error)
