"""A small threaded HTTP server on 127.0.0.1 that plays scripted answers, faults included."""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


@dataclass
class Script:
    """What the server does for one request. Unset fields give a plain, successful answer."""

    text: str = "Hello from the local test server."
    reasoning: str = ""
    status: int = 200
    error_type: str = ""
    error_message: str = ""
    error_code: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    first_token_delay: float = 0.0
    token_delay: float = 0.0
    cut_after: int | None = None  # drop the connection after this many text chunks
    hang_up: bool = False  # close the connection before any byte of an answer (a stale keep-alive)
    malformed_after: int | None = None  # send a broken event after this many text chunks
    error_event_after: int | None = None  # Anthropic: an error event after this many chunks
    wrong_shape_after: int | None = None  # valid JSON of the wrong shape after this many text chunks
    keepalive_after: int | None = None  # only SSE keep-alive comments after this many chunks, "forever"
    silent_after: int | None = None  # not a byte more after this many text chunks (30 s), then the end
    error_event_type: str = "overloaded_error"
    usage: str = "separate"  # separate | with_last_choice | none
    prompt_tokens: int | None = None
    cached_tokens: int = 0
    cache_write_tokens: int = 0
    cache_write_1h_tokens: int = 0  # Anthropic: the part of cache_write_tokens written for one hour
    reasoning_tokens: int = 0
    echo_key: bool = False
    finish_reason: str | None = None
    tool_calls: list[tuple[str, str]] = field(default_factory=list)  # (name, arguments text) per call
    tool_split: int = 7  # characters of arguments per streamed chunk (so arguments span chunks)

    def pieces(self) -> list[str]:
        """The text split into word-sized pieces, each one streamed chunk (and one output token)."""
        return split_pieces(self.text)


def split_pieces(text: str) -> list[str]:
    pieces: list[str] = []
    for i, word in enumerate(text.split(" ")):
        pieces.append(word if i == 0 else " " + word)
    return [p for p in pieces if p]


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


def asked_since(servers: Sequence[ScriptedServer], marks: Sequence[int]) -> set[str]:
    """The distinct requests (bodies) ``servers`` received after ``marks`` (their ``received`` counts
    then). Counted apart, not one by one: a request cut by a kill or a cancel may reach a server late,
    and a call on a connection the server closed is sent again at once (ErrorKind.CONNECTION_CLOSED);
    both repeat a request without asking anything new."""
    return {
        json.dumps(r.body, sort_keys=True)
        for server, n in zip(servers, marks, strict=True)
        for r in server.received[n:]
    }


class _Httpd(ThreadingHTTPServer):
    # The listen backlog. socketserver's default of 5 overflows when a run opens 20 connections at once
    # while a loaded machine delays the accept loop: the kernel drops the handshakes it cannot queue, and
    # the clients' reads fail ("Could not reach the server (ReadError)", seen in CI about once in 150
    # calls). Measured with 200 clients and a 20 ms accept: backlog 5 lost 100, backlog 128 none.
    request_queue_size = 128
    daemon_threads = True


class LocalServer:
    """An HTTP server on a free local port, serving ``handler_class`` from a thread; its handlers reach
    this object as ``self.server.owner``. Use it as a context manager."""

    handler_class: type[BaseHTTPRequestHandler]

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._httpd = _Httpd(("127.0.0.1", 0), self.handler_class)
        self._httpd.owner = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class ScriptedServer(LocalServer):
    """Base for the OpenAI and Anthropic test servers: a script queue, a request log, a key check."""

    handler_class: type[BaseHTTPRequestHandler]

    def __init__(self, api_key: str | None = "sk-test-key-0123456789", models: tuple[str, ...] = ()):
        self.api_key = api_key
        self.models = models
        self.scripts: queue.SimpleQueue[Script] = queue.SimpleQueue()
        self.received: list[Received] = []
        self.text_chunks_sent = 0  # across all streams: tests time a kill by it
        self.connections_open = 0  # connections a handler is serving now (``wait_idle``)
        self.default = Script()
        # A different default answer per model (no script queued): a comparison's columns then
        # answer in their own words whatever order their requests arrive in.
        self.by_model: dict[str, Script] = {}
        super().__init__()

    def push(self, *scripts: Script) -> None:
        for script in scripts:
            self.scripts.put(script)

    def next_script(self, model: str | None = None) -> Script:
        try:
            return self.scripts.get_nowait()
        except queue.Empty:
            return self.by_model.get(model or "", self.default)

    def answer_per_model(self, answers: dict[str, str], **script: Any) -> None:
        """Default answers that name or differ by model, e.g. {"gpt-4o": "…"}; ``script`` adds timings."""
        self.by_model = {model: Script(text=text, **script) for model, text in answers.items()}

    def log(self, item: Received) -> None:
        with self._lock:
            self.received.append(item)

    def wait_idle(self, timeout_s: float = 10.0) -> bool:
        """Wait until no connection is being served. A killed client's last request can sit in the
        socket unread and be logged after the kill: count ``received`` only once this is True."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            with self._lock:
                if self.connections_open == 0:
                    return True
            time.sleep(0.02)
        return False

    def count_chunk(self) -> None:
        with self._lock:
            self.text_chunks_sent += 1


class JsonHandler(BaseHTTPRequestHandler):
    """A request handler that answers in JSON (both the wire-protocol and the admin-API servers)."""

    def send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


class ScriptedHandler(JsonHandler):
    protocol_version = "HTTP/1.1"

    @property
    def owner(self) -> ScriptedServer:
        return self.server.owner  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def handle(self) -> None:
        owner = self.owner
        with owner._lock:
            owner.connections_open += 1
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client hung up (a cancelled stream): normal here
        finally:
            with owner._lock:
                owner.connections_open -= 1

    def read_json(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        self.owner.log(Received(self.command, self.path, dict(self.headers.items()), body))
        return body

    def start_stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def send_chunk(self, text: str) -> None:
        data = text.encode()
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def end_stream(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def drop_connection(self) -> None:
        """Close mid-body without the final chunk: the client sees an incomplete chunked read."""
        self.wfile.flush()
        self.close_connection = True
        try:
            import socket

            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def keep_alive(self, seconds: float = 30.0, every: float = 0.05) -> None:
        """Send only SSE comments (as proxies do) until the client leaves or ``seconds`` pass."""
        ends = time.monotonic() + seconds
        while time.monotonic() < ends:
            self.send_chunk(": keep-alive\n\n")
            time.sleep(every)
        self.end_stream()

    def fault(self, script: Script, i: int, wrong_shape: str) -> bool:
        """The faults both API styles share, before text chunk ``i``; True when the stream is over."""
        if script.wrong_shape_after is not None and i == script.wrong_shape_after:
            self.send_chunk(wrong_shape)
            self.end_stream()
            return True
        if script.keepalive_after is not None and i == script.keepalive_after:
            self.keep_alive()
            return True
        if script.silent_after is not None and i == script.silent_after:
            time.sleep(30)
            self.end_stream()
            return True
        return False

    @staticmethod
    def pause(seconds: float) -> None:
        if seconds:
            time.sleep(seconds)
