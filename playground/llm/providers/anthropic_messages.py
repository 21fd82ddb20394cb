"""Anthropic Messages through the official anthropic SDK."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from playground.llm.caching import breakpoints_of, mark_body
from playground.llm.errors import ErrorKind
from playground.llm.events import Event, Finish, ReasoningDelta, TextDelta, ToolCallDelta, UsageReport
from playground.llm.image_parts import anthropic_blocks
from playground.llm.params import MAX_TOKENS
from playground.llm.providers.base import (
    ChunkParser,
    ProviderFailure,
    StreamingProvider,
    failure,
    stream_error_kind,
)
from playground.llm.providers.sse import ServerSentEvent
from playground.llm.request import Message, Request
from playground.llm.schema import OutputMode, OutputSpec, anthropic_native, spec_of, tool_schema
from playground.llm.tools import ToolChoice, ToolSet, toolset_of
from playground.llm.usage import Usage

# SDK 2.x has no arguments for these; the API takes them in the body.
_BODY_ONLY = ("temperature", "top_p", "top_k")
_ERROR_KINDS = {
    "authentication_error": ErrorKind.KEY_REJECTED,
    "permission_error": ErrorKind.KEY_REJECTED,
    "billing_error": ErrorKind.OUT_OF_CREDIT,
    "rate_limit_error": ErrorKind.RATE_LIMITED,
    "not_found_error": ErrorKind.MODEL_NOT_FOUND,
    "overloaded_error": ErrorKind.SERVER_ERROR,
    "api_error": ErrorKind.SERVER_ERROR,
    "timeout_error": ErrorKind.TIMEOUT,
    "request_too_large": ErrorKind.CONTEXT_TOO_LONG,
}


def request_body(request: Request, params: dict[str, Any]) -> dict[str, Any]:
    """The JSON body of a streaming Messages call (also what 'view code' shows)."""
    body: dict[str, Any] = {
        "model": request.model,
        "max_tokens": params.get("max_tokens", MAX_TOKENS.default),
        "messages": [wire_message(m) for m in request.messages],
    }
    if request.system:
        body["system"] = request.system
    if params.get("stop"):
        body["stop_sequences"] = params["stop"]
    if params.get("thinking_budget"):
        body["thinking"] = {"type": "enabled", "budget_tokens": params["thinking_budget"]}
    for name in _BODY_ONLY:
        if name in params:
            body[name] = params[name]
    spec = spec_of(params)
    if spec is not None:
        body |= output_fields(spec, request.model)
    offered = toolset_of(params)
    if offered is not None:
        body |= tool_fields(offered)
    mark_body(body, breakpoints_of(params))
    body["stream"] = True
    return body


def output_fields(spec: OutputSpec, model: str) -> dict[str, Any]:
    """Native structured outputs where the model has them (``output_config.format``), else a forced tool
    whose input is the answer (``tool_choice: {"type": "tool"}``); see playground.llm.schema."""
    if spec.mode == OutputMode.JSON_SCHEMA and anthropic_native(model):
        return {"output_config": {"format": {"type": "json_schema", "schema": dict(spec.schema or {})}}}
    tool = {
        "name": spec.name,
        "description": "Give the answer as this tool's input.",
        "input_schema": tool_schema(spec),
    }
    return {"tools": [tool], "tool_choice": {"type": "tool", "name": spec.name}}


def wire_message(message: Message) -> dict[str, Any]:
    """One of our messages as a Messages message: tool calls as ``tool_use`` blocks after any text,
    results as ``tool_result`` blocks before any text the user added."""
    if message.images and not message.tool_results:
        return {"role": message.role, "content": anthropic_blocks(message)}
    if not (message.tool_calls or message.tool_results):
        return {"role": message.role, "content": message.content}
    text = [{"type": "text", "text": message.content}] if message.content else []
    if message.tool_calls:
        uses = [
            {
                "type": "tool_use",
                "id": c.id,
                "name": c.name,
                "input": dict(c.arguments or _loads(c.arguments_text)),
            }
            for c in message.tool_calls
        ]
        return {"role": "assistant", "content": text + uses}
    results = [
        {"type": "tool_result", "tool_use_id": r.call_id, "content": r.content} for r in message.tool_results
    ]
    return {"role": "user", "content": results + text}


def _loads(text: str) -> dict[str, Any]:
    """A call's input for the API (an object): what the model sent when it parses, else empty."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def tool_fields(offered: ToolSet) -> dict[str, Any]:
    """``tools`` and ``tool_choice`` (auto, any, tool or none; parallel calls off by
    ``disable_parallel_tool_use``, which the none choice does not take)."""
    tools = [
        {"name": t.name, "description": t.description, "input_schema": dict(t.parameters)}
        for t in offered.tools
    ]
    kinds = {
        ToolChoice.AUTO: "auto",
        ToolChoice.NONE: "none",
        ToolChoice.REQUIRED: "any",
        ToolChoice.NAMED: "tool",
    }
    choice: dict[str, Any] = {"type": kinds[offered.choice]}
    if offered.choice == ToolChoice.NAMED:
        choice["name"] = offered.named
    if not offered.parallel and offered.choice != ToolChoice.NONE:
        choice["disable_parallel_tool_use"] = True
    return {"tools": tools, "tool_choice": choice}


