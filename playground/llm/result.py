"""How one call ended, as the runner hands it back (light: the GUI imports it at start-up)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from playground.llm.errors import CallError
from playground.llm.events import TokenLogprob
from playground.llm.schema import Validation
from playground.llm.tools import ToolCall
from playground.llm.usage import Usage
from playground.pricing.prices import Cost

if TYPE_CHECKING:
    from playground.pricing.cache_savings import CacheSavings


@dataclass
class CallResult:
    call_id: int | None
    status: str  # ok, error, cancelled
    text: str = ""
    reasoning: str = ""
    finish_reason: str | None = None
    usage: Usage = field(default_factory=Usage)
    usage_reported: bool = False
    usage_final: bool = False  # the provider's closing usage arrived (else output is counted from the text)
    usage_note: str = ""  # which figures are ours when the call ended early (see playground.llm.settle)
    cost: Cost | None = None
    error: CallError | None = None
    ttft_ms: float | None = None
    duration_ms: float | None = None
    tokens_per_s: float | None = None
    retries: int = 0
    dropped_params: dict[str, str] = field(default_factory=dict)
    estimated_input_tokens: int | None = None  # our count before sending, to compare with the report
    logprobs: list[TokenLogprob] = field(default_factory=list)
    not_recorded: str | None = None  # why the history could not record this call (the result still holds)
    recorded_later: bool = False  # not_recorded, but the end is kept aside and merged when it can be
    output_way: str = ""  # how a structured output was asked for ("response_format json_schema strict"...)
    validation: Validation | None = None  # whether the answer kept to its structured-output spec
    tool_calls: list[ToolCall] = field(default_factory=list)  # the calls the model made, arguments checked
    cache_savings: CacheSavings | None = None  # what prompt caching saved or cost (set where it is priced)
