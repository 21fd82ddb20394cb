"""Core figures, each against a baseline measured in the same process (machines here are noisy).

- counting a 1 MB prompt: our counter vs tiktoken's bare encode_ordinary on the same text
- recording overhead per call: runner.run (estimate, record start and end, price) vs streaming the
  same answer from the same local server through the provider alone
- cancel latency: time from cancel() to run() returning, while the server is mid-stream, with the
  stream read in this process (as the CLI does) and in the worker process (as the app does)

Run: python -m bench.bench_core
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from pathlib import Path

from playground.core import build_core
from playground.llm.cancel import CancelToken
from playground.llm.endpoints import Endpoint
from playground.llm.events import TextDelta
from playground.llm.providers.remote import StreamWorkers
from playground.llm.request import Request
from tests.servers.base import Script
from tests.servers.openai_server import OpenAITestServer


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_counting(core) -> None:
    text = ("The quick brown fox jumps over the lazy dog; naïve café 12345. " * 16_000)[:1_000_000]
    encoding = core.counter.encoding("gpt-4o")
    encoding.encode_ordinary("warm up")
    ours = best_of(lambda: core.counter.count_text("gpt-4o", text), 5)
    bare = best_of(lambda: encoding.encode_ordinary(text), 5)
    print(
        f"count 1 MB prompt: {ours * 1000:.0f} ms; bare tiktoken {bare * 1000:.0f} ms; "
        f"ratio {ours / bare:.2f}x"
    )


def bench_recording(core, server: OpenAITestServer) -> None:
    server.default = Script(text="word " * 50)
    request = Request.single("local", "gpt-4o-mini", "hello " * 50)
    setup = core.runner.setup(request)
    provider = core.runner.provider(setup)

    def bare() -> None:
        for _ in provider.stream(request, setup.prepared.values, CancelToken()):
            pass

    def recorded() -> None:
        core.runner.run(request)

    n = 40
    for fn in (bare, recorded):
        fn()
    bare_t = [best_of(bare, 1) for _ in range(n)]
    rec_t = [best_of(recorded, 1) for _ in range(n)]
    b, r = statistics.median(bare_t), statistics.median(rec_t)
    print(
        f"per call (median of {n}): provider alone {b * 1000:.1f} ms; runner with recording "
        f"{r * 1000:.1f} ms; overhead {(r - b) * 1000:.1f} ms ({r / b:.2f}x)"
    )


def bench_cancel(core, server: OpenAITestServer, label: str = "") -> None:
    latencies = []
    for _ in range(10):
        server.push(Script(text="a b c d e f g h i j", token_delay=0.2))
        cancel = CancelToken()
        first = threading.Event()
        done: list[float] = []

        def on_event(event, first=first):
            if isinstance(event, TextDelta):
                first.set()

        def work(cancel=cancel, on_event=on_event, done=done):
            core.runner.run(Request.single("local", "gpt-4o-mini", "x"), on_event=on_event, cancel=cancel)
            done.append(time.perf_counter())

        t = threading.Thread(target=work)
        t.start()
        first.wait(5)
        asked = time.perf_counter()
        cancel.cancel()
        t.join()
        latencies.append((done[0] - asked) * 1000)
    print(
        f"{label}cancel mid-stream to run() returning: median {statistics.median(latencies):.1f} ms, "
        f"max {max(latencies):.1f} ms (goal < 100 ms; server's next token was up to 200 ms away)"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as home, OpenAITestServer() as server:
        core = build_core(Path(home), keyring_backend=None, environ={})
        core.config.add_endpoint(Endpoint("local", "openai", server.base_url, "local", "openai"))
        core.keys.set("local", server.api_key)
        bench_counting(core)
        bench_recording(core, server)
        bench_cancel(core, server, "[in process] ")
        core.close()
    workers = StreamWorkers()
    with tempfile.TemporaryDirectory() as home, OpenAITestServer() as server:
        core = build_core(Path(home), keyring_backend=None, environ={}, provider_factory=workers.factory)
        core.config.add_endpoint(Endpoint("local", "openai", server.base_url, "local", "openai"))
        core.keys.set("local", server.api_key)
        core.runner.run(Request.single("local", "gpt-4o-mini", "warm up"))
        bench_cancel(core, server, "[worker process] ")
        core.close()
    workers.close()


if __name__ == "__main__":
    main()
