"""`playground run`: stream one call to the terminal; a signal stops it cleanly and keeps what arrived."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from playground.cli.errors import CliError, one_line
from playground.cli.input import parse_options, read_prompt, resolve_endpoint
from playground.history.records import CallStatus
from playground.llm.cancel import CancelToken
from playground.llm.events import ReasoningDelta, Retrying, TextDelta
from playground.llm.params import MAX_TOKENS
from playground.llm.request import Message, Request
from playground.llm.result import CallResult
from playground.llm.usage import Usage

if TYPE_CHECKING:
    from playground.core import Core

# Sent when the user gives no max_tokens, so every request bounds its cost (the GUI's default too).
DEFAULT_MAX_TOKENS: int = MAX_TOKENS.default
LEAVE_WAIT_S = 2.0  # after a second Ctrl+C, how long the call may take to record what it has
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class _Stopper:
    """Cancels the call on Ctrl+C, SIGTERM or SIGHUP and remembers which one came (for the exit code)."""

    def __init__(self, cancel: CancelToken):
        self.cancel = cancel
        self.signum: int | None = None
        self._previous: dict[int, Any] = {}

    def __call__(self, signum: int, _frame: Any) -> None:
        if self.signum is None:
            self.signum = signum
        self.cancel.cancel()
        self.restore()  # a second signal acts as usual (Ctrl+C twice leaves at once)

    @contextmanager
    def installed(self) -> Iterator[_Stopper]:
        if threading.current_thread() is threading.main_thread():
            for sig in STOP_SIGNALS:
                self._previous[sig] = signal.signal(sig, self)
        try:
            yield self
        finally:
            self.restore()

    def restore(self) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()


class _Terminal:
    """Writes the stream as it comes; a closed stdout (`| head -1`) stops the call instead of failing it."""

    def __init__(self, stream_text: bool, cancel: CancelToken):
        self.stream_text = stream_text
        self.cancel = cancel
        self.at_line_start = True
        self.pipe_closed = False

    def on_event(self, event: Any) -> None:
        try:
            if isinstance(event, TextDelta) and self.stream_text:
                sys.stdout.write(event.text)
                sys.stdout.flush()
                self.at_line_start = event.text.endswith("\n")
            elif isinstance(event, ReasoningDelta) and self.stream_text:
                sys.stderr.write(event.text)
                sys.stderr.flush()
            elif isinstance(event, Retrying):
                print(
                    f"playground: {event.error.kind}, retrying in {event.delay:.1f} s "
                    f"(attempt {event.attempt + 1})",
                    file=sys.stderr,
                )
        except BrokenPipeError:
            self.pipe_closed = True
            self.cancel.cancel()


def cmd_run(core: Core, args: argparse.Namespace) -> int:
    endpoint = resolve_endpoint(core, args)
    prompt = read_prompt(args)
    params = parse_options(args.option)
    params.setdefault("max_tokens", DEFAULT_MAX_TOKENS)
    request = Request(endpoint.name, args.model, (Message("user", prompt),), args.system, params)
    cancel = CancelToken()
    terminal = _Terminal(not args.json, cancel)
    outcome: list[CallResult | BaseException] = []

    def work() -> None:
        try:
            outcome.append(
                core.runner.run(
                    request,
                    endpoint=endpoint,
                    on_event=terminal.on_event,
                    cancel=cancel,
                    tag=args.tag,
                    compare_estimate=False,  # never shown here: a reported call needs no tokenizer
                )
            )
        except BaseException as exc:  # handed to the main thread, which reports it in one line
            outcome.append(exc)

    worker = threading.Thread(target=work, name="playground-run", daemon=True)
    with _Stopper(cancel).installed() as stopper:
        worker.start()
        try:
            while worker.is_alive():
                worker.join(0.1)
        except KeyboardInterrupt:  # a second Ctrl+C: leave, but not while the call still writes
            cancel.cancel()
            worker.join(LEAVE_WAIT_S)
            raise
    if terminal.pipe_closed:
        raise BrokenPipeError
    if not outcome:
        raise CliError("the call ended without a result; see the log")
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    for name, reason in result.dropped_params.items():
        print(f"playground: {name} was not sent: {reason}", file=sys.stderr)
    if terminal.stream_text and result.text and not terminal.at_line_start:
        sys.stdout.write("\n")
    if args.json:
        print(json.dumps(_result_json(result, args.model, params["max_tokens"])))
    sys.stdout.flush()
    if result.recorded_later:  # kept beside the history: recorded by the next command or app start
        print(f"playground: not recorded yet: {result.not_recorded}", file=sys.stderr)
    elif result.not_recorded:  # billed but not in history: the answer above stands, the failure is said
        raise CliError(f"the call was not recorded: {result.not_recorded}")
    if result.status == CallStatus.CANCELLED:
        what = f"stopped by {signal.Signals(stopper.signum).name}" if stopper.signum else "cancelled"
        print(f"playground: {what}; the partial answer is kept in history", file=sys.stderr)
        return 128 + stopper.signum if stopper.signum else 130
    if result.status != CallStatus.OK:
        if result.error is None:
            raise CliError(f"the call ended {result.status}")
        raise CliError(one_line(result.error, endpoint.key_name or "openai"))
    return 0


def _result_json(result: CallResult, model: str, max_tokens: Any) -> dict[str, Any]:
    usage: Usage = result.usage
    cost = result.cost
    return {
        "id": result.call_id,
        "status": result.status,
        "model": model,
        "text": result.text,
        "finish_reason": result.finish_reason,
        "max_tokens": _int(max_tokens),
        "input_tokens": usage.input_tokens,
        "output_tokens": usage.output_tokens,
        "cached_tokens": usage.cache_read_tokens,
        "reasoning_tokens": usage.reasoning_tokens,
        "input_estimated": usage.input_estimated,
        "output_estimated": usage.output_estimated,
        "cost_usd": str(cost.total) if cost and cost.total is not None else None,
        "cost_estimated": bool(cost and cost.estimated),
        "price_source": cost.source if cost else None,
        "ttft_ms": _round(result.ttft_ms),
        "duration_ms": _round(result.duration_ms),
        "tokens_per_s": _round(result.tokens_per_s),
        "retries": result.retries,
        "error_kind": str(result.error.kind) if result.error else None,
        "error": result.error.message if result.error else None,
        "not_recorded": result.not_recorded,
    }


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
