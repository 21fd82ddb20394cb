"""Noon calls for the Spend figures computed by hand (weeks, percentiles, speed)."""

from datetime import UTC, datetime

from playground.history.calls import CallEnd, CallStart, HistoryStore
from playground.llm.request import Request


def write(history: HistoryStore, day: str, model: str, status: str = "ok", **end) -> None:
    """A call at noon UTC of ``day``: the same local day in any zone within ±11 h."""
    when = datetime.fromisoformat(f"{day}T12:00:00").replace(tzinfo=UTC)
    call = history.start_call(CallStart(Request.single("e", model, "p"), "openai", None, {}, started_at=when))
    history.finish_call(call, CallEnd(status, **end))
