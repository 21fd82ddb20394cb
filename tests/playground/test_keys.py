import logging

from keyring.errors import KeyringError

from playground.history.pending_ends import PendingEnds
from playground.keys import SERVICE, KeyStore
from playground.llm.request import Request
from tests.memory_keyring import MemoryKeyring
from tests.servers.base import Script


def test_keys_go_to_the_keyring_and_status_masks_them(memory_keyring):
    keys = KeyStore(memory_keyring, environ={})
    assert keys.set("openai", "  sk-abcdefghijklmnop1234\n") == "keyring"
    assert memory_keyring.get_password(SERVICE, "openai") == "sk-abcdefghijklmnop1234"
    status = keys.status("openai")
    assert status.source == "keyring" and "abcdefgh" not in status.masked and status.masked.endswith("1234")
    assert keys.delete("openai") and keys.get("openai") is None


def test_environment_variable_is_the_fallback(memory_keyring):
    keys = KeyStore(memory_keyring, environ={"ANTHROPIC_API_KEY": "sk-ant-from-env-000000"})
    assert keys.get("anthropic") == "sk-ant-from-env-000000"
    assert keys.status("anthropic").source == "environment"
    keys.set("anthropic", "sk-ant-from-keyring-111111")
    assert keys.get("anthropic") == "sk-ant-from-keyring-111111"


def test_without_a_keyring_keys_live_for_the_session_only(tmp_path):
    keys = KeyStore(None, environ={})
    assert not keys.persistent and "session only" in keys.problem
    assert keys.set("openai", "sk-session-only-key-123") == "session"
    assert keys.get("openai") == "sk-session-only-key-123"
    assert keys.status("openai").source == "session"
    assert list(tmp_path.iterdir()) == []


class BrokenKeyring(MemoryKeyring):
    def set_password(self, service, username, password):
        raise KeyringError("the collection is locked")


def test_a_locked_keyring_falls_back_to_the_session_with_a_message():
    keys = KeyStore(BrokenKeyring(), environ={})
    assert keys.set("openai", "sk-locked-keyring-0000") == "session"
    assert "locked" in keys.problem and keys.get("openai") == "sk-locked-keyring-0000"


def test_a_canary_key_never_reaches_the_database_or_the_logs(core, local_openai, caplog, monkeypatch):
    canary = "sk-canary-7f3a9c2e1b5d4f6a8c0e"
    core.keys.set("local", canary)
    monkeypatch.setattr(PendingEnds, "done", staticmethod(lambda path: None))  # keep them to read
    caplog.set_level(logging.DEBUG)
    local_openai.push(Script(echo_key=True))
    failed = core.runner.run(Request.single("local", "gpt-4o-mini", "hello", params={"temperature": 0.1}))
    local_openai.api_key = canary
    ok = core.runner.run(Request.single("local", "gpt-4o-mini", "hello again"))
    assert failed.status == "error" and ok.status == "ok"
    core.history.flush()
    # the database with its WAL, and each call's end as kept beside it until recorded (left here)
    files = [p for p in core.home.rglob("*") if p.is_file()]  # what a backup would copy
    assert any(p.name.endswith("-wal") for p in files)
    assert len([p for p in files if p.parent.name == "pending"]) == 2
    for path in files:
        assert canary.encode() not in path.read_bytes(), path.name
    assert canary not in caplog.text


def test_the_log_file_strips_keys_from_messages_and_tracebacks(tmp_path):
    from playground.logs import setup_logging

    path = setup_logging(tmp_path)
    log = logging.getLogger("playground.test")
    try:
        log.warning("server said: Incorrect API key provided: %s", "sk-proj-abcdefghijklmnopqrstuvwxyz")
        try:
            raise RuntimeError("Bearer sk-ant-api03-abcdefghijklmnop in a traceback")
        except RuntimeError:
            log.exception("failed")
    finally:
        for handler in logging.getLogger().handlers[:]:
            if getattr(handler, "baseFilename", "") == str(path):
                logging.getLogger().removeHandler(handler)
                handler.close()
    text = path.read_text()
    assert "abcdefghijklmnop" not in text
    assert "Incorrect API key provided: [redacted]" in text and "RuntimeError: [redacted]" in text


def test_the_null_keyring_is_never_reported_as_saving():
    """keyring's null backend accepts a key and forgets it: that is "not saved", with the way out."""
    from keyring.backends import null

    keys = KeyStore(null.Keyring(), environ={})
    assert keys.set("openai", "sk-null-backend-key-0000") == "session"
    assert keys.get("openai") == "sk-null-backend-key-0000"  # usable for this session
    assert "not saved" in keys.problem and "OPENAI_API_KEY" in keys.problem


def test_the_fail_keyring_keeps_the_key_for_the_session_and_names_the_variable():
    from keyring.backends import fail

    keys = KeyStore(fail.Keyring(), environ={})
    assert keys.set("anthropic", "sk-ant-fail-backend-0000") == "session"
    assert keys.status("anthropic").source == "session"
    assert "session only" in keys.problem and "ANTHROPIC_API_KEY" in keys.problem


def test_system_backend_treats_null_and_fail_as_no_keyring(monkeypatch):
    import keyring
    from keyring.backends import fail, null

    from playground.keys import system_backend

    for backend in (null.Keyring(), fail.Keyring()):
        monkeypatch.setattr(keyring, "get_keyring", lambda b=backend: b)
        assert system_backend() is None


