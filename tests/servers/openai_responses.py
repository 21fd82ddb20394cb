"""POST /v1/responses on the OpenAI test server: the Responses API's streamed events as its reference
documents them (https://platform.openai.com/docs/api-reference/responses-streaming): response.created,
in_progress, output items (reasoning with its summary, function calls with their arguments in pieces,
a message with its text), then response.completed (or .incomplete at max_output_tokens) with the usage;
faults from the Script: an ``error`` event mid-stream, a cut stream, a malformed event."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from typing import Any, Protocol

from tests.servers import images
from tests.servers.base import Script
from tests.servers.schema_answers import answer_text
from tests.servers.tool_calls import argument_pieces

WRONG_SHAPE = (
    'event: response.output_text.delta\ndata: {"type": "response.output_text.delta", "delta": 42}\n\n'
)


class Streamer(Protocol):
    """What the OpenAI handler lends this module (tests.servers.base.ScriptedHandler)."""

    def start_stream(self) -> None: ...
    def send_chunk(self, text: str) -> None: ...
    def end_stream(self) -> None: ...
    def drop_connection(self) -> None: ...
    def fault(self, script: Script, i: int, wrong_shape: str) -> bool: ...


def prompt_tokens(body: dict[str, Any]) -> int:
    """The server's simple prompt count (words of the instructions, input items and tools, plus 7)."""
    words = len(str(body.get("instructions") or "").split())
    for item in _items(body):
        text, count = images.openai_parts(item.get("content"))
        words += len(text.split()) + count * images.IMAGE_TOKENS
        for name in ("output", "arguments"):
            words += len(str(item.get(name) or "").split())
    words += len(json.dumps(body["tools"]).split()) if body.get("tools") else 0
    return words + 7


def answer(body: dict[str, Any], script: Script) -> Script:
    """The script with a JSON answer for ``text.format``, or quoting the tool results sent back."""
    fmt = (body.get("text") or {}).get("format") or {}
    if fmt.get("type") == "json_schema":
        return replace(script, text=answer_text(script, fmt.get("schema")))
    if fmt.get("type") == "json_object":
        return replace(script, text=answer_text(script, {"type": "object", "properties": {"answer": {}}}))
    items = _items(body)
    results = [str(i.get("output")) for i in items if i.get("type") == "function_call_output"]
    last_is_result = bool(items) and items[-1].get("type") == "function_call_output"
    if results and last_is_result and not script.tool_calls and script.text == Script.text:
        return replace(script, text="The tools said: " + "; ".join(results))
    return script


