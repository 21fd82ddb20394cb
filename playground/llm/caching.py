"""Prompt caching: the breakpoints a request marks, how Anthropic is asked, and each model's minimum.

The breakpoints travel in a request's parameters under ``cache`` (a list of plain dicts), like the
structured-output spec and the tools, so the history row, a re-run and View code keep them.

How each API caches (the providers' documentation):
- Anthropic Messages: a ``cache_control: {"type": "ephemeral", "ttl": "5m" | "1h"}`` on a tool (the last
  one caches all tools), a system block (the system prompt becomes a list of text blocks) or a message
  content block; at most 4 per request; the prompt is cached in the order tools, system, messages, and
  one-hour entries must come before five-minute ones. A prefix shorter than the model's minimum is
  silently not cached. Usage reports ``cache_creation_input_tokens`` (split in ``cache_creation`` into
  ``ephemeral_5m_input_tokens``/``ephemeral_1h_input_tokens``) and ``cache_read_input_tokens``.
  https://docs.claude.com/en/docs/build-with-claude/prompt-caching
- OpenAI: automatic for prompts of 1024 tokens or more, in steps of 128; the cached part is reported
  as ``usage.prompt_tokens_details.cached_tokens``. Nothing to mark.
  https://platform.openai.com/docs/guides/prompt-caching
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from playground.llm.errors import ErrorKind, PlaygroundError

if TYPE_CHECKING:
    from playground.llm.request import Request

PARAM = "cache"  # the key of the breakpoints in a request's parameters
MAX_BREAKPOINTS = 4
SYSTEM = "system"
TOOLS = "tools"
OPENAI_MINIMUM = 1024
AUTOMATIC = (
    "OpenAI caches automatically: a prompt of 1024 tokens or more reuses the longest prefix it saw in "
    "the last minutes (reported as cached tokens); there is nothing to mark."
)


class Ttl(StrEnum):
    MINUTES_5 = "5m"
    HOUR_1 = "1h"


@dataclass(frozen=True)
class CacheBreakpoint:
    """Cache the prompt up to and including ``where``: "system", "tools" or a message index."""

    where: str | int
    ttl: Ttl = Ttl.MINUTES_5

    def to_dict(self) -> dict[str, Any]:
        return {"where": self.where, "ttl": str(self.ttl)}

    @property
    def order(self) -> tuple[int, int]:
        """Its place in the prompt as Anthropic caches it: tools, then system, then messages."""
        if self.where == TOOLS:
            return (0, 0)
        if self.where == SYSTEM:
            return (1, 0)
        return (2, int(self.where))

    @property
    def label(self) -> str:
        place = self.where if isinstance(self.where, str) else f"message {int(self.where) + 1}"
        return f"{place} ({self.ttl})"

    @classmethod
    def from_value(cls, value: Any) -> CacheBreakpoint:
        if isinstance(value, CacheBreakpoint):
            return value
        if not isinstance(value, Mapping):
            raise _invalid(f"A cache breakpoint must be an object with where and ttl, not {value!r}.")
        where = value.get("where")
        if not (where in (SYSTEM, TOOLS) or (isinstance(where, int) and not isinstance(where, bool))):
            raise _invalid(
                f'A cache breakpoint goes on "system", "tools" or a message number, not {where!r}.'
            )
        if isinstance(where, int) and where < 0:
            raise _invalid(f"A cache breakpoint's message number must be 0 or more, not {where}.")
        try:
            ttl = Ttl(str(value.get("ttl", "5m")))
        except ValueError:
            raise _invalid(f'A cache lifetime is "5m" or "1h", not {value.get("ttl")!r}.') from None
        return cls(where, ttl)


def breakpoints_of(params: Mapping[str, Any]) -> tuple[CacheBreakpoint, ...]:
    """The breakpoints in ``params``, in prompt order (none when caching is not asked for)."""
    raw = params.get(PARAM)
    if not raw:
        return ()
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise _invalid("cache must be a list of breakpoints.")
    return tuple(sorted((CacheBreakpoint.from_value(v) for v in raw), key=lambda b: b.order))


def check(breakpoints: Sequence[CacheBreakpoint], api: str) -> list[dict[str, Any]]:
    """Refuse before sending what the API would refuse; the breakpoints as the parameter value."""
    if not breakpoints:
        return []
    if api != "anthropic":
        raise _invalid(f"Cache breakpoints are Anthropic's. {AUTOMATIC}")
    if len(breakpoints) > MAX_BREAKPOINTS:
        raise _invalid(
            f"Anthropic takes at most {MAX_BREAKPOINTS} cache breakpoints; this request marks "
            f"{len(breakpoints)} ({', '.join(b.label for b in breakpoints)}). Unmark some."
        )
    if len({b.where for b in breakpoints}) < len(breakpoints):
        raise _invalid("A place is marked for caching twice; mark each place once.")
    ordered = sorted(breakpoints, key=lambda b: b.order)
    ttls = [b.ttl for b in ordered]
    if Ttl.HOUR_1 in ttls and Ttl.MINUTES_5 in ttls[: ttls.index(Ttl.HOUR_1)]:
        raise _invalid(
            "A one-hour cache breakpoint must come before every five-minute one "
            "(the prompt is cached in the order tools, system, messages)."
        )
    return [b.to_dict() for b in ordered]


def cache_control(breakpoint: CacheBreakpoint) -> dict[str, str]:
    return {"type": "ephemeral", "ttl": str(breakpoint.ttl)}


def mark_body(body: dict[str, Any], breakpoints: Sequence[CacheBreakpoint]) -> dict[str, Any]:
    """``body`` (an Anthropic Messages body) with ``cache_control`` on each marked block; a breakpoint
    on something the request does not have (no system prompt, a message not there) is left out."""
    for point in breakpoints:
        control = cache_control(point)
        if point.where == TOOLS and body.get("tools"):
            body["tools"] = [*body["tools"][:-1], {**body["tools"][-1], "cache_control": control}]
        elif point.where == SYSTEM and body.get("system"):
            system = body["system"]
            blocks = [{"type": "text", "text": system}] if isinstance(system, str) else list(system)
            body["system"] = [*blocks[:-1], {**blocks[-1], "cache_control": control}]
        elif isinstance(point.where, int) and point.where < len(body.get("messages", [])):
            body["messages"] = list(body["messages"])
            message = body["messages"][point.where]
            content = message["content"]
            blocks = [{"type": "text", "text": content}] if isinstance(content, str) else list(content)
            if blocks:
                blocks[-1] = {**blocks[-1], "cache_control": control}
                body["messages"][point.where] = {**message, "content": blocks}
    return body


@dataclass(frozen=True)
class Minimum:
    tokens: int
    source: str


# Anthropic's minimum cacheable prompt per model family, first match wins, with where the figure comes from.
# https://docs.claude.com/en/docs/build-with-claude/prompt-caching#cache-limitations lists 1,024 for Sonnet
# 4.6, but caching was reported to start only at 2,048 (anthropic-sdk-python#1194, reproducible): we warn
# at the higher figure and say both.
_DOCS = "minimum Anthropic documents for {model}"
_ANTHROPIC_MINIMUMS: tuple[tuple[re.Pattern[str], int, str], ...] = (
    (re.compile(r"claude-(opus-4-[567]|haiku-4-5)", re.I), 4096, _DOCS),
    (
        re.compile(r"claude-sonnet-4-6", re.I),
        2048,
        "minimum seen in practice for {model} (Anthropic documents 1,024; anthropic-sdk-python#1194)",
    ),
    (re.compile(r"claude-3-5-haiku|claude-3-haiku", re.I), 2048, _DOCS),
    (re.compile(r"claude", re.I), 1024, _DOCS),
)


def minimum_tokens(api: str, model: str) -> Minimum | None:
    """The shortest prefix the provider caches for ``model`` (None: no documented figure)."""
    if api != "anthropic":
        return Minimum(OPENAI_MINIMUM, "OpenAI: automatic caching from 1024 tokens")
    for pattern, tokens, source in _ANTHROPIC_MINIMUMS:
        if pattern.search(model):
            return Minimum(tokens, source.format(model=model))
    return None


@dataclass(frozen=True)
class PrefixCheck:
    """The prompt up to one breakpoint, counted with our tokenizer (always an estimate)."""

    breakpoint: CacheBreakpoint
    tokens: int | None  # None: the marked place is not in the request
    minimum: Minimum | None

    @property
    def below(self) -> bool:
        return self.tokens is not None and self.minimum is not None and self.tokens < self.minimum.tokens

    def warning(self) -> str:
        """What the counters say (empty when the prefix is long enough or its minimum unknown)."""
        if self.tokens is None:
            return f"Cache breakpoint on {self.breakpoint.label}: nothing there to cache."
        if not self.below or self.minimum is None:
            return ""
        return (
            f"Cache breakpoint on {self.breakpoint.label}: the prompt up to it is ~{self.tokens:,} tokens "
            f"(estimate), below the {self.minimum.tokens:,} {self.minimum.source}; it will not be cached."
        )


def prefix_checks(
    request: Request,
    api: str,
    count_prompt: Callable[[str, Sequence[Any]], int],
    tool_tokens: int,
) -> list[PrefixCheck]:
    """Each breakpoint's prefix length against the model's minimum. ``count_prompt(system, messages)``
    counts a prompt; ``tool_tokens`` is the tools' share (definitions and overhead), cached first."""
    minimum = minimum_tokens(api, request.model)
    out = []
    for point in breakpoints_of(request.params):
        tokens: int | None
        if point.where == TOOLS:
            tokens = tool_tokens if tool_tokens else None
        elif point.where == SYSTEM:
            tokens = tool_tokens + count_prompt(request.system, ()) if request.system else None
        elif int(point.where) < len(request.messages):
            tokens = tool_tokens + count_prompt(request.system, request.messages[: int(point.where) + 1])
        else:
            tokens = None
        out.append(PrefixCheck(point, tokens, minimum))
    return out


def toggled(params: Mapping[str, Any], where: str | int, ttl: Ttl | None) -> dict[str, Any]:
    """``params`` with the breakpoint at ``where`` set to ``ttl`` (None: unmarked)."""
    kept = [b for b in breakpoints_of(params) if b.where != where]
    if ttl is not None:
        kept.append(CacheBreakpoint(where, ttl))
    out = {k: v for k, v in params.items() if k != PARAM}
    if kept:
        out[PARAM] = [b.to_dict() for b in sorted(kept, key=lambda b: b.order)]
    return out


def _invalid(message: str) -> PlaygroundError:
    return PlaygroundError.of(ErrorKind.INVALID_PARAMETER, message)
