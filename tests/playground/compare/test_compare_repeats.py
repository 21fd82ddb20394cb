"""Repeats of a column run one after another by default, so their spread measures the model."""

import threading
import time

from playground.compare.columns import Column
from playground.compare.runner import CompareRun, Concurrency, Job
from playground.llm.events import Started
from playground.llm.request import Message
from tests.servers.base import Script


def run_and_time(core, run, jobs):
    """(start, end) of each job: start when it got its turn, end when its result came back."""
    spans: dict[int, list[float]] = {}
    lock = threading.Lock()

    def on_event(job, event):
        if isinstance(event, Started):
            with lock:
                spans[job.id] = [time.monotonic()]

    def on_done(job, result):
        assert result.status == "ok", result.error
        with lock:
            spans[job.id].append(time.monotonic())

    for t in run.start(jobs, on_event, on_done):
        t.join(20)
    return spans


def overlaps(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def repeats(column: Column, n: int, first_id: int = 0, index: int = 0) -> list[Job]:
    request = column.request("", [Message("user", "hi")], {})
    return [Job(first_id + r, index, r, request) for r in range(n)]


def test_repeats_run_one_after_another_by_default(core, local_openai):
    local_openai.default = Script(text="a b c d e", token_delay=0.04)
    run = CompareRun(core.runner, parallel=6)
    assert not run.concurrency.repeats_in_parallel and run.concurrency.label == "repeats one after another"
    jobs = repeats(Column("local", "gpt-4o"), 3) + repeats(Column("local", "gpt-4o-mini"), 1, 3, 1)
    spans = run_and_time(core, run, jobs)
    assert not overlaps(spans[0], spans[1]) and not overlaps(spans[1], spans[2])
    assert spans[0][1] <= spans[1][0] and spans[1][1] <= spans[2][0]  # in order
    assert overlaps(spans[0], spans[3])  # other columns still run alongside


def test_repeats_can_run_in_parallel_when_asked(core, local_openai):
    local_openai.default = Script(text="a b c d e", token_delay=0.04)
    run = CompareRun(core.runner, concurrency=Concurrency(repeats_in_parallel=True))
    assert run.concurrency.label == "repeats in parallel"
    spans = run_and_time(core, run, repeats(Column("local", "gpt-4o"), 3))
    assert overlaps(spans[0], spans[1]) and overlaps(spans[1], spans[2])


def test_the_per_endpoint_limit_is_a_setting(core, local_openai):
    local_openai.default = Script(text="a b c d e", token_delay=0.04)
    run = CompareRun(core.runner, concurrency=Concurrency(per_endpoint=1))
    jobs = repeats(Column("local", "gpt-4o"), 1) + repeats(Column("local", "gpt-4o-mini"), 1, 1, 1)
    spans = run_and_time(core, run, jobs)
    assert not overlaps(spans[0], spans[1])
