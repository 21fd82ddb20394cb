"""Streams read in a worker process, so parsing thousands of chunks a second never holds the GUI's GIL.

Each chunk costs ~300 µs of Python (HTTP framing, SSE, JSON); four fast streams need more CPU than one
interpreter's GIL can give while also keeping a window responsive. The worker batches what it reads
(at most every ``flush_s``) and sends it over a pipe; the caller's process only unpacks the batches.
Keys travel over that pipe in memory, never through a file.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import queue
import threading
import time
from collections.abc import Callable, Generator
from multiprocessing.connection import Connection
from typing import Any

from playground.llm.cancel import CancelToken
from playground.llm.errors import CallError, ErrorKind
from playground.llm.events import Event, ReasoningDelta, TextDelta
from playground.llm.providers.base import Provider, ProviderFailure, ProviderOptions, StreamingProvider
from playground.llm.request import Request

log = logging.getLogger(__name__)
IMPORT_WAIT_S = 5.0  # the longest a stream waits for another SDK's import before it sends
CANCEL_POLL_S = 0.02
Message = tuple[Any, ...]  # over the pipe: (kind, call id, payload...), all picklable
Inbox = queue.SimpleQueue[tuple[str, Any]]  # one call's (kind, payload), sorted out by the reader thread
FLUSH_S = 0.016  # one frame: the window shows text once per frame anyway
POLL_S = 0.02  # how often a quiet stream lets its reader look at deadlines


class StreamWorkers:
    """A worker process (started on first use, restarted if it dies) and the calls running in it."""

    def __init__(self, flush_s: float = FLUSH_S):
        self._flush_s = flush_s
        self._lock = threading.Lock()
        self._worker: _Worker | None = None
        self._ids = itertools.count(1)

    def factory(self, options: ProviderOptions) -> Provider:
        return RemoteProvider(options, self)

    def start(self) -> None:
        """Start the process now (a Python start-up), instead of on the first call."""
        self._current()

    def warm(self, api: str) -> None:
        """Have the worker import ``api``'s SDK now, once: the style of the model on screen. The other
        style's SDK loads on its first call only (tens of MB each that an idle window does without)."""
        self._current().warm(api)

    def _current(self) -> _Worker:
        with self._lock:
            if self._worker is None or not self._worker.alive:
                self._worker = _Worker(self._flush_s)
            return self._worker

    def open(
        self, options: ProviderOptions, request: Request, params: dict[str, Any]
    ) -> tuple[_Worker, int, Inbox]:
        worker = self._current()
        call_id = next(self._ids)
        inbox = worker.open(call_id)
        worker.send(("stream", call_id, options, request, params))
        return worker, call_id, inbox

    def close(self) -> None:
        with self._lock:
            if self._worker is not None:
                self._worker.stop()
                self._worker = None


class RemoteProvider:
    """A Provider whose stream runs in the worker; listing and counting stay local (rare, not hot)."""

    def __init__(self, options: ProviderOptions, workers: StreamWorkers):
        self._options = options
        self._workers = workers
        self._local: Provider | None = None

    def _here(self) -> Provider:
        if self._local is None:
            from playground.llm.providers import make_provider

            self._local = make_provider(self._options)
        return self._local

    def request_body(self, request: Request, params: dict[str, Any]) -> dict[str, Any]:
        return self._here().request_body(request, params)

    def list_models(self) -> list[str]:
        return self._here().list_models()

    def count_tokens(self, request: Request) -> int | None:
        return self._here().count_tokens(request)

    def stream(
        self, request: Request, params: dict[str, Any], cancel: CancelToken
    ) -> Generator[Event | None, None, None]:
        worker, call_id, inbox = self._workers.open(self._options, request, params)

        def stop() -> None:
            inbox.put(("cancelled", None))  # wakes the reader below at once
            worker.send(("cancel", call_id))

        cancel.on_cancel(stop)
        try:
            while True:
                try:
                    kind, payload = inbox.get(timeout=POLL_S)
                except queue.Empty:
                    yield None  # quiet: the reader looks at its deadlines and saves progress
                    continue
                if kind == "events":
                    yield from payload
                elif kind == "failure":
                    raise ProviderFailure(payload)
                elif kind == "crash":
                    raise RuntimeError(f"stream worker: {payload}")
                else:
                    return
        finally:
            worker.close_call(call_id)


