"""The typed events a provider stream yields and the runner passes on."""

from __future__ import annotations

from dataclasses import dataclass

from playground.llm.errors import CallError
from playground.llm.usage import Usage


@dataclass(frozen=True)
class TextDelta:
    text: str


@dataclass(frozen=True)
class ReasoningDelta:
    """Reasoning or thinking text, shown apart from the answer."""

    text: str


@dataclass(frozen=True)
class ToolCallDelta:
    """A piece of the ``index``-th tool call: its id and name come first, its arguments in pieces."""

    index: int
    id: str = ""
    name: str = ""
    arguments: str = ""


@dataclass(frozen=True)
class TokenLogprob:
    token: str
    logprob: float
    top: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class LogprobsDelta:
    items: tuple[TokenLogprob, ...]


@dataclass(frozen=True)
class UsageReport:
    """Usage as the provider reported it; may arrive more than once (Anthropic's is cumulative).
    ``final`` is False for a count given before the answer (Anthropic's message_start): not what is billed."""

    usage: Usage
    final: bool = True


@dataclass(frozen=True)
class RequestSent:
    """The request was handed to the HTTP client at ``at`` (time.monotonic, taken in the streaming
    process): first-token time starts here, after SDK imports and client set-up."""

    at: float


@dataclass(frozen=True)
class Started:
    """A queued call (a comparison's) got its turn and is being sent; until then it is shown as queued."""


@dataclass(frozen=True)
class CallRow:
    """The runner asks the history for the call's row (``opened`` False), then has it (True); the
    request is sent only after. A history another program is writing to holds the call here, up to
    its busy timeout."""

    opened: bool


@dataclass(frozen=True)
class Finish:
    reason: str


@dataclass(frozen=True)
class Retrying:
    """The runner will try again after ``delay`` seconds because of ``error``."""

    attempt: int
    delay: float
    error: CallError


@dataclass(frozen=True)
class Failed:
    error: CallError


Event = (
    TextDelta
    | ReasoningDelta
    | ToolCallDelta
    | LogprobsDelta
    | UsageReport
    | RequestSent
    | Started
    | CallRow
    | Finish
    | Retrying
    | Failed
)
