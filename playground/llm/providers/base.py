"""The one interface every provider adapter implements."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from playground.llm.cancel import CancelToken
from playground.llm.endpoints import Endpoint
from playground.llm.errors import CallError, ErrorKind, redact
from playground.llm.events import Event
from playground.llm.request import Request

DEFAULT_TIMEOUT_S = 120.0
CONNECT_TIMEOUT_S = 10.0
CUT_SHORT = "The answer stopped before the server said it was done."
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
    """Streams one call as our own events; raises ProviderFailure for known failures."""

    def stream(self, request: Request, params: dict[str, Any], cancel: CancelToken) -> Iterator[Event]: ...

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
            return failure(ErrorKind.STREAM_CUT, "The connection dropped in the middle of the answer.", key)
        return failure(ErrorKind.NETWORK, f"Could not reach the server ({name}).", key)
    return None
