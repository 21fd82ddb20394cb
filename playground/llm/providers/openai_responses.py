"""OpenAI Responses (POST /v1/responses), the API new OpenAI code is written against, through the
official openai SDK on the shared streaming skeleton.

How it differs from Chat Completions (https://platform.openai.com/docs/api-reference/responses):
- the system prompt is ``instructions``; the conversation is ``input`` items: messages, and for tools
  ``function_call`` items (the model's calls) and ``function_call_output`` items (our results);
- ``max_output_tokens``; ``reasoning: {effort, summary}`` (the summary is what a reasoning model shows);
- structured outputs are ``text.format`` (``{"type": "json_schema", "name", "schema", "strict"}``);
- function tools are flat (``{"type": "function", "name", "description", "parameters", "strict"}``);
- the stream is typed events (``response.output_text.delta``, ``response.reasoning_summary_text.delta``,
  ``response.output_item.added`` then ``response.function_call_arguments.delta`` for a call, and
  ``response.completed`` / ``response.incomplete`` / ``response.failed`` with the usage, or ``error``);
  there is no ``[DONE]``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from playground.llm.endpoints import Endpoint
from playground.llm.errors import ErrorKind
from playground.llm.events import Event, Finish, ReasoningDelta, TextDelta, ToolCallDelta, UsageReport
from playground.llm.image_parts import responses_content
from playground.llm.params import reasoning_model
from playground.llm.providers.base import (
    STREAM_END,
    ChunkParser,
    ProviderFailure,
    failure,
    stream_error_kind,
)
from playground.llm.providers.openai_chat import OpenAIChatProvider
from playground.llm.providers.sse import ServerSentEvent
from playground.llm.request import Message, Request
from playground.llm.schema import OutputMode, OutputSpec, spec_of
from playground.llm.tools import ToolChoice, ToolSet, toolset_of
from playground.llm.usage import Usage

_DIRECT = ("temperature", "top_p", "top_k")
# A stream error's code, sorted as the status it stands for would be.
_ERROR_KINDS = {
    "rate_limit_exceeded": ErrorKind.RATE_LIMITED,
    "insufficient_quota": ErrorKind.OUT_OF_CREDIT,
    "invalid_api_key": ErrorKind.KEY_REJECTED,
    "context_length_exceeded": ErrorKind.CONTEXT_TOO_LONG,
    "model_not_found": ErrorKind.MODEL_NOT_FOUND,
    "invalid_prompt": ErrorKind.BAD_REQUEST,
}


def request_body(endpoint: Endpoint, request: Request, params: dict[str, Any]) -> dict[str, Any]:
    """The JSON body of a streaming response (also what 'view code' shows)."""
    body: dict[str, Any] = {"model": request.model}
    if request.system:
        body["instructions"] = request.system
    body["input"] = [item for message in request.messages for item in input_items(message)]
    for name in _DIRECT:
        if name in params:
            body[name] = params[name]
    if "max_tokens" in params:
        body["max_output_tokens"] = params["max_tokens"]
    if "reasoning_effort" in params or reasoning_model(request.model):
        # The summary ("auto": the most detailed the model offers) is what a reasoning model shows.
        effort = {"effort": params["reasoning_effort"]} if "reasoning_effort" in params else {}
        body["reasoning"] = effort | {"summary": "auto"}
    spec = spec_of(params)
    if spec is not None:
        body["text"] = {"format": text_format(spec)}
    offered = toolset_of(params)
    if offered is not None:
        body |= tool_fields(offered)
    body["store"] = False  # as Chat Completions: the response is not kept on the server for 30 days
    body["stream"] = True
    return body


def input_items(message: Message) -> list[dict[str, Any]]:
    """One of our messages as ``input`` items: a call is a ``function_call`` item after any text, each
    result a ``function_call_output`` item (then any text the user added)."""
    if message.tool_calls:
        text = [{"role": "assistant", "content": message.content}] if message.content else []
        calls = [
            {"type": "function_call", "call_id": c.id, "name": c.name, "arguments": c.arguments_text}
            for c in message.tool_calls
        ]
        return text + calls
    if message.tool_results:
        out = [
            {"type": "function_call_output", "call_id": r.call_id, "output": r.content}
            for r in message.tool_results
        ]
        return out + ([{"role": "user", "content": message.content}] if message.content else [])
    return [{"role": message.role, "content": responses_content(message)}]


def text_format(spec: OutputSpec) -> dict[str, Any]:
    """``text.format`` (https://platform.openai.com/docs/guides/structured-outputs?api-mode=responses)."""
    if spec.mode == OutputMode.JSON_OBJECT:
        return {"type": "json_object"}
    return {
        "type": "json_schema",
        "name": spec.name,
        "schema": dict(spec.schema or {}),
        "strict": spec.strict,
    }


def tool_fields(offered: ToolSet) -> dict[str, Any]:
    """``tools`` (strict off, as Chat Completions' default: our tool schemas need not follow the strict
    subset), ``tool_choice`` and ``parallel_tool_calls`` (sent only to turn parallel calls off)."""
    tools = [
        {
            "type": "function",
            "name": t.name,
            "description": t.description,
            "parameters": dict(t.parameters),
            "strict": False,
        }
        for t in offered.tools
    ]
    choice: Any = str(offered.choice)
    if offered.choice == ToolChoice.NAMED:
        choice = {"type": "function", "name": offered.named}
    out: dict[str, Any] = {"tools": tools, "tool_choice": choice}
    if not offered.parallel:
        out["parallel_tool_calls"] = False
    return out


class OpenAIResponsesProvider(OpenAIChatProvider):
    """Chat's SDK client, model list and HTTP error sorting; its own body, endpoint and events."""

    def request_body(self, request: Request, params: dict[str, Any]) -> dict[str, Any]:
        return request_body(self._options.endpoint, request, params)

    def _create(self) -> Callable[..., AbstractContextManager[Any]]:
        create: Callable[..., AbstractContextManager[Any]] = (
            self._client.responses.with_streaming_response.create
        )
        return create

    def _parser(self, params: dict[str, Any]) -> ChunkParser:
        return ResponsesParser(self._key)

    def _status_error(self, exc: Any, status: int, err_type: str, message: str) -> tuple[ErrorKind, str]:
        if status in (404, 405) and "model" not in message.lower():
            # No /responses there: many OpenAI-compatible servers speak only Chat Completions.
            return ErrorKind.BAD_RESPONSE, (
                f"This server has no Responses API ({status}: {message}); "
                "choose Chat Completions as the endpoint's API style."
            )
        return super()._status_error(exc, status, err_type, message)


class ResponsesParser:
    """One stream's events; keeps which output item is which tool call, and the reasoning summary part."""

    def __init__(self, key: str | None):
        self._key = key
        self._calls: dict[int, int] = {}  # output_index -> our call index (0, 1, ...)
        self._summary: tuple[int, int] | None = None  # (output_index, summary_index) last streamed

    def events(self, sse: ServerSentEvent, started: bool) -> list[Event] | None:
        if sse.data.startswith("[DONE]"):  # not OpenAI's, but some compatible servers end so
            return STREAM_END
        event = json.loads(sse.data)
        if not isinstance(event, dict):
            raise TypeError("expected a JSON object")
        kind = event.get("type") or sse.event
        if kind == "response.output_text.delta" or kind == "response.refusal.delta":
            return [TextDelta(_text(event["delta"]))]
        if kind == "response.reasoning_summary_text.delta":
            return self._summary_delta(event)
        if kind == "response.reasoning_text.delta":  # raw reasoning (gpt-oss on compatible servers)
            return [ReasoningDelta(_text(event["delta"]))]
        if kind == "response.output_item.added":
            item = event["item"]
            if item.get("type") != "function_call":
                return []
            index = self._calls.setdefault(int(event["output_index"]), len(self._calls))
            args = _text(item.get("arguments"))
            return [ToolCallDelta(index, _text(item.get("call_id")), _text(item.get("name")), args)]
        if kind == "response.function_call_arguments.delta":
            index = self._calls[int(event["output_index"])]
            return [ToolCallDelta(index, arguments=_text(event["delta"]))]
        if kind in ("response.completed", "response.incomplete"):
            return self._end(event["response"], kind)
        if kind == "response.failed":
            error = event["response"].get("error") or {}
            raise _stream_error(error, started, self._key)
        if kind == "error":
            raise _stream_error(event, started, self._key)
        return []  # created, in_progress, part and item boundaries, the .done events: nothing new

    def _summary_delta(self, event: dict[str, Any]) -> list[Event]:
        where = (int(event.get("output_index") or 0), int(event.get("summary_index") or 0))
        gap = "\n\n" if self._summary is not None and self._summary != where else ""
        self._summary = where
        return [ReasoningDelta(gap + _text(event["delta"]))]

    def _end(self, response: dict[str, Any], kind: str) -> list[Event]:
        events: list[Event] = []
        if response.get("usage"):
            events.append(UsageReport(usage(response["usage"])))
        if kind == "response.incomplete":
            reason = str((response.get("incomplete_details") or {}).get("reason") or "incomplete")
            events.append(Finish("length" if reason == "max_output_tokens" else reason))
        else:
            events.append(Finish("tool_calls" if self._calls else "stop"))
        return events


def usage(raw: dict[str, Any]) -> Usage:
    """Responses usage: ``input_tokens`` include the cached ones, ``output_tokens`` the reasoning ones
    (the same conventions as our Usage)."""
    input_details = raw.get("input_tokens_details") or {}
    output_details = raw.get("output_tokens_details") or {}
    return Usage(
        input_tokens=int(raw.get("input_tokens") or 0),
        output_tokens=int(raw.get("output_tokens") or 0),
        cache_read_tokens=int(input_details.get("cached_tokens") or 0),
        reasoning_tokens=int(output_details.get("reasoning_tokens") or 0),
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError("a text field is not text")
    return value


def _stream_error(error: Any, started: bool, key: str | None) -> ProviderFailure:
    """An ``error`` event, or a failed response's error, in the middle of a stream."""
    if not isinstance(error, dict):
        error = {"message": str(error)}
    code = str(error.get("code") or "")
    message = str(error.get("message") or "unknown error")
    kind = stream_error_kind(_ERROR_KINDS.get(code, ErrorKind.SERVER_ERROR), started)
    detail = f" ({code})" if code else ""
    return failure(kind, f"The server reported an error{detail}: {message}", key)
