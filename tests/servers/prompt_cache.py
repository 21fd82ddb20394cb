"""The test servers' prompt cache, from the providers' documentation (one token = one word here).

Anthropic: each ``cache_control`` block ends a cacheable prefix (tools, then system, then messages).
A request reads the longest marked prefix already cached within its lifetime (and refreshes it), and
writes the marked prefixes after it, each segment at its breakpoint's lifetime; a prefix shorter than
the model's minimum is silently not cached; more than 4 breakpoints is a 400.
OpenAI: automatic; a prompt of 1024 tokens or more reads the longest prefix it shares with a prompt
seen in the last 5 minutes, counted from 1024 in steps of 128 (``prompt_tokens_details.cached_tokens``).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from tests.servers.base import Script

TTL_SECONDS = {"5m": 300.0, "1h": 3600.0}
ANTHROPIC_MINIMUM = {"claude-haiku-4-5": 4096, "claude-sonnet-4-6": 2048, "claude-3-5-haiku": 2048}
DEFAULT_MINIMUM = 1024
OPENAI_MINIMUM = 1024
OPENAI_STEP = 128
OPENAI_TTL = 300.0


class TooManyBreakpoints(ValueError):
    pass


class PromptCache:
    """Both APIs' caches for one server; ``clock`` is replaceable so tests can let a lifetime pass."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self._lock = threading.Lock()
        self._anthropic: dict[str, float] = {}  # prefix key -> expiry
        self._openai: dict[tuple[str, ...], float] = {}  # prompt words -> expiry

    def anthropic(self, body: dict[str, Any], script: Script) -> Script:
        """``script`` with the cache tokens this request reads and writes (scripted figures win)."""
        if script.cached_tokens or script.cache_write_tokens:
            return script
        blocks = _anthropic_blocks(body)
        marks = [i for i, (_, _, ttl) in enumerate(blocks) if ttl]
        if len(marks) > 4:
            raise TooManyBreakpoints(
                f"A maximum of 4 blocks with cache_control may be provided. Found {len(marks)}."
            )
        minimum = ANTHROPIC_MINIMUM.get(str(body.get("model")), DEFAULT_MINIMUM)
        prefixes = []  # (key, tokens, ttl) of each marked prefix long enough to cache
        for i in marks:
            tokens = sum(n for _, n, _ in blocks[: i + 1])
            if tokens >= minimum:
                key = json.dumps([k for k, _, _ in blocks[: i + 1]])
                prefixes.append((key, tokens, str(blocks[i][2])))
        now = self.clock()
        with self._lock:
            hit = max(
                (p for p in range(len(prefixes)) if self._anthropic.get(prefixes[p][0], 0.0) > now),
                default=-1,
            )
            read = prefixes[hit][1] if hit >= 0 else 0
            if hit >= 0:
                self._anthropic[prefixes[hit][0]] = now + TTL_SECONDS[prefixes[hit][2]]
            written, one_hour, before = 0, 0, read
            for key, tokens, ttl in prefixes[hit + 1 :]:
                self._anthropic[key] = now + TTL_SECONDS[ttl]
                written += tokens - before
                one_hour += tokens - before if ttl == "1h" else 0
                before = tokens
        return replace(script, cached_tokens=read, cache_write_tokens=written, cache_write_1h_tokens=one_hour)

    def openai(self, body: dict[str, Any], script: Script) -> Script:
        """``script`` with the cached tokens of this prompt's longest recently seen prefix."""
        if script.cached_tokens:
            return script
        words = tuple(" ".join(str(m.get("content", "")) for m in body.get("messages", [])).split())
        now = self.clock()
        with self._lock:
            seen = [w for w, expiry in self._openai.items() if expiry > now]
            common = max((_common(words, w) for w in seen), default=0)
            self._openai[words] = now + OPENAI_TTL
        if common < OPENAI_MINIMUM or len(words) < OPENAI_MINIMUM:
            return script
        return replace(
            script, cached_tokens=OPENAI_MINIMUM + (common - OPENAI_MINIMUM) // OPENAI_STEP * OPENAI_STEP
        )


def _anthropic_blocks(body: dict[str, Any]) -> list[tuple[Any, int, str]]:
    """The prompt in cache order as (block without cache_control, tokens, ttl or "")."""
    out = []
    for tool in body.get("tools") or []:
        out.append(_block(tool, len(json.dumps(_bare(tool)).split())))
    system = body.get("system") or []
    for block in [{"type": "text", "text": system}] if isinstance(system, str) else system:
        out.append(_block(block, len(str(block.get("text", "")).split())))
    for message in body.get("messages", []):
        content = message.get("content")
        for block in [{"type": "text", "text": content}] if isinstance(content, str) else content or []:
            out.append(
                _block({"role": message.get("role"), **block}, len(str(block.get("text", "")).split()))
            )
    return out


def _block(block: dict[str, Any], tokens: int) -> tuple[Any, int, str]:
    control = block.get("cache_control")
    ttl = str(control.get("ttl", "5m")) if isinstance(control, dict) else ""
    return _bare(block), tokens, ttl


def _bare(block: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in block.items() if k != "cache_control"}


def _common(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