class AnthropicProvider(StreamingProvider):
    sdk_module = "anthropic"
    client_class = "Anthropic"

    def request_body(self, request: Request, params: dict[str, Any]) -> dict[str, Any]:
        return request_body(request, params)

    def _create(self) -> Callable[..., AbstractContextManager[Any]]:
        create: Callable[..., AbstractContextManager[Any]] = (
            self._client.messages.with_streaming_response.create
        )
        return create

    def _body_only(self) -> tuple[str, ...]:
        return _BODY_ONLY

    def _parser(self, params: dict[str, Any]) -> ChunkParser:
        return _EventParser(self._key, toolset_of(params) is not None)

    def count_tokens(self, request: Request) -> int | None:
        """Anthropic's count-tokens endpoint: exact, free, but needs a key and the network."""
        if not self._key:
            return None
        kwargs: dict[str, Any] = {
            "model": request.model,
            "messages": [wire_message(m) for m in request.messages],
        }
        if request.system:
            kwargs["system"] = request.system
        offered = toolset_of(request.params)
        if offered is not None:
            kwargs |= tool_fields(offered)
        try:
            return int(self._client.messages.count_tokens(**kwargs).input_tokens)
        except Exception as exc:
            raise self._sort(exc, False) from exc

    def _status_error(self, exc: Any, status: int, err_type: str, message: str) -> tuple[ErrorKind, str]:
        kind = _ERROR_KINDS.get(err_type)
        lowered = message.lower()
        if kind is None:
            if status in (401, 403):
                kind = ErrorKind.KEY_REJECTED
            elif status == 402 or "credit balance" in lowered:
                kind = ErrorKind.OUT_OF_CREDIT
            elif status == 429:
                kind = ErrorKind.RATE_LIMITED
            elif status == 404:
                kind = ErrorKind.MODEL_NOT_FOUND
            elif status >= 500:
                kind = ErrorKind.SERVER_ERROR
            else:
                kind = ErrorKind.BAD_REQUEST
        if kind == ErrorKind.BAD_REQUEST and "credit balance" in lowered:
            kind = ErrorKind.OUT_OF_CREDIT
        if kind == ErrorKind.BAD_REQUEST and ("prompt is too long" in lowered or "context window" in lowered):
            kind = ErrorKind.CONTEXT_TOO_LONG
        label = _LABELS.get(kind, "The server refused the request")
        code = f" ({status})" if status and status != 200 else ""
        return kind, f"{label}{code}: {message}"


_LABELS = {
    ErrorKind.KEY_REJECTED: "The API key was rejected",
    ErrorKind.OUT_OF_CREDIT: "Out of credit",
    ErrorKind.RATE_LIMITED: "Rate limited",
    ErrorKind.MODEL_NOT_FOUND: "Not found",
    ErrorKind.SERVER_ERROR: "Server error",
    ErrorKind.CONTEXT_TOO_LONG: "The prompt is too long",
    ErrorKind.STREAM_CUT: "The answer was cut off by a server error",
}


