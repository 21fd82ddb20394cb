"""A known history for the totals, search and what-if tests: calls written through the store itself."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from playground.history.calls import CallEnd, CallStart
from playground.llm.request import Request

WORDS = ("walrus", "otter", "budget", "poem", "sql", "rust")
MODELS = (("openai", "gpt-4o"), ("openai", "gpt-4o-mini"), ("anthropic", "claude-haiku-4-5"), ("e", "m"))


def fill(core, calls: int = 120, seed: int = 3, start: datetime | None = None) -> None:
    """``calls`` calls a few hours apart: some without a price, some still running, some errors."""
    rng = random.Random(seed)
    when = start or datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(calls):
        endpoint, model = MODELS[i % len(MODELS)]
        prompt = " ".join(rng.choices(WORDS, k=3))
        call = core.history.start_call(
            CallStart(Request.single(endpoint, model, prompt), "openai", None, {}, started_at=when)
        )
        when += timedelta(hours=rng.randint(1, 9))
        if i % 17 == 5:
            continue  # still running: no usage, no cost
        priced = model != "m"
        tin, tout = rng.randint(10, 5000), rng.randint(1, 900)
        cost = (Decimal(tin) * 3 + Decimal(tout) * 11) / Decimal(10**6) if priced else None
        status = "error" if i % 13 == 7 else "ok"
        core.history.finish_call(
            call,
            CallEnd(status, output=f"answer {i}", input_tokens=tin, output_tokens=tout, cost_usd=cost),
        )
