"""A call's row in the history, written so that a history that cannot take it never loses an answer.

The runner opens the row before sending (a call the history cannot record is not sent: it could not be
billed honestly) and closes it when the call ends; a write that fails after the provider has billed
keeps the answer in the result and says why it was not recorded.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable
from decimal import Decimal

from playground.history.calls import CallEnd, CallStart, HistoryStore
from playground.history.db_open import HistoryUnavailable
from playground.history.pending_ends import EndKeptAside
from playground.llm.endpoints import Endpoint
from playground.llm.errors import CallError, ErrorKind
from playground.llm.events import Event, Failed
from playground.llm.request import Request
from playground.llm.result import CallResult
from playground.pricing.prices import Cost

log = logging.getLogger(__name__)
Emit = Callable[[Event], None]
NOT_BILLED = Cost(Decimal(0), Decimal(0), Decimal(0), "not billed: the call failed before any output")
NOT_SENT = Cost(Decimal(0), Decimal(0), Decimal(0), "not sent: refused before the request")


class CallLog:
    """Starts and finishes call rows in ``history``; never raises for a history that cannot write."""

    def __init__(self, history: HistoryStore):
        self.history = history

    def start(self, start: CallStart) -> tuple[int | None, str]:
        """The new row's id, or None and why when the history cannot take it."""
        try:
            return self.history.start_call(start), ""
        # ValueError, RecursionError: params json cannot encode (a schema nested thousands deep)
        except (HistoryUnavailable, sqlite3.Error, OSError, ValueError, RecursionError) as exc:
            log.warning("call not started, the history cannot record it: %s", exc)
            return None, " ".join(_record_failure(exc).split())

    def finish(self, call_id: int, result: CallResult) -> None:
        """Write how the call ended. The provider has billed it by now, so a history that cannot take
        the write (locked past the busy timeout, disk full) must not lose the answer: the result keeps
        it and says why it was not recorded."""
        try:
            self.history.finish_call(call_id, _end_row(result))
        except EndKeptAside as exc:
            log.warning("call %s not recorded yet, kept in %s: %s", call_id, exc.path, exc.cause)
            why = " ".join(_record_failure(exc.cause).split()).rstrip(".")
            result.not_recorded = f"{why}; the answer is kept and recorded when the history is free"
            result.recorded_later = True
        except (HistoryUnavailable, sqlite3.Error, OSError) as exc:
            log.warning("call %s not recorded: %s", call_id, exc)
            result.not_recorded = " ".join(_record_failure(exc).split())

    def refused(
        self,
        request: Request,
        endpoint: Endpoint | None,
        error: CallError,
        emit: Emit,
        group_id: str | None,
        tag: str | None,
        position: tuple[int, int] | None = None,
        conversation_id: str | None = None,
    ) -> CallResult:
        """A call refused before sending is still an attempt: it lands in history with its reason."""
        api = endpoint.api if endpoint else ""
        base_url = endpoint.base_url if endpoint else None
        params = {
            k: v for k, v in request.params.items() if isinstance(v, (int, float, str, bool, list, dict))
        }
        start = CallStart(
            request, api, base_url, params, group_id, tag, position, conversation_id=conversation_id
        )
        call_id, why = self.start(start)
        result = CallResult(call_id, "error", error=error, cost=NOT_SENT)
        if call_id is None:
            result.not_recorded = why
        else:
            self.finish(call_id, result)
        emit(Failed(error))
        return result

    @staticmethod
    def unrecordable(reason: str, emit: Emit) -> CallResult:
        """Refused before sending, with the history's reason: nothing billed, nothing lost."""
        error = CallError(
            ErrorKind.HISTORY_UNAVAILABLE, f"Not sent: the history cannot record calls now. {reason}"
        )
        result = CallResult(None, "error", error=error, cost=NOT_SENT, not_recorded=reason)
        emit(Failed(error))
        return result


def _record_failure(exc: BaseException) -> str:
    if isinstance(exc, HistoryUnavailable):
        return exc.error.message
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        return f"the history database is busy ({exc}); another program is writing to it"
    return f"{type(exc).__name__}: {exc}"


def _calls_text(result: CallResult) -> str:
    """A round that only called tools is recorded with its calls as JSON (the next round's messages
    carry them too), so History never shows such a call as empty."""
    if not result.tool_calls:
        return ""
    return json.dumps({"tool_calls": [c.to_dict() for c in result.tool_calls]}, ensure_ascii=False)


def _end_row(result: CallResult) -> CallEnd:
    usage = result.usage
    cost = result.cost
    error = result.error
    return CallEnd(
        status=result.status,
        output=result.text or _calls_text(result),
        reasoning=result.reasoning,
        finish_reason=result.finish_reason,
        error_kind=str(error.kind) if error else None,
        error_message=error.message if error else None,
        input_tokens=usage.input_tokens,
        input_estimated=usage.input_estimated,
        output_tokens=usage.output_tokens,
        output_estimated=usage.output_estimated,
        cache_read_tokens=usage.cache_read_tokens,
        cache_write_tokens=usage.cache_write_tokens,
        cache_write_1h_tokens=usage.cache_write_1h_tokens,
        reasoning_tokens=usage.reasoning_tokens,
        cost_usd=cost.total if cost else None,
        cost_input_usd=cost.input if cost else None,
        cost_output_usd=cost.output if cost else None,
        cost_estimated=cost.estimated if cost else False,
        price_source=cost.source if cost else None,
        ttft_ms=result.ttft_ms,
        duration_ms=result.duration_ms,
        tokens_per_s=result.tokens_per_s,
        retries=result.retries,
    )
