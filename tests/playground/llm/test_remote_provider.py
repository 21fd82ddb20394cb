"""Streams read in the worker process: same events, errors, cancel; a dead worker is replaced."""

import threading
import time

import pytest

from playground.core import build_core
from playground.llm.cancel import CancelToken
from playground.llm.endpoints import Endpoint
from playground.llm.errors import ErrorKind
from playground.llm.events import TextDelta
from playground.llm.providers.remote import StreamWorkers
from playground.llm.request import Request
from tests.conftest import FAST_RETRY
from tests.servers.base import Script


@pytest.fixture(scope="module")
def workers():
    pool = StreamWorkers()
    pool.start()
    yield pool
    pool.close()


@pytest.fixture
def remote_core(isolated_home, memory_keyring, encodings, workers, openai_server, anthropic_server):
    core = build_core(
        isolated_home,
        keyring_backend=memory_keyring,
        environ={},
        retry=FAST_RETRY,
        timeout_s=5,
        encodings=encodings,
        provider_factory=workers.factory,
    )
    core.config.add_endpoint(Endpoint("local", "openai", openai_server.base_url, "local", "openai"))
    core.config.add_endpoint(Endpoint("ant", "anthropic", anthropic_server.base_url, "ant", "anthropic"))
    core.keys.set("local", openai_server.api_key)
    core.keys.set("ant", anthropic_server.api_key)
    yield core
    core.close()


def test_streams_through_the_worker_with_usage_and_cost(remote_core, openai_server):
    openai_server.push(Script(text="alpha beta gamma delta", prompt_tokens=9, token_delay=0.005))
    seen = []
    result = remote_core.runner.run(Request.single("local", "gpt-4o-mini", "hi"), on_event=seen.append)
    assert result.status == "ok" and result.text == "alpha beta gamma delta"
    assert "".join(e.text for e in seen if isinstance(e, TextDelta)) == result.text
    assert result.usage.input_tokens == 9 and result.cost.known
    assert remote_core.history.get(result.call_id).output == result.text


def test_errors_keep_their_kind_across_the_pipe(remote_core, anthropic_server, openai_server):
    anthropic_server.push(Script(status=401, error_type="authentication_error", error_message="bad key"))
    result = remote_core.runner.run(Request.single("ant", "claude-haiku-4-5", "hi"))
    assert result.error.kind == ErrorKind.KEY_REJECTED
    openai_server.push(Script(text="one two three", cut_after=2))
    cut = remote_core.runner.run(Request.single("local", "gpt-4o", "hi"))
    assert cut.error.kind == ErrorKind.STREAM_CUT and cut.text == "one two"


def test_cancel_reaches_the_worker(remote_core, openai_server):
    openai_server.push(Script(text="a b c d e f g h", token_delay=0.3))
    cancel = CancelToken()
    started = threading.Event()
    box = []
    t = threading.Thread(
        target=lambda: box.append(
            remote_core.runner.run(
                Request.single("local", "gpt-4o", "x"),
                cancel=cancel,
                on_event=lambda e: isinstance(e, TextDelta) and started.set(),
            )
        )
    )
    t.start()
    assert started.wait(5)
    cancel.cancel()
    t.join(5)
    assert box[0].status == "cancelled" and box[0].text.startswith("a")
    follow = remote_core.runner.run(Request.single("local", "gpt-4o", "again"))
    assert follow.status == "ok"


def test_a_killed_worker_fails_its_calls_plainly_and_is_replaced(remote_core, openai_server, workers):
    openai_server.push(Script(text="a b c d e f g h", token_delay=0.3))
    box = []
    t = threading.Thread(
        target=lambda: box.append(remote_core.runner.run(Request.single("local", "gpt-4o", "x")))
    )
    t.start()
    deadline = time.monotonic() + 5
    while not openai_server.received and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.4)
    workers._worker.process.kill()
    t.join(10)
    assert box[0].status == "error" and box[0].error.kind == ErrorKind.STREAM_CUT
    assert "worker" in box[0].error.message
    assert remote_core.runner.run(Request.single("local", "gpt-4o", "again")).status == "ok"


def test_tool_calls_and_results_cross_the_pipe(remote_core, anthropic_server):
    from playground.llm.request import Message
    from playground.llm.tools import ToolResult, ToolSet, ToolSpec

    tools = ToolSet((ToolSpec("lookup", "Look a word up.", {"type": "object", "properties": {}}),)).to_dict()
    anthropic_server.push(Script(tool_calls=[("lookup", '{"word": "pipe"}')], tool_split=2))
    ask = Message("user", "Look up pipe")
    first = remote_core.runner.run(Request("ant", "claude-haiku-4-5", (ask,), params={"tools": tools}))
    [call] = first.tool_calls
    assert call.arguments == {"word": "pipe"} and call.valid.valid
    turn = (
        Message("assistant", "", (call,)),
        Message("user", "", tool_results=(ToolResult(call.id, "a tube"),)),
    )
    second = remote_core.runner.run(Request("ant", "claude-haiku-4-5", (ask, *turn), params={"tools": tools}))
    assert second.status == "ok" and second.text == "The tools said: a tube"
