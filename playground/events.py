"""The typed events a provider stream yields and the runner passes on."""

from __future__ import annotations

from dataclasses import dataclass

from playground.errors import CallError
from playground.usage import Usage


@dataclass(frozen=True)
class TextDelta:
    text: str


@dataclass(frozen=True)
class ReasoningDelta:
    """Reasoning or thinking text, shown apart from the answer."""

    text: str


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
    """Usage as the provider reported it; may arrive more than once (Anthropic's is cumulative)."""

    usage: Usage


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


Event = TextDelta | ReasoningDelta | LogprobsDelta | UsageReport | Finish | Retrying | Failed
