"""The counters' cache warnings: a breakpoint whose prefix is below the model's minimum is not cached.

Counted with our tokenizer (an estimate for Claude: Anthropic publishes no tokenizer), tools first, then
the system prompt, then the messages up to the marked one: the order Anthropic caches in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from playground.llm.caching import prefix_checks
from playground.llm.errors import PlaygroundError
from playground.llm.request import Request
from playground.llm.tools import overhead, toolset_of
from playground.tokens.counter import TokenCounter


def cache_warnings(request: Request, api: str, counter: TokenCounter) -> tuple[str, ...]:
    """One line per breakpoint that will not cache (too short, or nothing there); none when all will."""
    try:
        offered = toolset_of(request.params)
        tool_tokens = 0
        if offered is not None:
            tool_tokens = overhead(
                offered, api, request.model, lambda text: counter.count_text(request.model, text).tokens
            ).tokens

        def count(system: str, messages: Sequence[Any]) -> int:
            return counter.count_prompt(request.model, system, messages).tokens

        checks = prefix_checks(request, api, count, tool_tokens)
    except PlaygroundError as exc:
        return (str(exc),)  # the run refuses it with the same reason
    return tuple(w for w in (c.warning() for c in checks) if w)
