"""Blind comparisons: what a recorded call shows while its comparison waits for the vote."""

from __future__ import annotations

from dataclasses import replace

from playground.history.records import CallRecord

HIDDEN_ENDPOINT = "blind"
HIDDEN_MODEL = "not revealed"


def masked(row: CallRecord) -> CallRecord:
    """``row`` without anything that tells the model apart: names, parameters, tokens (their count
    depends on the tokenizer), cost, price and timings. The prompt and the answer stay."""
    return replace(
        row,
        endpoint=HIDDEN_ENDPOINT,
        api=None,
        base_url=None,
        model=HIDDEN_MODEL,
        params={},
        input_tokens=None,
        output_tokens=None,
        cache_read_tokens=None,
        cache_write_tokens=None,
        cache_write_1h_tokens=None,
        reasoning_tokens=None,
        cost_usd=None,
        cost_input_usd=None,
        cost_output_usd=None,
        cost_estimated=False,
        cost_pusd=None,
        price_source=None,
        ttft_ms=None,
        duration_ms=None,
        tokens_per_s=None,
        error_message=None if row.error_message is None else "hidden until the vote",
        compare_column=None,
        extra={},
    )