class _EventParser:
    """Anthropic reports usage cumulatively and the stop reason before the stop: kept across events."""

    def __init__(self, key: str | None, tools: bool = False):
        self._key = key
        self._tools = tools  # user tools offered: tool_use blocks are calls (else the forced answer tool)
        self._usage = Usage()
        self._stop_reason: str | None = None

    def events(self, sse: ServerSentEvent, started: bool) -> list[Event] | None:
        if sse.event == "ping":
            return []
        event = json.loads(sse.data)
        kind = event.get("type") if isinstance(event, dict) else None
        if not isinstance(kind, str):
            raise TypeError("expected an event object with a type")
        if kind == "error":
            raise _stream_error(event.get("error") or {}, started, self._key)
        if self._tools and kind in ("content_block_start", "content_block_delta"):
            call = _tool_call(event, kind)
            if call is not None:
                return [call]
        self._usage, out, self._stop_reason = _event_events(event, kind, self._usage, self._stop_reason)
        return out


def _stream_error(error: dict[str, Any], started: bool, key: str | None) -> ProviderFailure:
    """An error event inside the stream (overloaded mid-answer, for one)."""
    kind = _ERROR_KINDS.get(str(error.get("type")), ErrorKind.SERVER_ERROR)
    message = str(error.get("message") or "unknown error")
    if stream_error_kind(kind, started) == ErrorKind.STREAM_CUT:
        return failure(ErrorKind.STREAM_CUT, f"The answer was cut off by a server error: {message}", key)
    return failure(kind, f"The server reported an error: {message}", key)


def _event_events(
    event: dict[str, Any], kind: str, usage: Usage, stop_reason: str | None
) -> tuple[Usage, list[Event], str | None]:
    """Our events from one Anthropic event; a wrong shape raises TypeError/AttributeError (malformed)."""
    out: list[Event] = []
    if kind == "message_start":
        usage = _merge_usage(usage, (event.get("message") or {}).get("usage") or {})
        out.append(UsageReport(usage, final=False))  # counted before the answer: not what is billed
    elif kind == "content_block_delta":
        delta = event.get("delta") or {}
        if delta.get("type") == "text_delta" and delta.get("text"):
            out.append(TextDelta(_text(delta["text"])))
        elif delta.get("type") == "input_json_delta" and delta.get("partial_json"):
            # The forced tool's input is the answer (we send no other tools).
            out.append(TextDelta(_text(delta["partial_json"])))
        elif delta.get("type") == "thinking_delta" and delta.get("thinking"):
            out.append(ReasoningDelta(_text(delta["thinking"])))
    elif kind == "message_delta":
        usage = _merge_usage(usage, event.get("usage") or {})
        out.append(UsageReport(usage))
        stop_reason = (event.get("delta") or {}).get("stop_reason") or stop_reason
    elif kind == "message_stop":
        out.append(Finish(stop_reason or "end_turn"))
    return usage, out, stop_reason


def _tool_call(event: dict[str, Any], kind: str) -> ToolCallDelta | None:
    """A tool_use block's start (id, name) or a piece of its input, by block index; None for others."""
    index = int(event["index"])
    if kind == "content_block_start":
        block = event.get("content_block") or {}
        if block.get("type") != "tool_use":
            return None
        return ToolCallDelta(index, _text(block.get("id")), _text(block.get("name")))
    delta = event.get("delta") or {}
    if delta.get("type") != "input_json_delta":
        return None
    return ToolCallDelta(index, arguments=_text(delta.get("partial_json", "")))


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("text is not a string")
    return value


def _merge_usage(usage: Usage, raw: dict[str, Any]) -> Usage:
    """Anthropic reports input and cache counts apart and output cumulatively; fold into our Usage."""
    base_input = raw.get("input_tokens")
    read = raw.get("cache_read_input_tokens")
    write = raw.get("cache_creation_input_tokens")
    read = usage.cache_read_tokens if read is None else read
    write = usage.cache_write_tokens if write is None else write
    one_hour = (raw.get("cache_creation") or {}).get("ephemeral_1h_input_tokens")
    one_hour = usage.cache_write_1h_tokens if one_hour is None else one_hour
    plain = (
        (usage.input_tokens - usage.cache_read_tokens - usage.cache_write_tokens)
        if base_input is None
        else base_input
    )
    thinking = (raw.get("output_tokens_details") or {}).get("thinking_tokens")
    output = raw.get("output_tokens")
    return Usage(
        input_tokens=plain + read + write,
        output_tokens=output if output is not None else usage.output_tokens,
        cache_read_tokens=read,
        cache_write_tokens=write,
        cache_write_1h_tokens=one_hour,  # a subset of the writes, billed at the one-hour rate
        reasoning_tokens=thinking if thinking is not None else usage.reasoning_tokens,
    )
