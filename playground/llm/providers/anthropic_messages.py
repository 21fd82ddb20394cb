"""Anthropic Messages through the official anthropic SDK."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from playground.llm.cancel import CancelToken
from playground.llm.errors import ErrorKind
from playground.llm.events import Event, Finish, ReasoningDelta, RequestSent, TextDelta, UsageReport
from playground.llm.params import MAX_TOKENS
from playground.llm.providers.base import (
    CUT_SHORT,
    MALFORMED,
    ProviderFailure,
    ProviderOptions,
    failure,
    retry_after_from,
    transport_failure,
)
from playground.llm.providers.sse import iter_events
from playground.llm.request import Request
from playground.llm.usage import Usage

NO_KEY = "no-key"
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
        "messages": [m.to_dict() for m in request.messages],
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
    body["stream"] = True
    return body


class AnthropicProvider:
    def __init__(self, options: ProviderOptions):
        import anthropic

        self._options = options
        self._key = options.api_key
        self._client = anthropic.Anthropic(
            api_key=options.api_key or NO_KEY,
            base_url=options.endpoint.base_url or None,
            max_retries=0,
            timeout=anthropic.Timeout(options.timeout_s, connect=options.connect_s),
        )

    def request_body(self, request: Request, params: dict[str, Any]) -> dict[str, Any]:
        return request_body(request, params)

    def stream(self, request: Request, params: dict[str, Any], cancel: CancelToken) -> Iterator[Event]:
        body = self.request_body(request, params)
        body.pop("stream")
        extra = {name: body.pop(name) for name in _BODY_ONLY if name in body}
        started = False
        finished = False
        usage = Usage()
        stop_reason = None
        try:
            create = self._client.messages.with_streaming_response.create
            yield RequestSent(time.monotonic())
            with create(**body, stream=True, extra_body=extra or None) as response:
                cancel.on_cancel(response.close)
                for sse in iter_events(response.iter_lines()):
                    if sse.event == "ping":
                        continue
                    try:
                        event = json.loads(sse.data)
                        kind = event.get("type") if isinstance(event, dict) else None
                        if not isinstance(kind, str):
                            raise TypeError("expected an event object with a type")
                        if kind == "error":
                            raise _stream_error(event.get("error") or {}, started, self._key)
                        usage, out, stop_reason = _event_events(event, kind, usage, stop_reason)
                    except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
                        raise failure(ErrorKind.MALFORMED_STREAM, f"{MALFORMED}: {exc}.", self._key) from exc
                    for item in out:
                        if isinstance(item, (TextDelta, ReasoningDelta)):
                            started = True
                        elif isinstance(item, Finish):
                            finished = True
                        yield item
        except ProviderFailure:
            raise
        except Exception as exc:
            if cancel.cancelled:
                return
            raise self._sort(exc, started) from exc
        if not finished and not cancel.cancelled:
            raise failure(ErrorKind.STREAM_CUT, CUT_SHORT, None)

    def list_models(self) -> list[str]:
        try:
            return sorted(m.id for m in self._client.models.list())
        except Exception as exc:
            raise self._sort(exc, False) from exc

    def count_tokens(self, request: Request) -> int | None:
        """Anthropic's count-tokens endpoint: exact, free, but needs a key and the network."""
        if not self._key:
            return None
        kwargs: dict[str, Any] = {"model": request.model, "messages": [m.to_dict() for m in request.messages]}
        if request.system:
            kwargs["system"] = request.system
        try:
            return self._client.messages.count_tokens(**kwargs).input_tokens
        except Exception as exc:
            raise self._sort(exc, False) from exc

    def _sort(self, exc: Exception, started: bool) -> ProviderFailure:
        import anthropic

        key = self._key
        if isinstance(exc, json.JSONDecodeError):
            return failure(ErrorKind.MALFORMED_STREAM, f"{MALFORMED}: {exc.msg}.", key)
        if isinstance(exc, anthropic.APITimeoutError):
            return failure(ErrorKind.TIMEOUT, "The server took too long to answer.", key)
        if isinstance(exc, anthropic.APIConnectionError):
            if started:
                return failure(
                    ErrorKind.STREAM_CUT, "The connection dropped in the middle of the answer.", key
                )
            return failure(ErrorKind.NETWORK, "Could not reach the server.", key)
        if isinstance(exc, anthropic.APIStatusError):
            return _status_failure(exc, key, started)
        transport = transport_failure(exc, started, key)
        if transport is not None:
            return transport
        raise exc


def _status_failure(exc, key: str | None, started: bool) -> ProviderFailure:
    status = exc.status_code
    err_type, message = _error_body(exc)
    wait = retry_after_from(exc.response.headers)
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
    if started and kind == ErrorKind.SERVER_ERROR:
        # An error event after text arrived: the answer was cut off, what came is kept.
        kind = ErrorKind.STREAM_CUT
    label = {
        ErrorKind.KEY_REJECTED: "The API key was rejected",
        ErrorKind.OUT_OF_CREDIT: "Out of credit",
        ErrorKind.RATE_LIMITED: "Rate limited",
        ErrorKind.MODEL_NOT_FOUND: "Not found",
        ErrorKind.SERVER_ERROR: "Server error",
        ErrorKind.CONTEXT_TOO_LONG: "The prompt is too long",
        ErrorKind.STREAM_CUT: "The answer was cut off by a server error",
    }.get(kind, "The server refused the request")
    code = f" ({status})" if status and status != 200 else ""
    return failure(kind, f"{label}{code}: {message}", key, retry_after=wait, status=status)


def _error_body(exc) -> tuple[str, str]:
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            return str(inner.get("type", "")), str(inner.get("message", exc.message))
    return "", str(exc.message)


def _stream_error(error: dict[str, Any], started: bool, key: str | None) -> ProviderFailure:
    """An error event inside the stream (overloaded mid-answer, for one)."""
    kind = _ERROR_KINDS.get(str(error.get("type")), ErrorKind.SERVER_ERROR)
    message = str(error.get("message") or "unknown error")
    if started and kind == ErrorKind.SERVER_ERROR:
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
        elif delta.get("type") == "thinking_delta" and delta.get("thinking"):
            out.append(ReasoningDelta(_text(delta["thinking"])))
    elif kind == "message_delta":
        usage = _merge_usage(usage, event.get("usage") or {})
        out.append(UsageReport(usage))
        stop_reason = (event.get("delta") or {}).get("stop_reason") or stop_reason
    elif kind == "message_stop":
        out.append(Finish(stop_reason or "end_turn"))
    return usage, out, stop_reason


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
