"""The stream worker's gate: a stream about to send waits while another SDK is being imported (its
import would delay this stream's first token), never past a cancel or its bound."""

import threading
import time

from playground.llm.cancel import CancelToken
from playground.llm.providers.remote import ImportGate


def waited(gate: ImportGate, cancel: CancelToken | None = None) -> float:
    started = time.monotonic()
    gate.ready("openai", cancel or CancelToken())
    return time.monotonic() - started


def test_a_stream_waits_for_an_import_in_flight_and_goes_when_it_ends():
    gate = ImportGate(wait_s=5)
    assert waited(gate) < 0.05  # nothing loading: it goes at once
    gate.expect("anthropic")
    threading.Timer(0.3, gate.loaded, args=("anthropic",)).start()
    assert 0.28 < waited(gate) < 0.6
    gate.expect("anthropic")  # loaded once: never waited for again
    assert waited(gate) < 0.05


def test_a_cancel_or_the_bound_ends_the_wait():
    gate = ImportGate(wait_s=0.3)
    gate.expect("anthropic")  # an import that never ends (a broken install that hangs)
    assert 0.28 < waited(gate) < 0.6
    cancel = CancelToken()
    threading.Timer(0.1, cancel.cancel).start()
    assert waited(gate, cancel) < 0.2
