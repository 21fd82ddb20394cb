"""The one interface every provider adapter implements, and the streaming skeleton both adapters share."""

from __future__ import annotations

import importlib
import json
import math
import socket
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Generator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from playground.llm.cancel import CancelToken
from playground.llm.endpoints import Endpoint
from playground.llm.errors import CallError, ErrorKind, redact
from playground.llm.events import Event, Finish, ReasoningDelta, RequestSent, TextDelta, ToolCallDelta
from playground.llm.providers.sse import ServerSentEvent, iter_events
from playground.llm.request import Request
from playground.llm.vision import refuse_reason

DEFAULT_TIMEOUT_S = 120.0
CONNECT_TIMEOUT_S = 10.0
CUT_SHORT = "The answer stopped before the server said it was done."
DROPPED = "The connection dropped in the middle of the answer."
MALFORMED = "The server sent a chunk that is not what its API promises"


LIMIT_VARIABLES = {
    "connect_s": "PLAYGROUND_CONNECT_TIMEOUT",
    "idle_s": "PLAYGROUND_IDLE_TIMEOUT",
    "overall_s": "PLAYGROUND_DEADLINE",
}


@dataclass(frozen=True)
class StreamLimits:
    """How long a stream may take: to connect, between two events (keep-alive comments do not count),
    and in all. Each ends the call as a timeout row that keeps the text."""

    connect_s: float = CONNECT_TIMEOUT_S
    idle_s: float = 60.0
    overall_s: float = 600.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> StreamLimits:
        """The defaults, overridden by positive numbers in the environment (others are ignored)."""
        values: dict[str, float] = {}
        for field_name, var in LIMIT_VARIABLES.items():
            try:
                value = float(environ.get(var, ""))
            except ValueError:
                continue
            if math.isfinite(value) and value > 0:
                values[field_name] = value
        return cls(**values)


@dataclass(frozen=True)
class ProviderOptions:
    endpoint: Endpoint
    api_key: str | None
    timeout_s: float = DEFAULT_TIMEOUT_S
    connect_s: float = CONNECT_TIMEOUT_S


class Provider(Protocol):
    """Streams one call as our own events; raises ProviderFailure for known failures. ``stream`` also
    yields None at a quiet moment (a keep-alive, a poll that found nothing): nothing new, but the
    reader may look at its deadlines and save what it has. A cancel ends the stream at once."""

    def stream(
        self, request: Request, params: dict[str, Any], cancel: CancelToken
    ) -> Generator[Event | None, None, None]: ...

    def list_models(self) -> list[str]: ...

    def count_tokens(self, request: Request) -> int | None:
        """The provider's exact prompt count where it offers one, else None."""
        ...

    def request_body(self, request: Request, params: dict[str, Any]) -> dict[str, Any]:
        """The JSON body this provider would send (for 'view code' and the history row)."""
        ...


class ProviderFailure(Exception):
    """A known failure of a call, already sorted into a kind and with any key removed."""

    def __init__(self, error: CallError):
        super().__init__(error.message)
        self.error = error


CLOSED = frozenset({"RemoteProtocolError", "ReadError"})  # transport errors of a closed connection


def _not_reached(name: str | None, message: str, key: str | None) -> ProviderFailure:
    """No byte of an answer came. A connection the server closed (a pooled keep-alive it had just
    dropped, which HTTP clients retry) is CONNECTION_CLOSED, retried at once; anything else, e.g. a
    refused connection, is NETWORK and fails at once."""
    if name in CLOSED:
        return failure(
            ErrorKind.CONNECTION_CLOSED, f"The server closed the connection ({name}).", key, retry_after=0.0
        )
    return failure(ErrorKind.NETWORK, message, key)


def failure(
    kind: ErrorKind,
    message: str,
    key: str | None,
    *,
    retry_after: float | None = None,
    status: int | None = None,
) -> ProviderFailure:
    return ProviderFailure(CallError(kind, redact(message, [key]), retry_after, status))


