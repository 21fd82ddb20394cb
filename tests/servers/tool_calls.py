"""Scripted tool calls in each wire format (from the providers' documentation), and the answer a model
gives once the results are back: the test servers stream these when a Script has ``tool_calls``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tests.servers.base import Script


def argument_pieces(arguments: str, size: int) -> list[str]:
    """The arguments split across chunks, as the APIs stream them (never split for size <= 0)."""
    if size <= 0:
        return [arguments]
    return [arguments[i : i + size] for i in range(0, len(arguments), size)] or [""]


def openai_deltas(script: Script) -> Iterator[dict[str, Any]]:
    """``delta.tool_calls`` chunks: each call's id, type and name first, then its arguments in pieces."""
    for index, (name, arguments) in enumerate(script.tool_calls):
        head = {"index": index, "id": f"call_{index}", "type": "function"}
        yield {"tool_calls": [head | {"function": {"name": name, "arguments": ""}}]}
        for piece in argument_pieces(arguments, script.tool_split):
            yield {"tool_calls": [{"index": index, "function": {"arguments": piece}}]}


def anthropic_events(script: Script, first: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """A text block first when the test scripted text (Claude often says what it will do), then one
    ``tool_use`` content block per call: start, ``input_json_delta``s, stop."""
    if script.text != Script.text:
        start = {"type": "content_block_start", "index": first, "content_block": {"type": "text", "text": ""}}
        yield "content_block_start", start
        for piece in script.pieces():
            delta = {"type": "text_delta", "text": piece}
            yield "content_block_delta", {"type": "content_block_delta", "index": first, "delta": delta}
        yield "content_block_stop", {"type": "content_block_stop", "index": first}
        first += 1
    for offset, (name, arguments) in enumerate(script.tool_calls):
        index = first + offset
        block = {"type": "tool_use", "id": f"toolu_{offset}", "name": name, "input": {}}
        yield "content_block_start", {"type": "content_block_start", "index": index, "content_block": block}
        for piece in argument_pieces(arguments, script.tool_split):
            delta = {"type": "input_json_delta", "partial_json": piece}
            yield "content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta}
        yield "content_block_stop", {"type": "content_block_stop", "index": index}


def pieces_count(script: Script) -> int:
    return sum(len(argument_pieces(a, script.tool_split)) + 1 for _, a in script.tool_calls)


def results_in(body: dict[str, Any]) -> list[str]:
    """The tool results the request sends back (OpenAI ``tool`` messages, Anthropic ``tool_result`` blocks
    in the last user message)."""
    messages = body.get("messages") or []
    found = [str(m.get("content")) for m in messages if m.get("role") == "tool"]
    last = messages[-1] if messages else {}
    if isinstance(last.get("content"), list):
        found += [str(b.get("content")) for b in last["content"] if b.get("type") == "tool_result"]
    if found and messages[-1].get("role") == "user" and not isinstance(last.get("content"), list):
        return []  # the user wrote again after the results: a plain turn
    return found


def with_results(body: dict[str, Any], script: Script) -> Script:
    """A scripted answer that quotes the tool results (unless the test scripted its own text)."""
    results = results_in(body)
    if not results or script.tool_calls or script.text != Script.text:
        return script
    from dataclasses import replace

    return replace(script, text="The tools said: " + "; ".join(results))