class ResponseStream:
    """One streamed response: numbers its events and keeps the output items for the final response."""

    def __init__(self, handler: Streamer, body: dict[str, Any], script: Script):
        self.h = handler
        self.body = body
        self.script = script
        self.seq = 0
        self.output: list[dict[str, Any]] = []
        self.response: dict[str, Any] = {
            "id": "resp_test",
            "object": "response",
            "created_at": int(time.time()),
            "status": "in_progress",
            "model": body.get("model"),
            "output": [],
            "usage": None,
            "error": None,
            "incomplete_details": None,
        }

    def send(self, kind: str, **fields: Any) -> None:
        payload = {"type": kind, "sequence_number": self.seq, **fields}
        self.seq += 1
        self.h.send_chunk(f"event: {kind}\ndata: {json.dumps(payload)}\n\n")

    def run(self) -> None:
        self.h.start_stream()
        if self.script.first_token_delay:
            time.sleep(self.script.first_token_delay)
        self.send("response.created", response=self.response)
        self.send("response.in_progress", response=self.response)
        summary = (self.body.get("reasoning") or {}).get("summary")
        if self.script.reasoning and summary:
            self.reasoning()
        if self.script.tool_calls:
            self.calls()
            self.finish(len(self.script.tool_calls), None)
            return
        outcome = self.message()
        if outcome is not None:
            self.finish(*outcome)

    def reasoning(self) -> None:
        index = len(self.output)
        item = {"type": "reasoning", "id": "rs_0", "summary": []}
        self.send("response.output_item.added", output_index=index, item=item)
        part = {"type": "summary_text", "text": ""}
        where = {"item_id": "rs_0", "output_index": index, "summary_index": 0}
        self.send("response.reasoning_summary_part.added", **where, part=part)
        for piece in _pieces(self.script.reasoning):
            self.send("response.reasoning_summary_text.delta", **where, delta=piece)
        self.send("response.reasoning_summary_text.done", **where, text=self.script.reasoning)
        done = {"type": "summary_text", "text": self.script.reasoning}
        self.send("response.reasoning_summary_part.done", **where, part=done)
        item = item | {"summary": [done]}
        self.send("response.output_item.done", output_index=index, item=item)
        self.output.append(item)

    def calls(self) -> None:
        for n, (name, arguments) in enumerate(self.script.tool_calls):
            index = len(self.output)
            item = {
                "type": "function_call",
                "id": f"fc_{n}",
                "call_id": f"call_{n}",
                "name": name,
                "arguments": "",
                "status": "in_progress",
            }
            self.send("response.output_item.added", output_index=index, item=item)
            for piece in argument_pieces(arguments, self.script.tool_split):
                self.send(
                    "response.function_call_arguments.delta",
                    item_id=f"fc_{n}",
                    output_index=index,
                    delta=piece,
                )
            self.send(
                "response.function_call_arguments.done",
                item_id=f"fc_{n}",
                output_index=index,
                arguments=arguments,
            )
            item = item | {"arguments": arguments, "status": "completed"}
            self.send("response.output_item.done", output_index=index, item=item)
            self.output.append(item)

    def message(self) -> tuple[int, str | None] | None:
        """The answer's text; returns (output tokens, incomplete reason), or None when a fault ended it."""
        script, index = self.script, len(self.output)
        pieces = script.pieces()
        limit = self.body.get("max_output_tokens")
        incomplete = None
        if limit and len(pieces) > limit:
            pieces, incomplete = pieces[:limit], "max_output_tokens"
        item: dict[str, Any] = {
            "type": "message",
            "id": "msg_0",
            "role": "assistant",
            "status": "in_progress",
            "content": [],
        }
        self.send("response.output_item.added", output_index=index, item=item)
        where = {"item_id": "msg_0", "output_index": index, "content_index": 0}
        self.send(
            "response.content_part.added",
            **where,
            part={"type": "output_text", "text": "", "annotations": []},
        )
        for i, piece in enumerate(pieces):
            if script.cut_after is not None and i == script.cut_after:
                self.h.drop_connection()
                return None
            if script.error_event_after is not None and i == script.error_event_after:
                code = script.error_code or "server_error"
                message = script.error_message or "The server had an error while processing your request."
                if script.error_event_type == "response.failed":  # the response's own end, failed
                    failed = self.response | {"status": "failed", "error": {"code": code, "message": message}}
                    self.send("response.failed", response=failed)
                else:
                    self.send("error", code=code, message=message, param=None)
                self.h.end_stream()
                return None
            if script.malformed_after is not None and i == script.malformed_after:
                self.h.send_chunk('event: response.output_text.delta\ndata: {"type": "response.output\n\n')
                self.h.end_stream()
                return None
            if self.h.fault(script, i, WRONG_SHAPE):
                return None
            self.send("response.output_text.delta", **where, delta=piece, logprobs=[])
            if script.token_delay:
                time.sleep(script.token_delay)
        text = "".join(pieces)
        self.send("response.output_text.done", **where, text=text, logprobs=[])
        part = {"type": "output_text", "text": text, "annotations": []}
        self.send("response.content_part.done", **where, part=part)
        item = item | {"status": "completed", "content": [part]}
        self.send("response.output_item.done", output_index=index, item=item)
        self.output.append(item)
        return len(pieces), incomplete

    def finish(self, output_tokens: int, incomplete: str | None) -> None:
        script = self.script
        prompt = script.prompt_tokens if script.prompt_tokens is not None else prompt_tokens(self.body)
        output = output_tokens + script.reasoning_tokens
        usage = {
            "input_tokens": prompt,
            "input_tokens_details": {"cached_tokens": script.cached_tokens},
            "output_tokens": output,
            "output_tokens_details": {"reasoning_tokens": script.reasoning_tokens},
            "total_tokens": prompt + output,
        }
        status = "incomplete" if incomplete else "completed"
        final = self.response | {"status": status, "output": self.output}
        if script.usage != "none":
            final["usage"] = usage
        if incomplete:
            final["incomplete_details"] = {"reason": incomplete}
        self.send(f"response.{status}", response=final)
        self.h.end_stream()


def serve(handler: Streamer, body: dict[str, Any], script: Script) -> None:
    """Stream the answer to one POST /v1/responses (the caller has checked the key and the status)."""
    ResponseStream(handler, body, answer(body, script)).run()


def _items(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The input items; ``input`` may also be one string (a user message)."""
    raw = body.get("input") or []
    return [{"role": "user", "content": raw}] if isinstance(raw, str) else list(raw)


def _pieces(text: str) -> list[str]:
    from tests.servers.base import split_pieces

    return split_pieces(text)
