"""Runs one request end to end: check, estimate, stream, time, price, record. The GUI calls this too."""

from __future__ import annotations

import functools
import logging
import os
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from playground.history.calls import CallStart, HistoryStore
from playground.history.config_store import ConfigStore
from playground.keys import KeyStore
from playground.llm.call_log import NOT_BILLED, CallLog, Emit
from playground.llm.cancel import CancelToken
from playground.llm.endpoints import Endpoint
from playground.llm.errors import RETRYABLE, CallError, ErrorKind, PlaygroundError, Where, redact
from playground.llm.events import (
    CallRow,
    Failed,
    Finish,
    LogprobsDelta,
    ReasoningDelta,
    RequestSent,
    Retrying,
    TextDelta,
    ToolCallDelta,
    UsageReport,
)
from playground.llm.params import Prepared, prepare
from playground.llm.providers import Provider, ProviderOptions, make_provider
from playground.llm.providers.base import DEFAULT_TIMEOUT_S, StreamLimits
from playground.llm.request import Request
from playground.llm.result import CallResult
from playground.llm.schema import spec_of, validate, way
from playground.llm.settle import settle_usage
from playground.llm.stream_pump import ProgressSaver, read_stream
from playground.llm.tools import CallBuffer, toolset_of
from playground.llm.usage import Usage
from playground.pricing.prices import Pricer
from playground.tokens.counter import TokenCount, TokenCounter, count_request, exact_or_estimate

log = logging.getLogger(__name__)
# Tokens per second needs this long between the first token and the end: text arrives in batches
# (a frame's worth, 16 ms, from our stream worker; more from some servers), so a shorter span
# measures the batching, not the model: 10 tokens in one batch read as 8,047 tok/s.
MIN_SPEED_WINDOW_S = 0.1
SAVE_EVERY_S = 1.0  # the text so far is saved this often: a kill -9 loses at most this much
ProviderFactory = Callable[[ProviderOptions], Provider]


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # first try plus three retries
    base_delay_s: float = 1.0
    max_wait_s: float = 60.0  # a longer Retry-After is reported, not waited out

    def delay(self, attempt: int, error: CallError) -> float | None:
        wait = error.retry_after
        if wait is None:
            wait = self.base_delay_s * 2 ** (attempt - 1) * (0.5 + random.random() / 2)
        return wait if wait <= self.max_wait_s else None


@dataclass(frozen=True)
class Setup:
    """A request resolved against its endpoint: checked parameters and the key to use."""

    endpoint: Endpoint
    prepared: Prepared
    key: str | None


