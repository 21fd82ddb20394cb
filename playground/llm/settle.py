"""Token counts for calls that ended before the provider's final usage: counted from the text that arrived.

A cut, stopped, timed-out or killed stream is still billed for what was generated. The provider's
early figure (Anthropic's message_start says 1 output token) is not what it bills, so we count the text
with the model's tokenizer, keep the larger of the two and say which one we kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from playground.history.records import CallRecord
from playground.llm.endpoints import Endpoint
from playground.llm.usage import Usage
from playground.pricing.prices import Pricer
from playground.tokens.counter import TokenCounter

FROM_TEXT = "output estimated from the text that arrived"
REPORTED_LARGER = "output as the provider reported it before the end (larger than our count of the text)"


def settle_usage(
    counter: TokenCounter,
    model: str,
    *,
    reported: Usage | None,
    final: bool,
    text: str,
    reasoning: str,
    input_estimate: Callable[[], int],
) -> tuple[Usage, str]:
    """The usage to record and price, and a note on which figures are ours ('' when all are reported).
    ``input_estimate`` is asked only when the server did not report the prompt: counting loads the
    tokenizer (~40 MB, ~0.4 s), which a reported call never needs."""
    usage = reported or Usage()
    if reported is None or usage.input_tokens == 0:
        usage = replace(usage, input_tokens=input_estimate(), input_estimated=True)
    if reported is not None and final and (usage.output_tokens or not (text or reasoning)):
        return usage, ""
    answer = counter.count_text(model, text).tokens if text else 0
    thought = counter.count_text(model, reasoning).tokens if reasoning else 0
    counted = answer + thought
    if reported is not None and usage.output_tokens > counted:
        return replace(usage, output_estimated=True), REPORTED_LARGER
    usage = replace(
        usage,
        output_tokens=counted,
        reasoning_tokens=max(usage.reasoning_tokens, thought),
        output_estimated=True,
    )
    return usage, FROM_TEXT


def price_saved_row(
    row: CallRecord, endpoint: Endpoint | None, counter: TokenCounter, pricer: Pricer
) -> dict[str, Any]:
    """Columns to update on a row the app never finished (killed mid-stream) but whose text was saved:
    input counted from the prompt, output from the saved text, all marked as estimates. Without its
    endpoint (an ad-hoc ``--base-url`` one is not kept) the price is guessed from the model name."""
    from playground.llm.request import Message

    messages = tuple(Message.from_dict(m) for m in row.messages)
    usage, _ = settle_usage(
        counter,
        row.model,
        reported=None,
        final=False,
        text=row.output or "",
        reasoning=row.reasoning or "",
        input_estimate=lambda: counter.count_prompt(row.model, row.system or "", messages).tokens,
    )
    if endpoint is None:
        cost = pricer.price_by_model_name(row.model, usage)
    else:
        cost = pricer.price(endpoint, row.model, usage)
    return {
        "input_tokens": usage.input_tokens,
        "input_estimated": 1,
        "output_tokens": usage.output_tokens,
        "output_estimated": 1,
        "reasoning_tokens": usage.reasoning_tokens,
        "cost_usd": _text(cost.total),
        "cost_input_usd": _text(cost.input),
        "cost_output_usd": _text(cost.output),
        "cost_estimated": 1,
        "price_source": cost.source,
    }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
