"""Errors a user can understand, kept apart from bugs, and key redaction for every message."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from playground.llm.apis import API_TITLES


class ErrorKind(StrEnum):
    KEY_MISSING = "key_missing"
    KEY_REJECTED = "key_rejected"
    OUT_OF_CREDIT = "out_of_credit"
    RATE_LIMITED = "rate_limited"
    BAD_REQUEST = "bad_request"
    INVALID_PARAMETER = "invalid_parameter"
    CONTEXT_TOO_LONG = "context_too_long"
    MODEL_NOT_FOUND = "model_not_found"
    SERVER_ERROR = "server_error"
    NETWORK = "network"
    CONNECTION_CLOSED = "connection_closed"  # closed before any byte of an answer: tried again at once
    TIMEOUT = "timeout"
    STREAM_CUT = "stream_cut"
    BAD_RESPONSE = "bad_response"
    MALFORMED_STREAM = "malformed_stream"
    CANCELLED = "cancelled"
    UNKNOWN_ENDPOINT = "unknown_endpoint"
    INTERNAL = "internal"
    HISTORY_UNAVAILABLE = "history_unavailable"


ADVICE: dict[ErrorKind, str] = {
    ErrorKind.KEY_MISSING: (
        "Add the {key_name} key: run `playground keys set {key_name}` (or Settings ▸ Keys)."
    ),
    ErrorKind.KEY_REJECTED: (
        "Check the {key_name} key of endpoint {endpoint}: run `playground keys set {key_name}` "
        "(or Settings ▸ Keys)."
    ),
    ErrorKind.OUT_OF_CREDIT: "Add credit or raise the quota in the provider's billing page.",
    ErrorKind.RATE_LIMITED: "Wait a little and run again, or lower the number of parallel runs.",
    ErrorKind.BAD_REQUEST: "Check the parameters and the model name.",
    ErrorKind.INVALID_PARAMETER: "Change the parameter and run again.",
    ErrorKind.CONTEXT_TOO_LONG: "Shorten the prompt or lower max tokens.",
    ErrorKind.MODEL_NOT_FOUND: "Pick a model this endpoint offers.",
    ErrorKind.SERVER_ERROR: "The provider is having trouble; try again in a moment.",
    ErrorKind.NETWORK: "Check the network connection and the base URL of endpoint {endpoint}.",
    ErrorKind.CONNECTION_CLOSED: (
        "It was tried again at once; run again, and check the base URL of endpoint {endpoint} if it"
        " keeps happening."
    ),
    # the message says whether text was kept (a connect timeout has none): not said again here
    ErrorKind.TIMEOUT: "Try again, or raise the limit: {timeout_settings}.",
    ErrorKind.STREAM_CUT: "The text that arrived is kept; run again for a full answer.",
    ErrorKind.BAD_RESPONSE: "The server's reply did not follow the API; check the endpoint's API style.",
    ErrorKind.MALFORMED_STREAM: (
        "The server sent a chunk that does not follow the {api} API; the text that arrived is kept. "
        "Check that endpoint {endpoint} uses the right API style."
    ),
    ErrorKind.CANCELLED: "",
    ErrorKind.UNKNOWN_ENDPOINT: "Run `playground endpoints list` to see the endpoints.",
    ErrorKind.INTERNAL: "This is a bug in LLM Playground; the log has the details.",
    ErrorKind.HISTORY_UNAVAILABLE: (  # a lock is the usual cause, and it passes: it comes first
        "If another program is using the history file, run again in a moment; if it keeps failing, "
        "check the folder's free space and permissions, or set PLAYGROUND_HOME to another folder."
    ),
}

# In the window, the same advice without the command line.
ADVICE_GUI: dict[ErrorKind, str] = {
    ErrorKind.KEY_MISSING: "Add a key for {key_name} in Settings ▸ Keys.",
    ErrorKind.KEY_REJECTED: "Check the {key_name} key of endpoint {endpoint} in Settings ▸ Keys.",
    ErrorKind.UNKNOWN_ENDPOINT: "Pick another model, or add the endpoint in Settings ▸ Endpoints.",
}

RETRYABLE = frozenset({ErrorKind.RATE_LIMITED, ErrorKind.SERVER_ERROR, ErrorKind.CONNECTION_CLOSED})
# The settings a timeout can be fixed with (playground.history.general_settings; env vars override).
TIMEOUT_SETTINGS = (
    "Settings ▸ General ▸ Streams (or the environment variables PLAYGROUND_CONNECT_TIMEOUT, "
    "PLAYGROUND_IDLE_TIMEOUT and PLAYGROUND_DEADLINE, in seconds)"
)


@dataclass(frozen=True)
class Where:
    """Which endpoint a call went to, so advice names its key and API, not a guess."""

    endpoint: str = ""
    key_name: str | None = None
    api: str = ""


@dataclass(frozen=True)
class CallError:
    """A known failure of a call: shown kindly, recorded in history, never with a key in it."""

    kind: ErrorKind
    message: str
    retry_after: float | None = None
    status_code: int | None = None
    where: Where | None = None  # set by the runner: the endpoint this call used

    def at(self, where: Where) -> CallError:
        return self if self.where is not None else replace(self, where=where)

    def advice(self, key_name: str | None = None, gui: bool = False) -> str:
        """What to do about it; the endpoint recorded with the error wins over a caller's guess."""
        where = self.where or Where(key_name=key_name)
        name = where.key_name or key_name or where.endpoint or "<key name>"
        text = ADVICE_GUI.get(self.kind) if gui else None
        return (text or ADVICE[self.kind]).format(
            key_name=name,
            endpoint=where.endpoint or "(this endpoint)",
            api=_API_NAMES.get(where.api, where.api or "endpoint's"),
            timeout_settings=TIMEOUT_SETTINGS,
        )


_API_NAMES = API_TITLES


class PlaygroundError(Exception):
    """Raised for known errors (bad input, missing endpoint...) outside a running call."""

    def __init__(self, error: CallError):
        super().__init__(error.message)
        self.error = error

    @classmethod
    def of(cls, kind: ErrorKind, message: str) -> PlaygroundError:
        return cls(CallError(kind, message))


# Shapes of provider keys, removed even when we do not know the exact key (a server may echo it).
_KEY_PATTERNS = re.compile(
    r"(sk-ant-[A-Za-z0-9_\-]{8,}|sk-[A-Za-z0-9_\-]{8,}|gsk_[A-Za-z0-9]{8,}|xai-[A-Za-z0-9]{8,}"
    r"|Bearer\s+[A-Za-z0-9_\-\.]{8,})"
)


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """Remove every given secret and anything shaped like an API key from ``text``."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "[redacted]")
    return _KEY_PATTERNS.sub("[redacted]", text)
