"""The bridge between the core and the widgets: estimates, runs, model lists, all off the GUI thread."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from playground.llm.catalog import ModelEntry, entries_for, known_models
from playground.llm.endpoints import BUILTIN, Endpoint
from playground.llm.errors import CallError, ErrorKind
from playground.llm.request import Request
from playground.llm.result import CallResult
from playground.llm.templates import fill_request
from ui.common.background import SHUTDOWN_WAIT_S, Background, Latest
from ui.common.stream_hub import Drained, StreamBuffer, StreamHub
from ui.playground.library_link import link_to_library

if TYPE_CHECKING:  # heavy modules load after the window is shown
    from playground.core import Core
    from playground.pricing.estimate import Estimate, Rates
    from playground.prompts.records import PromptVersion

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Draft:
    """What the widgets hold: the request before variables are filled, and the variable values."""

    request: Request
    variables: dict[str, str]
    conversation_id: str | None = None  # recorded with the call: the Playground conversation
    library_version: PromptVersion | None = None  # opened or saved from the library: linked if unedited

    def filled(self) -> Request:
        return fill_request(self.request, self.variables)


class LazyCounter:
    """Counts tokens with the model's encoding, loaded on first use: that happens on the worker
    thread that pushes the first token, never on the GUI thread (loading reads a rank file)."""

    def __init__(self, counter, model: str):
        self._counter = counter
        self._model = model
        self._encoding = None

    def __call__(self, text: str) -> int:
        if self._encoding is None:
            self._encoding = self._counter.encoding(self._model)
        return len(self._encoding.encode_ordinary(text))


@dataclass(frozen=True)
class EstimateResult:
    draft: Draft
    estimate: Estimate | None
    error: str | None = None


class Session(QObject):
    coreReady = Signal()
    modelsChanged = Signal(list)  # list[ModelEntry]
    estimated = Signal(object)  # EstimateResult
    runStarted = Signal(object)  # Request
    runProgress = Signal(object)  # Drained
    runFinished = Signal(object)  # CallResult
    localServersFound = Signal(list)  # list[LocalServer]
    notice = Signal(str)
    unavailable = Signal(str)  # the core could not load: why, in words (runs are refused)
    budgetStatus = Signal(object)  # BudgetStatus
    imported = Signal(str)  # what an import did, in words

    def __init__(self, parent: QObject | None = None, local_probe: Callable[[], list] | None = None):
        super().__init__(parent)
        self._local_probe = local_probe or _detect_local
        self.core: Core | None = None
        # No Qt parent: worker threads still running at shutdown keep it alive through their
        # references, instead of emitting on a QObject its parent already deleted.
        self.background = Background()
        # Runs go one at a time through one thread, not a new thread per run: a thread that reads
        # the history opens its own connection, and a thread per run leaked one per run.
        self._runs = Background(workers=1, name="run")
        self.failure: str | None = None  # why the core could not load, when it could not
        self._closed = False
        self.hub = StreamHub(self)
        self._estimates = Latest(self.background)
        self._entries: dict[str, list[ModelEntry]] = {}
        # The endpoints as last read (in the background): the GUI thread reads this, never the database.
        self._endpoints: dict[str, Endpoint] = {e.name: e for e in BUILTIN}
        self._buffer: StreamBuffer | None = None
        self.rates: Rates | None = None
        self.budget = None  # the latest BudgetStatus, when budgets are set
        # Loads an API style's SDK in the stream worker ahead of its first run (set by the app).
        self.warm_streams: Callable[[str], None] | None = None

    # start-up

    def attach(self, core: Core) -> None:
        if self._closed:  # loaded after the window closed: the app closes it, nobody uses it
            return
        self.core = core
        if core.storage.warning:
            self.notice.emit(core.storage.warning)
        if core.keys.problem:
            self.notice.emit(core.keys.problem)

        def ready(endpoints: list[Endpoint]) -> None:
            """The endpoints are known (read in the background): the window may pick one."""
            self._endpoints = {e.name: e for e in endpoints}
            self.coreReady.emit()
            self._list_models(core, endpoints)
            self.refresh_budget()

        def failed(exc: BaseException) -> None:
            log.warning("endpoints not read: %s", exc)
            ready(list(BUILTIN))

        self.background.submit(core.config.endpoints, ready, failed)

    def fail(self, reason: str) -> None:
        """The core could not load: say why; runs are refused with this reason from now on."""
        if self._closed:
            return
        self.failure = reason
        self.unavailable.emit(reason)

    def refusal(self) -> str | None:
        """Why no run can start now, in one line (a history that cannot record calls: read-only, or
        unusable), or None. A read of attributes only: the GUI thread may ask it at any time."""
        core = self.core
        return (core.not_recorded if core is not None else None) or self.failure

    def refresh_models(self) -> None:
        """Built-in endpoints list genai-prices' chat models at once; servers are asked in the background."""
        core = self.core
        if core is None:
            return
        self.background.submit(core.config.endpoints, lambda endpoints: self._list_models(core, endpoints))

    def _list_models(self, core: Core, endpoints: list[Endpoint]) -> None:
        self._endpoints = {e.name: e for e in endpoints}
        gone = [name for name in self._entries if name not in self._endpoints]
        for name in gone:  # removed in Settings: its models leave the picker now, not at the next start
            del self._entries[name]
        if gone:
            self.modelsChanged.emit(self.entries())
        for endpoint in endpoints:
            if endpoint.builtin:
                self.background.submit(
                    lambda e=endpoint: entries_for(e, known_models(e), core.pricer),
                    lambda entries, e=endpoint: self._set_entries(e, entries),
                )
            else:
                self.background.submit(
                    lambda e=endpoint: self._server_models(e),
                    lambda entries, e=endpoint: self._set_entries(e, entries),
                    lambda exc, e=endpoint: self._set_entries(e, []),
                )
        self.background.submit(lambda: self._adopt_local(core), self._found_local)

    def _server_models(self, endpoint: Endpoint) -> list[ModelEntry]:
        core = self.core
        setup = core.runner.setup(Request(endpoint.name, "-", ()), endpoint, need_key=False)
        return entries_for(endpoint, core.runner.provider(setup).list_models(), core.pricer)

    def _set_entries(self, endpoint: Endpoint, entries: list[ModelEntry]) -> None:
        if self._endpoints.get(endpoint.name) != endpoint:  # removed or changed since it was asked
            return
        self._entries[endpoint.name] = entries
        self.modelsChanged.emit(self.entries())

    def entries(self) -> list[ModelEntry]:
        return [e for name in sorted(self._entries) for e in self._entries[name]]

    def _adopt_local(self, core) -> list:
        """Probe for local servers (off the GUI thread) and keep the new ones as free endpoints."""
        known = {e.name for e in core.config.endpoints()}
        fresh = [s for s in self._local_probe() if s.endpoint.name not in known]
        for server in fresh:
            core.config.adopt_local(server.endpoint)
        return fresh

    def _found_local(self, servers: list) -> None:
        if servers:
            self.localServersFound.emit(servers)
            self.refresh_models()

    def import_history(self, path, progress=None, cancel=None) -> None:
        """Import a history export or an llm logs.db in the background; ``progress`` (called on that
        thread: emit a queued signal) gets an ImportProgress per batch at most ~10 times a second, a
        set ``cancel`` stops it between batches keeping what it wrote; ``imported`` tells how it went."""
        core = self.core
        if core is None:
            return
        from playground.history.transfer import import_file

        def failed(exc: BaseException) -> None:
            self.imported.emit(f"Could not import {path.name}: {exc}")

        self.background.submit(
            lambda: import_file(core.storage, path, core.pricer, progress, cancel),
            lambda result: self.imported.emit(result.describe(path.name)),
            failed,
        )

    def endpoint(self, name: str) -> Endpoint | None:
        """The endpoint by name from the cached list (refreshed with ``refresh_models``)."""
        if self.core is None:
            return None
        return self._endpoints.get(name)

    def endpoints(self) -> list[Endpoint]:
        return list(self._endpoints.values())

    # estimates

    def request_estimate(self, draft: Draft) -> None:
        core = self.core
        endpoint = self.endpoint(draft.request.endpoint)
        if core is None or endpoint is None:
            return

        warm = self.warm_streams

        def work() -> EstimateResult:
            from playground.pricing.estimate import estimate

            if warm is not None:  # the model on screen is the one a run will most likely use
                warm(endpoint.api)
            request = draft.filled()
            return EstimateResult(draft, estimate(request, endpoint, core.counter, core.pricer))

        def failed(exc: BaseException) -> None:
            self.estimated.emit(EstimateResult(draft, None, str(exc)))

        self._estimates.submit(work, self.estimated.emit, failed)

    # runs

    @property
    def running(self) -> bool:
        return self._buffer is not None

    @property
    def stopping(self) -> bool:
        """Stop was asked and the call has not ended yet."""
        return self._buffer is not None and self._buffer.cancel.cancelled

    @property
    def closed(self) -> bool:
        return self._closed

    def run(self, draft: Draft) -> str | None:
        """Start ``draft``; None when it started, else why not, in words (a Run that did nothing,
        silently, looked broken)."""
        core = self.core
        endpoint = self.endpoint(draft.request.endpoint)
        if refused := self.refusal():
            return refused
        if core is None:
            return "The app is still starting."
        if endpoint is None:
            return (
                f"There is no endpoint named {draft.request.endpoint!r} any more (it was removed in "
                "Settings): pick a model."
            )
        if self._buffer is not None:
            return "An answer is still running."
        from playground.pricing.estimate import Rates

        request = draft.filled()
        self.rates = None  # read with the price overrides on the run thread, before the call starts
        buffer = StreamBuffer(LazyCounter(core.counter, request.model))
        self._buffer = buffer

        def work() -> None:
            runner = core.runner
            try:
                self.rates = Rates.of(core.pricer.facts(endpoint, request.model))
                result = runner.run(
                    request,
                    endpoint=endpoint,
                    on_event=buffer.push,
                    cancel=buffer.cancel,
                    conversation_id=draft.conversation_id,
                )
                _price_cache(core, endpoint, request, result)
                link_to_library(core, draft.library_version, draft.request, result)
            except Exception as exc:  # the runner records known failures itself; this is a bug
                log.exception("run failed")
                error = CallError(ErrorKind.INTERNAL, f"Internal error: {type(exc).__name__}: {exc}")
                result = CallResult(None, "error", error=error)
            buffer.finish(result)

        if self._runs.submit(work) is None:
            self._buffer = None
            return "The app is closing."
        self.runStarted.emit(request)
        self.hub.watch(buffer, self._progress)
        return None

    def stop(self) -> None:
        if self._buffer is not None:
            self._buffer.cancel.cancel()

    def _progress(self, drained: Drained) -> None:
        if self._closed:  # the window is gone and the core about to close: nothing may use them
            if drained.result is not None:
                self._buffer = None
            return
        self.runProgress.emit(drained)
        if drained.result is not None:
            self._buffer = None
            self.runFinished.emit(drained.result)
            self.refresh_budget()

    def refresh_budget(self) -> None:
        """Where spend stands against the budgets (read in the background)."""
        core = self.core
        if core is None:
            return

        def done(status) -> None:
            has_budget = status.budgets.daily is not None or status.budgets.monthly is not None
            self.budget = status if has_budget else None
            self.budgetStatus.emit(status)

        self.background.submit(core.budgets.status, done)  # today in the user's zone

    def shutdown(self, wait_s: float = SHUTDOWN_WAIT_S, also: Callable[[float], bool] | None = None) -> bool:
        """Stop the run, wait for its thread (bounded), then drop and join background work; late
        answers are ignored. ``also`` joins other work (a comparison) within the same deadline.
        True when no thread uses the core any more, so it may be closed. Safe to call twice: the
        second call waits no more (the window's close waited already; quitting then checks again)."""
        if self._closed:
            wait_s = 0.0
        self._closed = True
        self.stop()
        deadline = time.monotonic() + wait_s
        clean = self._runs.shutdown(wait_s)
        if also is not None:
            clean = also(max(0.0, deadline - time.monotonic())) and clean
        clean = self.background.shutdown(max(0.0, deadline - time.monotonic())) and clean
        self.core = None
        return clean


def _detect_local() -> list:
    from playground.llm.local_servers import detect

    return detect()


def _price_cache(core: Core, endpoint: Endpoint, request: Request, result: CallResult) -> None:
    """What prompt caching saved on the call (run thread: the pricer reads price data)."""
    from playground.pricing.cache_savings import savings, uses_cache

    if result.cost is not None and uses_cache(result.usage):
        result.cache_savings = savings(core.pricer, endpoint, request.model, result.usage)
