"""A comparison's tool loop: every column that called tools gets the same mocked results, so models
are compared on the whole round trip (which tool, valid arguments, then the answer) and not only on
their first reply.

A conversation here is one column × repeat: the prompt's messages, then for each round the model's
reply (its text and tool calls) and a user turn carrying one result per call."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from playground.llm.errors import ErrorKind, PlaygroundError
from playground.llm.request import Message
from playground.llm.result import CallResult
from playground.llm.tools import ToolResult


@dataclass(frozen=True)
class CalledTool:
    """One tool the columns called in the last round: how many calls, and how many had valid arguments."""

    name: str
    calls: int
    valid: int


def called_tools(results: Sequence[CallResult | None]) -> list[CalledTool]:
    """The tools the finished answers called, by name, in the order first called."""
    calls: Counter[str] = Counter()
    valid: Counter[str] = Counter()
    for result in results:
        for call in result.tool_calls if result is not None and result.status == "ok" else ():
            calls[call.name] += 1
            valid[call.name] += call.valid.valid
    return [CalledTool(name, count, valid[name]) for name, count in calls.items()]


def wants_results(result: CallResult | None) -> bool:
    """The answer stopped to call tools: it goes on once it has their results."""
    return result is not None and result.status == "ok" and bool(result.tool_calls)


def next_turns(turns: Sequence[Message], result: CallResult, mocks: Mapping[str, str]) -> tuple[Message, ...]:
    """``turns`` followed by the model's reply and one mocked result per call it made."""
    missing = sorted({c.name for c in result.tool_calls if c.name not in mocks})
    if missing:
        raise PlaygroundError.of(
            ErrorKind.INVALID_PARAMETER, f"No mock result for {', '.join(missing)}: type one for each tool."
        )
    reply = Message("assistant", result.text, tuple(result.tool_calls))
    results = tuple(ToolResult(call.id, mocks[call.name]) for call in result.tool_calls)
    return (*turns, reply, Message("user", "", tool_results=results))