class _Worker:
    """The parent's end: a pipe, a reader thread sorting messages by call, and the child process."""

    def __init__(self, flush_s: float):
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=worker_main, args=(child, flush_s), name="stream-worker", daemon=True
        )
        self.process.start()
        child.close()
        self._send_lock = threading.Lock()
        self._calls: dict[int, Inbox] = {}
        self._calls_lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, name="stream-worker-reader", daemon=True)
        self._reader.start()
        self._warmed: set[str] = set()

    def warm(self, api: str) -> None:
        with self._send_lock:
            if api in self._warmed:
                return
            self._warmed.add(api)
        self.send(("warm", api))

    @property
    def alive(self) -> bool:
        return self.process.is_alive() and self._reader.is_alive()

    def open(self, call_id: int) -> Inbox:
        inbox: Inbox = queue.SimpleQueue()
        with self._calls_lock:
            self._calls[call_id] = inbox
        return inbox

    def close_call(self, call_id: int) -> None:
        with self._calls_lock:
            self._calls.pop(call_id, None)

    def send(self, message: Message) -> None:
        try:
            with self._send_lock:
                self._conn.send(message)
        except (OSError, ValueError):
            pass  # the worker is gone; the reader has already failed its calls

    def stop(self) -> None:
        self.send(("stop",))
        self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
        self._conn.close()

    def _read(self) -> None:
        while True:
            try:
                kind, call_id, payload = self._conn.recv()
            except (EOFError, OSError):
                break
            with self._calls_lock:
                inbox = self._calls.get(call_id)
            if inbox is not None:
                inbox.put((kind, payload))
        gone = CallError(ErrorKind.STREAM_CUT, "The stream worker stopped unexpectedly; run again.")
        with self._calls_lock:
            for inbox in self._calls.values():
                inbox.put(("failure", gone))


class ImportGate:
    """The SDKs this worker is importing now. A stream waits for them before it sends: an import holds
    the interpreter in long stretches, so a stream waiting for its first token meanwhile reads it late
    (a comparison's first round read 450 ms for a 300 ms first token while another column's SDK loaded).
    Bounded: a stream never waits more than ``wait_s``."""

    def __init__(self, wait_s: float = IMPORT_WAIT_S):
        self._cond = threading.Condition()
        self._loading: set[str] = set()
        self._loaded: set[str] = set()
        self._wait_s = wait_s

    def expect(self, api: str) -> None:
        """A stream or a warm-up of ``api`` arrived: its SDK may load now (said before its thread starts,
        so a stream already on its way waits for it too)."""
        with self._cond:
            if api not in self._loaded:
                self._loading.add(api)

    def loaded(self, api: str) -> None:
        with self._cond:
            self._loaded.add(api)
            self._loading.discard(api)
            self._cond.notify_all()

    def ready(self, api: str, cancel: CancelToken) -> None:
        """``api``'s SDK is loaded: wait until no other is loading (or the call is cancelled), then send."""
        self.loaded(api)
        deadline = time.monotonic() + self._wait_s
        with self._cond:
            while self._loading and not cancel.cancelled and time.monotonic() < deadline:
                self._cond.wait(CANCEL_POLL_S)  # a cancel does not notify: look again this often


