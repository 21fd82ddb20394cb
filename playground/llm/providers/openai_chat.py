"""OpenAI Chat Completions, and every server that speaks it, through the official openai SDK."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from playground.llm.cancel import CancelToken
from playground.llm.endpoints import Endpoint
from playground.llm.errors import ErrorKind
from playground.llm.events import (
    Event,
    Finish,
    LogprobsDelta,
    ReasoningDelta,
    RequestSent,
    TextDelta,
    TokenLogprob,
    UsageReport,
)
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

NO_KEY = "no-key"  # the SDK insists on a key; keyless local servers ignore it
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
    messages += [m.to_dict() for m in request.messages]
    body: dict[str, Any] = {"model": request.model, "messages": messages}
    for name in _DIRECT:
        if name in params:
            body[name] = params[name]
    if "max_tokens" in params:
        # OpenAI itself wants max_completion_tokens; compatible servers mostly know only max_tokens.
        body["max_completion_tokens" if endpoint.official else "max_tokens"] = params["max_tokens"]
    if "top_k" in params:
        body["top_k"] = params["top_k"]
    body["stream"] = True
    body["stream_options"] = {"include_usage": True}
    return body


class OpenAIChatProvider:
    def __init__(self, options: ProviderOptions):
        import openai

        self._options = options
        self._key = options.api_key
        self._client = openai.OpenAI(
            api_key=options.api_key or NO_KEY,
            base_url=options.endpoint.base_url or None,
            max_retries=0,  # the runner retries, visibly and cancellably
            timeout=openai.Timeout(options.timeout_s, connect=options.connect_s),
        )

    def request_body(self, request: Request, params: dict[str, Any]) -> dict[str, Any]:
        return request_body(self._options.endpoint, request, params)

    def stream(self, request: Request, params: dict[str, Any], cancel: CancelToken) -> Iterator[Event]:
        body = self.request_body(request, params)
        body.pop("stream")
        extra = {"top_k": body.pop("top_k")} if "top_k" in body else None
        started = False
        finished = False
        try:
            create = self._client.chat.completions.with_streaming_response.create
            yield RequestSent(time.monotonic())
            with create(**body, stream=True, extra_body=extra) as response:
                cancel.on_cancel(response.close)
                for sse in iter_events(response.iter_lines()):
                    if sse.data.startswith("[DONE]"):
                        break
                    try:
                        events = _chunk_events(json.loads(sse.data), started, self._key)
                    except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
                        raise failure(ErrorKind.MALFORMED_STREAM, f"{MALFORMED}: {exc}.", self._key) from exc
                    for event in events:
                        if isinstance(event, (TextDelta, ReasoningDelta)):
                            started = True
                        elif isinstance(event, Finish):
                            finished = True
                        yield event
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
        return None

    def _sort(self, exc: Exception, started: bool) -> ProviderFailure:
        import openai

        key = self._key
        if isinstance(exc, json.JSONDecodeError):
            return failure(ErrorKind.MALFORMED_STREAM, f"{MALFORMED}: {exc.msg}.", key)
        if isinstance(exc, openai.APITimeoutError):
            return failure(ErrorKind.TIMEOUT, "The server took too long to answer.", key)
        if isinstance(exc, openai.APIConnectionError):
            cause = exc.__cause__
            if started:
                return failure(
                    ErrorKind.STREAM_CUT, "The connection dropped in the middle of the answer.", key
                )
            detail = f" ({type(cause).__name__})" if cause else ""
            return failure(ErrorKind.NETWORK, f"Could not reach the server{detail}.", key)
        if isinstance(exc, openai.APIStatusError):
            return _status_failure(exc, key)
        if isinstance(exc, openai.APIError):
            kind = ErrorKind.STREAM_CUT if started else ErrorKind.SERVER_ERROR
            return failure(kind, f"The server reported an error: {exc.message}", key)
        transport = transport_failure(exc, started, key)
        if transport is not None:
            return transport
        raise exc


def _status_failure(exc, key: str | None) -> ProviderFailure:
    status = exc.status_code
    message = _server_message(exc)
    code = (exc.code or "") + " " + (exc.type or "")
    wait = retry_after_from(exc.response.headers)
    if status in (401, 403):
        return failure(
            ErrorKind.KEY_REJECTED, f"The API key was rejected ({status}): {message}", key, status=status
        )
    if status == 402 or "insufficient_quota" in code:
        return failure(ErrorKind.OUT_OF_CREDIT, f"Out of credit or quota: {message}", key, status=status)
    if status == 429:
        return failure(
            ErrorKind.RATE_LIMITED, f"Rate limited: {message}", key, retry_after=wait, status=status
        )
    if status == 404:
        return failure(ErrorKind.MODEL_NOT_FOUND, f"Not found (404): {message}", key, status=status)
    if status in (400, 413, 422):
        lowered = message.lower()
        if "context_length" in code or "context length" in lowered or "too many tokens" in lowered:
            return failure(
                ErrorKind.CONTEXT_TOO_LONG, f"The prompt is too long: {message}", key, status=status
            )
        return failure(
            ErrorKind.BAD_REQUEST, f"The server refused the request: {message}", key, status=status
        )
    if status >= 500:
        return failure(
            ErrorKind.SERVER_ERROR,
            f"Server error ({status}): {message}",
            key,
            retry_after=wait,
            status=status,
        )
    return failure(ErrorKind.BAD_REQUEST, f"Unexpected answer ({status}): {message}", key, status=status)


def _server_message(exc) -> str:
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and isinstance(inner.get("message"), str):
            return inner["message"]
        if isinstance(body.get("message"), str):
            return body["message"]
    return exc.message


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
        logprobs = (choice.get("logprobs") or {}).get("content")
        if logprobs:
            events.append(LogprobsDelta(tuple(_logprob(lp) for lp in logprobs)))
        if choice.get("finish_reason"):
            events.append(Finish(str(choice["finish_reason"])))
    return events


def _stream_error(error: Any, started: bool, key: str | None) -> ProviderFailure:
    """An error object in the middle of a stream (OpenRouter and vLLM send these)."""
    message = error.get("message") if isinstance(error, dict) else str(error)
    kind = ErrorKind.STREAM_CUT if started else ErrorKind.SERVER_ERROR
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