class Runner:
    def __init__(
        self,
        *,
        history: HistoryStore,
        config: ConfigStore,
        keys: KeyStore,
        pricer: Pricer,
        counter: TokenCounter,
        provider_factory: ProviderFactory = make_provider,
        retry: RetryPolicy | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        clock: Callable[[], float] = time.monotonic,
        limits: StreamLimits | Callable[[], StreamLimits] | None = None,
        save_every_s: float = SAVE_EVERY_S,
    ):
        """``clock`` must agree with time.monotonic: first-token time starts at a RequestSent stamp taken
        with it in the streaming (possibly worker) process. ``limits`` default to the environment's; a
        function (the saved settings) is asked at each call, so a change applies to the next one."""
        self.history = history
        self._calls = CallLog(history)
        self.config = config
        self.keys = keys
        self.pricer = pricer
        self.counter = counter
        self._factory = provider_factory
        self._retry = retry or RetryPolicy()
        self._timeout_s = timeout_s
        self._clock = clock
        fixed = limits if isinstance(limits, StreamLimits) else StreamLimits.from_env(os.environ)
        self._limits_now: Callable[[], StreamLimits] = limits if callable(limits) else lambda: fixed
        self._save_every_s = save_every_s
        self._providers: dict[ProviderOptions, Provider] = {}
        self._providers_lock = threading.Lock()

    def setup(self, request: Request, endpoint: Endpoint | None = None, need_key: bool = True) -> Setup:
        """Resolve and check everything that can fail before a request is sent."""
        endpoint = endpoint or self.config.endpoint(request.endpoint)
        prepared = prepare(endpoint.api, request.model, endpoint.official, request.params)
        key = self.keys.get(endpoint.key_name, endpoint.key_env) if endpoint.key_name else None
        if need_key and endpoint.key_name and not key:
            env = f" and the environment variable {endpoint.key_env}" if endpoint.key_env else ""
            raise PlaygroundError.of(
                ErrorKind.KEY_MISSING,
                f"No API key for {endpoint.name} (looked for {endpoint.key_name!r}{env}).",
            )
        if key is not None and any(c.isspace() or not c.isprintable() for c in key):
            # An HTTP header cannot carry it: the SDK would fail as if the network were down.
            raise PlaygroundError.of(
                ErrorKind.KEY_REJECTED,
                f"The key for {endpoint.name} contains a space, a line break or a control character; "
                "keys never do. Copy it again (an environment variable may hold a stray newline).",
            )
        return Setup(endpoint, prepared, key)

    def provider(self, setup: Setup) -> Provider:
        """One provider per endpoint, key and timeout: building an SDK client costs ~50 ms."""
        limits = self._limits_now()
        # No single read may wait past a deadline: an in-process stream is read on the run thread.
        read_s = min(self._timeout_s, limits.idle_s, limits.overall_s)
        options = ProviderOptions(setup.endpoint, setup.key, read_s, limits.connect_s)
        with self._providers_lock:
            provider = self._providers.get(options)
            if provider is None:
                provider = self._providers[options] = self._factory(options)
            return provider

    def estimate_input(self, request: Request, api: str = "openai") -> TokenCount:
        """Our count of the prompt, the tools' definitions and documented overhead included (marked)."""
        return count_request(self.counter, request, api)

    def count_input(self, request: Request, endpoint: Endpoint) -> TokenCount:
        """The exact prompt count where the provider offers one and can be reached, else our estimate
        with the reason in ``note`` (offline, key refused...): counting never fails for the network."""
        estimate = self.estimate_input(request, endpoint.api)
        if endpoint.api != "anthropic":
            return estimate
        setup = self.setup(request, endpoint, need_key=False)
        if not setup.key:
            return estimate
        return exact_or_estimate(
            estimate, lambda: self.provider(setup).count_tokens(request), "anthropic count_tokens"
        )

    def run(
        self,
        request: Request,
        *,
        endpoint: Endpoint | None = None,
        on_event: Emit | None = None,
        cancel: CancelToken | None = None,
        group_id: str | None = None,
        tag: str | None = None,
        position: tuple[int, int] | None = None,
        conversation_id: str | None = None,
        compare_estimate: bool = True,
    ) -> CallResult:
        """Run ``request``; never raises for known failures: they come back in the result and history.
        Our count of the prompt is made only when a figure needs it: the server reported no usage, or
        ``compare_estimate`` (the GUI shows how far off our estimate was from the reported prompt). The
        CLI never shows that, so it passes False and a reported call never loads the tokenizer."""
        emit = on_event or (lambda event: None)
        cancel = cancel or CancelToken()
        try:
            endpoint = endpoint or self.config.endpoint(request.endpoint)
            setup = self.setup(request, endpoint)
        except PlaygroundError as exc:
            error = exc.error.at(_where(endpoint)) if endpoint is not None else exc.error
            return self._calls.refused(
                request, endpoint, error, emit, group_id, tag, position, conversation_id
            )
        api = setup.endpoint.api
        estimate = functools.cache(lambda: self.estimate_input(request, api).tokens)
        compared = estimate() if compare_estimate else None  # before the row: a count that fails leaves none
        start = CallStart(
            request,
            setup.endpoint.api,
            setup.endpoint.base_url,
            setup.prepared.values,
            group_id,
            tag,
            position,
            conversation_id=conversation_id,
        )
        emit(CallRow(opened=False))  # a window can say the call waits for the history, not the server
        call_id, why = self._calls.start(start)
        if call_id is None:  # never send a call the history cannot record: it could not be billed honestly
            return self._calls.unrecordable(why, emit)
        emit(CallRow(opened=True))
        result = CallResult(
            call_id,
            "error",
            dropped_params=dict(setup.prepared.dropped),
            estimated_input_tokens=compared,
        )
        try:
            self._attempts(request, setup, result, emit, cancel)
        except Exception as exc:  # a bug: keep the row honest and the traceback in the log
            log.exception("call %s failed unexpectedly", call_id)
            message = redact(f"Internal error: {type(exc).__name__}: {exc}", [setup.key])
            result.error = CallError(ErrorKind.INTERNAL, message)
            result.status = "error"
            emit(Failed(result.error))
        self._settle(request, setup.endpoint, estimate, result)
        _check_output(request, setup, result)
        if result.error is not None:
            result.error = result.error.at(_where(setup.endpoint))
        self._calls.finish(call_id, result)
        return result

    def _attempts(
        self, request: Request, setup: Setup, result: CallResult, emit: Emit, cancel: CancelToken
    ) -> None:
        with ProgressSaver(self.history, result, self._clock, self._save_every_s) as saver:
            self._attempt_loop(request, setup, result, emit, cancel, saver)

    def _attempt_loop(
        self,
        request: Request,
        setup: Setup,
        result: CallResult,
        emit: Emit,
        cancel: CancelToken,
        saver: ProgressSaver,
    ) -> None:
        provider = self.provider(setup)
        params = setup.prepared.values
        limits = self._limits_now()
        for attempt in range(1, self._retry.attempts + 1):
            started = self._clock()
            first_token: float | None = None
            failure: CallError | None = None
            stream = read_stream(lambda stop: provider.stream(request, params, stop), cancel, limits)
            calls = CallBuffer()
            for item in stream:
                if item is None:  # a quiet moment: keep the text so far
                    saver.maybe_save()
                    continue
                if isinstance(item, CallError):
                    failure = item
                    break
                if isinstance(item, RequestSent):
                    started = item.at  # the clock starts when the request leaves, not before
                    continue
                if isinstance(item, (TextDelta, ReasoningDelta)):
                    if first_token is None:
                        first_token = self._clock()
                    if isinstance(item, TextDelta):
                        result.text += item.text
                    else:
                        result.reasoning += item.text
                    saver.maybe_save()
                elif isinstance(item, UsageReport):
                    result.usage = item.usage
                    result.usage_reported = True
                    result.usage_final = item.final
                elif isinstance(item, Finish):
                    result.finish_reason = item.reason
                elif isinstance(item, LogprobsDelta):
                    result.logprobs.extend(item.items)
                elif isinstance(item, ToolCallDelta):
                    if first_token is None:
                        first_token = self._clock()
                    calls.add(item.index, item.id, item.name, item.arguments)
                emit(item)
            stream.close()  # after a break: let go of the response now, not when collected
            result.tool_calls = calls.calls(toolset_of(params))
            ended = self._clock()
            result.duration_ms = (ended - started) * 1000
            if first_token is not None:
                result.ttft_ms = (first_token - started) * 1000
            if cancel.cancelled:
                result.status = "cancelled"
                result.error = CallError(ErrorKind.CANCELLED, "Stopped by the user; the text so far is kept.")
                return
            if failure is None:
                result.status = "ok"
                result.error = None
                return
            result.error = failure
            output_started = first_token is not None
            delay = self._retry.delay(attempt, failure) if failure.kind in RETRYABLE else None
            if output_started or delay is None or attempt == self._retry.attempts:
                result.status = "error"
                emit(Failed(failure))
                return
            result.retries += 1
            emit(Retrying(attempt, delay, failure))
            if cancel.wait(delay):
                result.status = "cancelled"
                result.error = CallError(ErrorKind.CANCELLED, "Stopped by the user while waiting to retry.")
                return

    def _settle(
        self, request: Request, endpoint: Endpoint, estimate: Callable[[], int], result: CallResult
    ) -> None:
        """Fill in what the server did not report with our own counts (marked), then price it."""
        generated = result.text or result.reasoning
        if result.status == "error" and not result.usage_reported and not generated:
            # Nothing was generated and nothing billed as far as we know: no tokens either (an
            # estimate of the prompt here was summed into History's and Spend's token totals).
            result.usage = Usage()
            result.cost = NOT_BILLED
            return
        result.usage, result.usage_note = settle_usage(
            self.counter,
            request.model,
            reported=result.usage if result.usage_reported else None,
            final=result.usage_final,
            text=result.text,
            reasoning=result.reasoning,
            input_estimate=estimate,
        )
        usage = result.usage
        result.cost = self.pricer.price(endpoint, request.model, usage)
        if result.ttft_ms is not None and result.duration_ms and usage.output_tokens:
            generating_s = (result.duration_ms - result.ttft_ms) / 1000
            if generating_s >= MIN_SPEED_WINDOW_S:
                result.tokens_per_s = usage.output_tokens / generating_s


def _check_output(request: Request, setup: Setup, result: CallResult) -> None:
    """Say how a structured output was asked for, and whether the answer kept to it."""
    spec = spec_of(setup.prepared.values)
    if spec is None:
        return
    result.output_way = way(spec, setup.endpoint.api, request.model)
    if result.text:
        result.validation = validate(spec, result.text)


def _where(endpoint: Endpoint) -> Where:
    return Where(endpoint.name, endpoint.key_name, endpoint.api)
