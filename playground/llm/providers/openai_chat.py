"""OpenAI Chat Completions, and every server that speaks it, through the official openai SDK."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from playground.llm.endpoints import Endpoint
from playground.llm.errors import ErrorKind
from playground.llm.events import (
    Event,
    Finish,
    LogprobsDelta,
    ReasoningDelta,
    TextDelta,
    TokenLogprob,
    ToolCallDelta,
    UsageReport,
)
from playground.llm.image_parts import chat_content
from playground.llm.providers.base import (
    STREAM_END,
    ChunkParser,
    ProviderFailure,
    StreamingProvider,
    failure,
    stream_error_kind,
)
from playground.llm.providers.sse import ServerSentEvent
from playground.llm.request import Message, Request
from playground.llm.schema import OutputMode, OutputSpec, spec_of
from playground.llm.tools import ToolChoice, ToolSet, toolset_of
from playground.llm.usage import Usage

_DIRECT = (
    "temperature",
    "top_p",
    "frequency_penalty",
    "presence_penalty",
    "seed",
    "stop",
    "logprobs",
    "top_logprobs",
    "reasoning_effort",
)


def request_body(endpoint: Endpoint, request: Request, params: dict[str, Any]) -> dict[str, Any]:
    """The JSON body of a streaming chat completion (also what 'view code' shows)."""
    messages = [{"role": "system", "content": request.system}] if request.system else []
    for message in request.messages:
        messages += wire_messages(message)
    body: dict[str, Any] = {"model": request.model, "messages": messages}
    for name in _DIRECT:
        if name in params:
            body[name] = params[name]
    if "max_tokens" in params:
        # OpenAI itself wants max_completion_tokens; compatible servers mostly know only max_tokens.
        body["max_completion_tokens" if endpoint.official else "max_tokens"] = params["max_tokens"]
    if "top_k" in params:
        body["top_k"] = params["top_k"]
    spec = spec_of(params)
    if spec is not None:
        body["response_format"] = response_format(spec)
    offered = toolset_of(params)
    if offered is not None:
        body |= tool_fields(offered)
    body["stream"] = True
    body["stream_options"] = {"include_usage": True}
    return body


def response_format(spec: OutputSpec) -> dict[str, Any]:
    """Chat Completions' ``response_format`` (https://platform.openai.com/docs/guides/structured-outputs)."""
    if spec.mode == OutputMode.JSON_OBJECT:
        return {"type": "json_object"}
    schema = {"name": spec.name, "schema": dict(spec.schema or {}), "strict": spec.strict}
    return {"type": "json_schema", "json_schema": schema}


def wire_messages(message: Message) -> list[dict[str, Any]]:
    """One of our messages as Chat Completions messages: tool calls on the assistant message, each
    result as its own ``tool`` message (then any text the user added)."""
    if message.tool_calls:
        calls = [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments_text}}
            for c in message.tool_calls
        ]
        return [{"role": "assistant", "content": message.content or None, "tool_calls": calls}]
    if message.tool_results:
        out = [
            {"role": "tool", "tool_call_id": r.call_id, "content": r.content} for r in message.tool_results
        ]
        return out + ([{"role": "user", "content": message.content}] if message.content else [])
    return [{"role": message.role, "content": chat_content(message)}]


def tool_fields(offered: ToolSet) -> dict[str, Any]:
    """``tools``, ``tool_choice`` and ``parallel_tool_calls`` (sent only to turn parallel calls off)."""
    tools = [
        {
            "type": "function",
            "function": {"name": t.name, "description": t.description, "parameters": dict(t.parameters)},
        }
        for t in offered.tools
    ]
    choice: Any = str(offered.choice)
    if offered.choice == ToolChoice.NAMED:
        choice = {"type": "function", "function": {"name": offered.named}}
    out: dict[str, Any] = {"tools": tools, "tool_choice": choice}
    if not offered.parallel:
        out["parallel_tool_calls"] = False
    return out