def test_each_source_is_named_in_words(memory_keyring):
    keys = KeyStore(memory_keyring, environ={"MY_SERVER_KEY": "sk-from-my-variable-0001"})
    assert keys.status("local", "MY_SERVER_KEY").describe() == "environment variable MY_SERVER_KEY"
    assert keys.status("openai").describe() == "missing"
    assert keys.status("openai").env == "OPENAI_API_KEY"  # where a user could put it
    keys.set("openai", "sk-in-the-keyring-000001")
    assert keys.status("openai").describe() == "keyring"
    session = KeyStore(None, environ={})
    session.set("anthropic", "sk-ant-session-only-0001")
    assert session.status("anthropic").describe() == "this session only"


def test_a_saved_key_comes_before_the_named_variable(memory_keyring):
    keys = KeyStore(memory_keyring, environ={"MY_SERVER_KEY": "sk-from-my-variable-0001"})
    assert keys.get("local", "MY_SERVER_KEY") == "sk-from-my-variable-0001"
    assert keys.get("local") is None  # no standard variable for a custom name
    keys.set("local", "sk-saved-in-keyring-0002")
    assert keys.get("local", "MY_SERVER_KEY") == "sk-saved-in-keyring-0002"
    assert keys.status("local", "MY_SERVER_KEY").source == "keyring"
    keys.delete("local")
    session = KeyStore(None, environ={"MY_SERVER_KEY": "sk-from-my-variable-0001"})
    session.set("local", "sk-typed-this-session-03")
    assert session.get("local", "MY_SERVER_KEY") == "sk-typed-this-session-03"


def test_admin_keys_for_bills_are_kept_like_the_others(memory_keyring):
    from playground.keys import key_names, label

    keys = KeyStore(memory_keyring, environ={"ANTHROPIC_ADMIN_KEY": "sk-ant-admin-from-env-01"})
    assert keys.get("anthropic-admin") == "sk-ant-admin-from-env-01"
    assert keys.set("openai-admin", "sk-admin-in-keyring-0001") == "keyring"
    assert keys.get("openai-admin") == "sk-admin-in-keyring-0001"
    assert label("openai-admin") == "OpenAI admin key (for importing your bill)"
    names = key_names([("openai", None), ("zeta", "ZETA_KEY"), ("anthropic", None), (None, None)])
    assert list(names) == ["openai", "anthropic", "openai-admin", "anthropic-admin", "zeta"]
    assert names["openai-admin"] == "OPENAI_ADMIN_KEY" and names["zeta"] == "ZETA_KEY"


def test_an_endpoint_key_env_sends_that_variables_key(
    isolated_home, memory_keyring, encodings, openai_server
):
    """A custom endpoint with no saved key calls the server with the key from its own variable."""
    from playground.core import build_core
    from playground.llm.codegen import generate
    from playground.llm.endpoints import Endpoint
    from tests.conftest import FAST_RETRY

    core = build_core(
        isolated_home,
        keyring_backend=memory_keyring,
        environ={"MY_SERVER_KEY": openai_server.api_key},
        retry=FAST_RETRY,
        timeout_s=5,
        encodings=encodings,
    )
    try:
        endpoint = Endpoint("mine", "openai", openai_server.base_url, "mine", key_env="MY_SERVER_KEY")
        core.config.add_endpoint(endpoint)
        assert core.config.endpoint("mine").key_env == "MY_SERVER_KEY"  # kept in the database
        result = core.runner.run(Request.single("mine", "gpt-4o-mini", "hello"))
        assert result.status == "ok"
        headers = {k.lower(): v for k, v in openai_server.received[-1].headers.items()}
        assert headers["authorization"] == f"Bearer {openai_server.api_key}"
        code = generate(core.config.endpoint("mine"), Request.single("mine", "gpt-4o-mini", "hello"))
        assert 'os.environ["MY_SERVER_KEY"]' in code.python and "MY_SERVER_KEY" in code.key_note
    finally:
        core.close()


def test_a_bad_variable_name_is_refused(core):
    import pytest

    from playground.llm.endpoints import Endpoint
    from playground.llm.errors import PlaygroundError

    with pytest.raises(PlaygroundError, match="not an environment variable name"):
        core.config.add_endpoint(
            Endpoint("mine", "openai", "http://localhost:1/v1", "mine", key_env="MY KEY")
        )


def test_a_key_with_a_stray_newline_says_so_and_is_never_sent(
    isolated_home, memory_keyring, encodings, openai_server
):
    """Before: the SDK failed on the header and the user read "check the network"."""
    from playground.core import build_core
    from playground.llm.endpoints import Endpoint
    from tests.conftest import FAST_RETRY

    core = build_core(
        isolated_home,
        keyring_backend=memory_keyring,
        environ={"MY_SERVER_KEY": "sk-abc\ndef"},
        retry=FAST_RETRY,
        timeout_s=5,
        encodings=encodings,
    )
    try:
        core.config.add_endpoint(
            Endpoint("mine", "openai", openai_server.base_url, "mine", key_env="MY_SERVER_KEY")
        )
        result = core.runner.run(Request.single("mine", "gpt-4o-mini", "hello"))
        assert result.status == "error" and result.error is not None
        assert "line break" in result.error.message and "network" not in result.error.message
        assert "sk-abc" not in result.error.message
        assert openai_server.received == []
    finally:
        core.close()