def retry_after_from(headers: Any) -> float | None:
    """Seconds to wait from retry-after-ms or Retry-After (seconds; HTTP dates are not used by these APIs)."""
    if headers is None:
        return None
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value:
            try:
                return max(float(value) * scale, 0.0)
            except ValueError:
                continue
    return None


def transport_failure(exc: BaseException, started: bool, key: str | None) -> ProviderFailure | None:
    """Sort an httpx/httpx2 transport error (the SDKs do not always wrap them while streaming)."""
    name = type(exc).__name__
    if "Timeout" in name:
        return failure(ErrorKind.TIMEOUT, "The server took too long to answer.", key)
    if name in {
        "RemoteProtocolError",
        "ReadError",
        "ConnectError",
        "NetworkError",
        "WriteError",
        "LocalProtocolError",
        "ProtocolError",
        "TransportError",
        "CloseError",
    }:
        if started:
            return failure(ErrorKind.STREAM_CUT, DROPPED, key)
        return _not_reached(name, f"Could not reach the server ({name}).", key)
    return None


NO_KEY = "no-key"  # the SDKs insist on a key; keyless local servers ignore it
STREAM_END = None  # what a ChunkParser returns for the API's own end-of-stream marker
_CHUNK_ERRORS = (ValueError, TypeError, AttributeError, KeyError, IndexError)


class ChunkParser(Protocol):
    """One stream's reading of its server-sent events (may keep state across them)."""

    def events(self, sse: ServerSentEvent, started: bool) -> list[Event] | None:
        """Our events from one SSE event; None at the end marker. A wrong shape raises one of
        ValueError, TypeError, AttributeError, KeyError, IndexError (a malformed stream)."""
        ...