class OpenAIChatProvider(StreamingProvider):
    sdk_module = "openai"
    client_class = "OpenAI"

    def request_body(self, request: Request, params: dict[str, Any]) -> dict[str, Any]:
        return request_body(self._options.endpoint, request, params)

    def _create(self) -> Callable[..., AbstractContextManager[Any]]:
        create: Callable[..., AbstractContextManager[Any]] = (
            self._client.chat.completions.with_streaming_response.create
        )
        return create

    def _body_only(self) -> tuple[str, ...]:
        return ("top_k",)  # not OpenAI's; compatible servers (vLLM, llama.cpp) take it in the body

    def _parser(self, params: dict[str, Any]) -> ChunkParser:
        return _ChunkParser(self._key)

    def _status_error(self, exc: Any, status: int, err_type: str, message: str) -> tuple[ErrorKind, str]:
        code = f"{exc.code or ''} {exc.type or ''}"
        if status in (401, 403):
            return ErrorKind.KEY_REJECTED, f"The API key was rejected ({status}): {message}"
        if status == 402 or "insufficient_quota" in code:
            return ErrorKind.OUT_OF_CREDIT, f"Out of credit or quota: {message}"
        if status == 429:
            return ErrorKind.RATE_LIMITED, f"Rate limited: {message}"
        if status == 404:
            return ErrorKind.MODEL_NOT_FOUND, f"Not found (404): {message}"
        if status in (400, 413, 422):
            lowered = message.lower()
            if "context_length" in code or "context length" in lowered or "too many tokens" in lowered:
                return ErrorKind.CONTEXT_TOO_LONG, f"The prompt is too long: {message}"
            return ErrorKind.BAD_REQUEST, f"The server refused the request: {message}"
        if status >= 500:
            return ErrorKind.SERVER_ERROR, f"Server error ({status}): {message}"
        return ErrorKind.BAD_REQUEST, f"Unexpected answer ({status}): {message}"


class _ChunkParser:
    def __init__(self, key: str | None):
        self._key = key

    def events(self, sse: ServerSentEvent, started: bool) -> list[Event] | None:
        if sse.data.startswith("[DONE]"):
            return STREAM_END
        return _chunk_events(json.loads(sse.data), started, self._key)


def _chunk_events(chunk: Any, started: bool, key: str | None) -> list[Event]:
    """Our events from one chunk; a chunk of the wrong shape raises TypeError/KeyError (malformed)."""
    if not isinstance(chunk, dict):
        raise TypeError("expected a JSON object")
    if chunk.get("error"):
        raise _stream_error(chunk["error"], started, key)
    events: list[Event] = []
    if chunk.get("usage"):
        events.append(UsageReport(_usage(chunk["usage"])))
    choices = chunk.get("choices") or []
    if not isinstance(choices, list):
        raise TypeError("choices is not a list")
    for choice in choices[:1]:
        delta = choice.get("delta") or {}
        # DeepSeek, vLLM and llama.cpp send reasoning_content; OpenRouter, Ollama: reasoning.
        reasoning = delta.get("reasoning_content") or delta.get("reasoning")
        if isinstance(reasoning, str) and reasoning:
            events.append(ReasoningDelta(reasoning))
        content = delta.get("content")
        if content:
            if not isinstance(content, str):
                raise TypeError("content is not text")
            events.append(TextDelta(content))
        for call in delta.get("tool_calls") or []:
            function = call.get("function") or {}
            events.append(
                ToolCallDelta(
                    int(call["index"]),
                    _text(call.get("id")),
                    _text(function.get("name")),
                    _text(function.get("arguments")),
                )
            )
        logprobs = (choice.get("logprobs") or {}).get("content")
        if logprobs:
            events.append(LogprobsDelta(tuple(_logprob(lp) for lp in logprobs)))
        if choice.get("finish_reason"):
            events.append(Finish(str(choice["finish_reason"])))
    return events


def _text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError("a tool call field is not text")
    return value


def _stream_error(error: Any, started: bool, key: str | None) -> ProviderFailure:
    """An error object in the middle of a stream (OpenRouter and vLLM send these)."""
    message = error.get("message") if isinstance(error, dict) else str(error)
    kind = stream_error_kind(ErrorKind.SERVER_ERROR, started)
    return failure(kind, f"The server reported an error: {message or 'unknown error'}", key)


def _usage(raw: dict[str, Any]) -> Usage:
    prompt_details = raw.get("prompt_tokens_details") or {}
    completion_details = raw.get("completion_tokens_details") or {}
    return Usage(
        input_tokens=raw.get("prompt_tokens") or 0,
        output_tokens=raw.get("completion_tokens") or 0,
        cache_read_tokens=prompt_details.get("cached_tokens") or 0,
        reasoning_tokens=completion_details.get("reasoning_tokens") or 0,
    )


def _logprob(lp: dict[str, Any]) -> TokenLogprob:
    top = tuple((t["token"], t["logprob"]) for t in (lp.get("top_logprobs") or []))
    return TokenLogprob(lp["token"], lp["logprob"], top)
