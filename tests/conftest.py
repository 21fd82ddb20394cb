"""Every test gets its own data folder and an in-memory keyring, and never sees real API keys."""

from __future__ import annotations

import os

# Chosen before anything asks keyring for its backend, so even code that calls keyring
# directly (the CLI) lands in memory, never in the developer's real keyring.
os.environ["PYTHON_KEYRING_BACKEND"] = "tests.memory_keyring.MemoryKeyring"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
import pytest

from playground.core import build_core
from playground.llm.endpoints import Endpoint
from playground.llm.runner import RetryPolicy
from playground.paths import resources_dir
from playground.tokens.encodings import Encodings
from tests.memory_keyring import MemoryKeyring
from tests.servers.anthropic_server import AnthropicTestServer
from tests.servers.openai_server import OpenAITestServer

SECRET_ENV = (
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "OPENROUTER_API_KEY",
    "GROQ_API_KEY",
    "OPENAI_ADMIN_KEY",
    "ANTHROPIC_ADMIN_KEY",
)
FAST_RETRY = RetryPolicy(attempts=4, base_delay_s=0.01, max_wait_s=5)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("PLAYGROUND_HOME", str(home))
    for name in SECRET_ENV:
        monkeypatch.delenv(name, raising=False)
    MemoryKeyring.store.clear()
    keyring.set_keyring(MemoryKeyring())
    return home


@pytest.fixture
def memory_keyring():
    return MemoryKeyring()


@pytest.fixture(scope="session")
def encodings():
    """Loaded once per session: parsing the rank files is the slow part of a core."""
    return Encodings(resources_dir() / "tiktoken")


@pytest.fixture
def core(isolated_home, memory_keyring, encodings):
    c = build_core(
        isolated_home,
        keyring_backend=memory_keyring,
        environ={},
        retry=FAST_RETRY,
        timeout_s=5,
        encodings=encodings,
    )
    yield c
    c.close()


@pytest.fixture
def openai_server():
    with OpenAITestServer() as server:
        yield server


@pytest.fixture
def anthropic_server():
    with AnthropicTestServer() as server:
        yield server


@pytest.fixture
def local_openai(core, openai_server):
    """An endpoint 'local' on the OpenAI test server, priced as OpenAI, with its key set."""
    core.config.add_endpoint(Endpoint("local", "openai", openai_server.base_url, "local", price_as="openai"))
    core.keys.set("local", openai_server.api_key)
    return openai_server


@pytest.fixture
def local_anthropic(core, anthropic_server):
    core.config.add_endpoint(
        Endpoint("localant", "anthropic", anthropic_server.base_url, "localant", price_as="anthropic")
    )
    core.keys.set("localant", anthropic_server.api_key)
    return anthropic_server