class StreamingProvider(ABC):
    """The skeleton both adapters share: the SDK client, one request through its streaming response,
    the SSE loop (cancel, keep-alives, malformed chunks, early ends) and the sorting of failures.
    An adapter gives only what differs: its body, its endpoint, its chunks and its status errors."""

    sdk_module: str  # imported on first use: the SDKs are heavy and the GUI must start before they load
    client_class: str
    # Called once the SDK is loaded and just before the request goes out (the stream worker waits
    # there for other SDKs it is importing: their imports would delay this stream's first token).
    before_send: Callable[[CancelToken], None] | None = None

    def __init__(self, options: ProviderOptions):
        self._options = options
        self._key = options.api_key
        self._sdk: Any = importlib.import_module(self.sdk_module)
        self._client: Any = getattr(self._sdk, self.client_class)(
            api_key=options.api_key or NO_KEY,
            base_url=options.endpoint.base_url or None,
            max_retries=0,  # the runner retries, visibly and cancellably
            timeout=self._sdk.Timeout(options.timeout_s, connect=options.connect_s),
        )

    @abstractmethod
    def request_body(self, request: Request, params: dict[str, Any]) -> dict[str, Any]: ...

    @abstractmethod
    def _create(self) -> Callable[..., AbstractContextManager[Any]]:
        """The SDK's ``with_streaming_response.create`` of this API."""

    @abstractmethod
    def _body_only(self) -> tuple[str, ...]:
        """Parameters the SDK has no argument for: sent in ``extra_body``."""

    @abstractmethod
    def _parser(self, params: dict[str, Any]) -> ChunkParser: ...

    @abstractmethod
    def _status_error(self, exc: Any, status: int, err_type: str, message: str) -> tuple[ErrorKind, str]:
        """The kind and the message of an HTTP error answer."""

    def stream(
        self, request: Request, params: dict[str, Any], cancel: CancelToken
    ) -> Generator[Event | None, None, None]:
        images = tuple(i for m in request.messages for i in m.images)
        refused = refuse_reason(request.model, images)
        if refused:
            raise failure(ErrorKind.INVALID_PARAMETER, refused, self._key)
        body = self.request_body(request, params)
        body.pop("stream")
        extra = {name: body.pop(name) for name in self._body_only() if name in body}
        parser = self._parser(params)
        started = False
        finished = False
        try:
            create = self._create()
            if self.before_send is not None:
                self.before_send(cancel)
                if cancel.cancelled:
                    return
            yield RequestSent(time.monotonic())
            with create(**body, stream=True, extra_body=extra or None) as response:
                cancel.on_cancel(lambda: abort(response))
                for sse in iter_events(response.iter_lines()):
                    if cancel.cancelled:
                        return
                    if sse is None:
                        yield None
                        continue
                    try:
                        events = parser.events(sse, started)
                    except _CHUNK_ERRORS as exc:
                        raise failure(ErrorKind.MALFORMED_STREAM, f"{MALFORMED}: {exc}.", self._key) from exc
                    if events is STREAM_END:
                        break
                    if not events:
                        yield None  # a ping or an event with nothing for us
                    for event in events:
                        if isinstance(event, (TextDelta, ReasoningDelta, ToolCallDelta)):
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
            return sorted(str(m.id) for m in self._client.models.list())
        except Exception as exc:
            raise self._sort(exc, False) from exc

    def count_tokens(self, request: Request) -> int | None:
        return None

    def _sort(self, exc: Exception, started: bool) -> ProviderFailure:
        """A known failure from an SDK or transport error; anything else is a bug and raised as is."""
        sdk, key = self._sdk, self._key
        if isinstance(exc, json.JSONDecodeError):
            return failure(ErrorKind.MALFORMED_STREAM, f"{MALFORMED}: {exc.msg}.", key)
        if isinstance(exc, sdk.APITimeoutError):
            return failure(ErrorKind.TIMEOUT, "The server took too long to answer.", key)
        if isinstance(exc, sdk.APIConnectionError):
            if started:
                return failure(
                    ErrorKind.STREAM_CUT, "The connection dropped in the middle of the answer.", key
                )
            cause = type(exc.__cause__).__name__ if exc.__cause__ else None
            return _not_reached(cause, "Could not reach the server" + (f" ({cause})." if cause else "."), key)
        if isinstance(exc, sdk.APIStatusError):
            status = int(exc.status_code)
            err_type, message = error_body(exc)
            kind, text = self._status_error(exc, status, err_type, message)
            if started and kind == ErrorKind.SERVER_ERROR:
                kind = ErrorKind.STREAM_CUT  # after text arrived: the answer was cut off, what came is kept
            wait = retry_after_from(exc.response.headers)
            return failure(kind, text, key, retry_after=wait, status=status)
        if isinstance(exc, sdk.APIError):
            kind = ErrorKind.STREAM_CUT if started else ErrorKind.SERVER_ERROR
            return failure(kind, f"The server reported an error: {exc.message}", key)
        transport = transport_failure(exc, started, key)
        if transport is not None:
            return transport
        raise exc


def abort(response: Any) -> None:
    """End a streaming response from any thread, waking a read blocked in it: closing a socket from
    another thread does not wake its reader on Linux, shutting it down does. Then close as usual."""
    http = getattr(response, "http_response", response)
    network = getattr(http, "extensions", {}).get("network_stream")
    sock = network.get_extra_info("socket") if network is not None else None
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already closed or never connected: nothing is blocked on it
    response.close()


def error_body(exc: Any) -> tuple[str, str]:
    """The error type and message of an SDK status error, from its JSON body where it has one."""
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and isinstance(inner.get("message"), str):
            return str(inner.get("type") or ""), str(inner["message"])
        if isinstance(body.get("message"), str):
            return "", str(body["message"])
    return "", str(exc.message)


def stream_error_kind(kind: ErrorKind, started: bool) -> ErrorKind:
    """A server error inside a stream after text arrived cuts the answer off; what came is kept."""
    return ErrorKind.STREAM_CUT if started and kind == ErrorKind.SERVER_ERROR else kind
