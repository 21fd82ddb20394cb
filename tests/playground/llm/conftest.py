"""A core whose calls stream through a fresh worker process, as the app's do."""

import pytest

from playground.core import build_core
from playground.llm.providers.remote import StreamWorkers
from tests.conftest import FAST_RETRY


@pytest.fixture
def worker_core(isolated_home, memory_keyring, encodings):
    """(core, workers): the worker process has imported no SDK yet; both closed after the test."""
    workers = StreamWorkers()
    core = build_core(
        isolated_home,
        keyring_backend=memory_keyring,
        environ={},
        retry=FAST_RETRY,
        timeout_s=10,
        encodings=encodings,
        provider_factory=workers.factory,
    )
    yield core, workers
    core.close()
    workers.close()
