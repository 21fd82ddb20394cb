import threading
import time
from decimal import Decimal

import pytest

from playground.compare.columns import (
    Column,
    CompareSet,
    parse_values,
    sweep,
    word_diff,
)
from playground.compare.runner import CompareRun, Concurrency, Job
from playground.llm.errors import PlaygroundError
from playground.llm.request import Message
from playground.spend.forecast import forecast
from tests.servers.base import Script


def test_sweep_makes_one_column_per_value():
    columns = sweep(Column("openai", "gpt-4o", {"max_tokens": 50}), "temperature", [0, 0.5, 1.0, 1.5])
    assert [c.params for c in columns] == [{"max_tokens": 50, "temperature": v} for v in (0, 0.5, 1.0, 1.5)]
    assert parse_values("0, 0.5 1.0") == ["0", "0.5", "1.0"]
    with pytest.raises(PlaygroundError):
        sweep(Column("openai", "gpt-4o"), "temperature", [0.1])


def test_compare_sets_save_and_reopen():
    saved = CompareSet(
        [Column("openai", "gpt-4o"), Column("anthropic", "claude-haiku-4-5", {"top_k": 5})], 3, True
    )
    assert CompareSet.from_json(saved.to_json()) == saved
    with pytest.raises(PlaygroundError):
        CompareSet.from_json("{not json")


def test_word_diff_marks_changed_words():
    diff = word_diff("the cat sat on the mat", "the dog sat on a mat")
    assert ("delete", "cat") in diff and ("insert", "dog") in diff
    assert "".join(t for op, t in diff if op != "insert") == "the cat sat on the mat"
    assert "".join(t for op, t in diff if op != "delete") == "the dog sat on a mat"


def test_forecast_adds_columns_and_uses_history_for_the_typical_cost(core, local_openai):
    columns = [Column("local", "gpt-4o-mini"), Column("local", "gpt-4o", {"max_tokens": 100})]
    history_runs = [
        core.runner.run(Column("local", "gpt-4o").request("", [Message("user", "hi")], {})) for _ in range(3)
    ]
    f = forecast(
        columns,
        "sys",
        [Message("user", "Hello there")],
        {"max_tokens": 200},
        2,
        core.config.endpoint,
        core.counter,
        core.pricer,
        core.history.typical_cost,
    )
    mini, big = f.columns
    assert mini.typical_cost is None and big.typical_calls == 3
    assert big.typical_cost == history_runs[0].cost.total
    assert f.input_total == (mini.input_cost + big.input_cost) * 2
    assert big.worst_cost < mini.worst_cost * 100  # gpt-4o at 100 tokens vs mini at 200: both priced
    assert f.crosses(Decimal("0.0000001")) and not f.crosses(Decimal("100"))


def test_unknown_price_makes_the_forecast_unknown_not_zero(core, local_openai):
    f = forecast(
        [Column("local", "mystery-model")],
        "",
        [Message("user", "x")],
        {},
        1,
        core.config.endpoint,
        core.counter,
        core.pricer,
        core.history.typical_cost,
    )
    assert f.worst_total is None and f.unknown_columns and f.crosses(Decimal("100"))


def test_compare_run_records_a_group_and_one_failure_does_not_stop_others(
    core, local_openai, local_anthropic
):
    local_anthropic.push(Script(status=401, error_type="authentication_error", error_message="nope"))
    run = CompareRun(core.runner, parallel=4)
    jobs = [
        Job(0, 0, 0, Column("local", "gpt-4o").request("", [Message("user", "hi")], {})),
        Job(1, 1, 0, Column("localant", "claude-haiku-4-5").request("", [Message("user", "hi")], {})),
        Job(2, 0, 1, Column("local", "gpt-4o").request("", [Message("user", "hi")], {})),
    ]
    done = {}
    lock = threading.Lock()

    def on_done(job, res):
        with lock:
            done[job.id] = res

    for t in run.start(jobs, lambda job, event: None, on_done):
        t.join(10)
    assert done[0].status == "ok" and done[2].status == "ok" and done[1].error.kind == "key_rejected"
    rows = core.history.group(run.group_id)
    assert len(rows) == 3 and {r.status for r in rows} == {"ok", "error"}


