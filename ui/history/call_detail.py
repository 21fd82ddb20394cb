"""One recorded call in full: messages, parameters, answer, usage with its marks, cost and timings."""

from __future__ import annotations

import html
import json

from playground import formatting
from playground.history.records import CallRecord
from ui.common.safe_text import SafeBrowser


def _mark(estimated: bool) -> str:
    return " <i>(estimate)</i>" if estimated else " <i>(reported)</i>"


def render(row: CallRecord, cache_savings: str = "", prompt_link: str = "") -> str:
    e = html.escape
    parts = [
        f"<h3>{e(row.endpoint)} / {e(row.model)}</h3>",
        f"<p>{e(row.started_text)} UTC · <b>{e(row.status)}</b>"
        + (f" · {e(row.finish_reason)}" if row.finish_reason else "")
        + "</p>",
    ]
    if prompt_link:
        parts.append(f"<p><small>{e(prompt_link)}</small></p>")
    if row.error_message:
        parts.append(f"<p style='color:#c9302c'>{e(row.error_kind or '')}: {e(row.error_message)}</p>")
    if row.system:
        parts.append(f"<p><b>system</b><br>{e(row.system).replace(chr(10), '<br>')}</p>")
    for message in row.messages:
        parts.append(
            f"<p><b>{e(message['role'])}</b><br>{e(message['content']).replace(chr(10), '<br>')}</p>"
        )
    if row.params:
        parts.append(f"<p><b>parameters</b> <code>{e(json.dumps(row.params, sort_keys=True))}</code></p>")
    if row.reasoning:
        parts.append(f"<p><b>reasoning</b><br><i>{e(row.reasoning).replace(chr(10), '<br>')}</i></p>")
    parts.append(f"<p><b>answer</b><br>{e(row.output or '').replace(chr(10), '<br>')}</p>")
    usage = [
        f"input {formatting.tokens(row.input_tokens)}{_mark(row.input_estimated)}",
        f"output {formatting.tokens(row.output_tokens)}{_mark(row.output_estimated)}",
    ]
    if row.unbilled:  # nothing was reported: "0 (reported)" would say the provider counted none
        usage = [
            f"none ({'the call failed before any output' if row.unbilled == 'not billed' else 'never sent'})"
        ]
    if row.cache_read_tokens:
        usage.append(f"cached read {row.cache_read_tokens:,}")
    if row.cache_write_tokens:
        hour = f" ({row.cache_write_1h_tokens:,} for 1 h)" if row.cache_write_1h_tokens else ""
        usage.append(f"cache write {row.cache_write_tokens:,}{hour}")
    if cache_savings:
        usage.append(f"against no caching: {e(cache_savings)}")
    if row.reasoning_tokens:
        usage.append(f"reasoning {row.reasoning_tokens:,} (in output)")
    parts.append("<p><b>usage</b> " + " · ".join(usage) + "</p>")
    if row.unbilled:
        parts.append(f"<p><b>cost</b> {row.unbilled}<br><small>{e(row.price_source or '')}</small></p>")
    elif row.price_source:
        cost = f"<b>cost</b> {formatting.usd(row.cost_usd, row.cost_estimated)}"
        if row.cost_input_usd is not None and row.cost_output_usd is not None:
            split = (formatting.usd(row.cost_input_usd), formatting.usd(row.cost_output_usd))
            cost += f" = input {split[0]} + output {split[1]}"
        elif row.cost_usd is not None:  # imported calls may carry the total alone
            cost += " (no input/output split recorded)"
        cost += f"<br><small>price: {e(row.price_source)}</small>"
        parts.append(f"<p>{cost}</p>")
    timing = [
        f"first token {formatting.millis(row.ttft_ms)}",
        f"duration {formatting.millis(row.duration_ms)}",
    ]
    if row.tokens_per_s:
        timing.append(f"{row.tokens_per_s:,.0f} tok/s")
    if row.retries:
        timing.append(f"{row.retries} retries")
    parts.append("<p><b>timing</b> " + " · ".join(timing) + "</p>")
    if row.group_id:
        parts.append(f"<p><small>comparison {e(row.group_id)}</small></p>")
    return "".join(parts)


PLACEHOLDER = "<p><i>Select a call to see it in full.</i></p>"


class CallDetail(SafeBrowser):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Call details")
        self._row: CallRecord | None = None
        self._savings = self._link = ""
        self.setHtml(PLACEHOLDER)

    def show_row(self, row: CallRecord | None) -> None:
        if row is None and self._row is None:
            return  # the placeholder already (every search clears the selection): no layout, no paint
        self._row, self._savings, self._link = row, "", ""
        self.setHtml(render(row) if row else PLACEHOLDER)

    def show_savings(self, row: CallRecord, words: str) -> None:
        """Add what caching saved, when ``row`` is still the one shown (priced in the background)."""
        if row is self._row:
            self._savings = words
            self.setHtml(render(row, words, self._link))

    def show_prompt_link(self, row: CallRecord, words: str) -> None:
        """Add "From prompt NAME vN" when ``row`` is still the one shown (looked up in the background)."""
        if row is self._row:
            self._link = words
            self.setHtml(render(row, self._savings, words))