def worker_main(conn: Connection, flush_s: float) -> None:
    """The child process: one thread per stream, batching events before they cross the pipe."""
    import signal

    from playground.llm.providers import make_provider

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in a terminal belongs to the app
    send_lock = threading.Lock()
    providers: dict[ProviderOptions, Provider] = {}
    imports = ImportGate()
    cancels: dict[int, CancelToken] = {}
    batches: dict[int, _Batch] = {}

    def flush_stale() -> None:  # text that waits for a next token is sent within one flush period
        while True:
            time.sleep(flush_s)
            for batch in list(batches.values()):
                batch.flush_if_stale()

    threading.Thread(target=flush_stale, name="flusher", daemon=True).start()

    def send(message: Message) -> None:
        with send_lock:
            conn.send(message)

    def run(call_id: int, options: ProviderOptions, request: Request, params: dict[str, Any]) -> None:
        cancel = cancels[call_id]
        batch = batches[call_id] = _Batch(lambda events: send(("events", call_id, events)), flush_s)
        api = options.endpoint.api
        try:
            provider = providers.get(options)
            if provider is None:
                provider = providers[options] = make_provider(options)
                if isinstance(provider, StreamingProvider):
                    provider.before_send = lambda cancel: imports.ready(api, cancel)
            for event in provider.stream(request, params, cancel):
                if event is not None:  # a keep-alive: the parent keeps its own deadlines
                    batch.add(event)
            batch.flush()
        except ProviderFailure as exc:
            batch.flush()
            send(("failure", call_id, exc.error))
        except Exception as exc:
            batch.flush()
            send(("crash", call_id, f"{type(exc).__name__}: {exc}"))
        finally:
            imports.loaded(api)  # also when it failed before loading: nobody waits for it then
            cancels.pop(call_id, None)
            batches.pop(call_id, None)
            send(("end", call_id, None))

    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message[0] == "stream":
            _, call_id, options, request, params = message
            imports.expect(options.endpoint.api)
            cancels[call_id] = CancelToken()
            threading.Thread(target=run, args=(call_id, options, request, params), daemon=True).start()
        elif message[0] == "warm":  # on a thread: a stream or a cancel arriving meanwhile is not held up
            imports.expect(message[1])
            threading.Thread(target=warm_up, args=(message[1], imports), name="warm-up", daemon=True).start()
        elif message[0] == "cancel":
            token = cancels.get(message[1])
            if token is not None:
                token.cancel()
        elif message[0] == "stop":
            for token in list(cancels.values()):
                token.cancel()
            return


WARM_URL = "http://127.0.0.1:9/v1"  # never called: the warm-up only builds a client


def warm_up(api: str, imports: ImportGate | None = None) -> None:
    """Load what ``api``'s first stream needs (a thread of the worker): its SDK (0.3-1 s), its client
    (HTTP transport, TLS context) and our adapter, by building a provider that is never called."""
    from playground.llm.apis import APIS

    try:
        if api not in APIS:
            return
        from playground.llm.endpoints import Endpoint
        from playground.llm.providers import make_provider

        provider = make_provider(ProviderOptions(Endpoint("warm-up", api, WARM_URL), None))
        provider.request_body(Request.single("warm-up", "warm-up", "hi"), {})
        create = getattr(provider, "_create", None)  # the SDK loads its API resource on first access
        if create is not None:
            create()
    except Exception:  # a broken install shows up as that call's error, not as a dead worker
        log.exception("stream worker warm-up failed")
    finally:
        if imports is not None:
            imports.loaded(api)


class _Batch:
    """Joins consecutive text of one kind; sent once ``flush_s`` has passed (next event, or the flusher)."""

    def __init__(self, deliver: Callable[[list[Event]], None], flush_s: float):
        self._deliver = deliver
        self._flush_s = flush_s
        self._clock = time.monotonic
        self._lock = threading.Lock()
        self._events: list[Event] = []
        self._last = 0.0

    def add(self, event: Event) -> None:
        with self._lock:
            events = self._events
            joined = _joined(events[-1], event) if events else None
            if joined is not None:
                events[-1] = joined
            else:
                events.append(event)
            if self._clock() - self._last >= self._flush_s:
                self._send()

    def flush(self) -> None:
        with self._lock:
            self._send()

    def flush_if_stale(self) -> None:
        with self._lock:
            if self._events and self._clock() - self._last >= self._flush_s:
                self._send()

    def _send(self) -> None:
        if self._events:
            self._deliver(self._events)
            self._events = []
        self._last = self._clock()


def _joined(last: Event, event: Event) -> Event | None:
    """Two pieces of text of one kind as one event (fewer, larger messages), else None."""
    if isinstance(last, TextDelta) and isinstance(event, TextDelta):
        return TextDelta(last.text + event.text)
    if isinstance(last, ReasoningDelta) and isinstance(event, ReasoningDelta):
        return ReasoningDelta(last.text + event.text)
    return None