def test_a_rate_limited_endpoint_does_not_hold_up_the_others(core, local_openai, local_anthropic):
    local_anthropic.push(
        Script(status=429, error_type="rate_limit_error", headers={"retry-after": "1"}),
        Script(status=429, error_type="rate_limit_error", headers={"retry-after": "1"}),
    )
    run = CompareRun(core.runner, parallel=2, per_endpoint=1)
    finished = {}
    jobs = [
        Job(0, 0, 0, Column("localant", "claude-haiku-4-5").request("", [Message("user", "a")], {})),
        Job(1, 1, 0, Column("localant", "claude-haiku-4-5").request("", [Message("user", "b")], {})),
        Job(2, 2, 0, Column("local", "gpt-4o").request("", [Message("user", "c")], {})),
    ]
    start = time.monotonic()
    threads = run.start(
        jobs, lambda job, event: None, lambda job, res: finished.setdefault(job.id, time.monotonic())
    )
    for t in threads:
        t.join(15)
    assert finished[2] - start < 1.0  # the OpenAI column did not wait behind the retrying Anthropic ones
    assert min(finished[0], finished[1]) - start >= 1.0


def test_stop_all_cancels_running_and_waiting_jobs(core, local_openai):
    local_openai.default = Script(text="a b c d e f g h i j", token_delay=0.3)
    run = CompareRun(core.runner, parallel=1)
    jobs = [
        Job(i, i, 0, Column("local", "gpt-4o").request("", [Message("user", str(i))], {})) for i in range(3)
    ]
    done = {}
    threads = run.start(jobs, lambda job, event: None, lambda job, res: done.setdefault(job.id, res))
    time.sleep(0.5)
    run.cancel()
    for t in threads:
        t.join(5)
    assert {r.status for r in done.values()} == {"cancelled"}
    assert len(core.history.group(run.group_id)) == 1  # the two that never started are not call attempts


def test_votes_make_a_leaderboard(core):
    core.votes.record("g1", "openai / gpt-4o", ["openai / gpt-4o", "anthropic / claude-haiku-4-5"])
    core.votes.record("g2", "openai / gpt-4o", ["openai / gpt-4o", "anthropic / claude-haiku-4-5"])
    core.votes.record(
        "g3", "anthropic / claude-haiku-4-5", ["openai / gpt-4o", "anthropic / claude-haiku-4-5"]
    )
    board = core.votes.leaderboard()
    assert [(s.model, s.wins, s.contests) for s in board] == [
        ("openai / gpt-4o", 2, 3),
        ("anthropic / claude-haiku-4-5", 1, 3),
    ]


def test_a_group_is_restored_from_history_with_its_repeats(core, local_openai):
    from playground.compare.columns import restore_group

    local_openai.push(Script(text="first answer"), Script(text="other model"), Script(text="second answer"))
    # One at a time in job order, so the scripts above reach the jobs in that order.
    run = CompareRun(core.runner, concurrency=Concurrency(parallel=1, repeats_in_parallel=True))
    messages = [Message("user", "Compare this")]
    jobs = [
        Job(0, 0, 0, Column("local", "gpt-4o", {"temperature": 0.5}).request("Be brief", messages, {})),
        Job(1, 1, 0, Column("local", "gpt-4o-mini").request("Be brief", messages, {})),
        Job(2, 0, 1, Column("local", "gpt-4o", {"temperature": 0.5}).request("Be brief", messages, {})),
    ]
    for t in run.start(jobs, lambda job, e: None, lambda job, r: None):
        t.join(10)
    restored = restore_group(core.history.group(run.group_id))
    assert restored.system == "Be brief" and restored.messages == messages
    assert [c.label() for c in restored.columns] == [
        "local / gpt-4o (temperature=0.5)",
        "local / gpt-4o-mini",
    ]
    assert sorted(r.text for r in restored.results[0]) == ["first answer", "second answer"]
    assert restored.results[0][0].cost.known
    (group,) = core.history.recent_groups()
    assert group["group_id"] == run.group_id and group["calls"] == 3
    # An evaluation run groups its calls too, but it is not a comparison to reopen.
    core.storage.writer.call(
        lambda db: db.execute("insert into eval_runs (id, status) values (?, 'done')", [run.group_id])
    )
    assert core.history.recent_groups() == []
