"""Keys through a real Secret Service (GNOME Keyring on a D-Bus session bus), where the machine has one.

.ci/run starts one with dbus-run-session and gnome-keyring-daemon; elsewhere this is skipped.
"""

import os
import uuid

import pytest

from playground.keys import KeyStore

pytestmark = pytest.mark.keyring_service


@pytest.fixture
def secret_service():
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        pytest.skip("no D-Bus session bus (run under dbus-run-session with gnome-keyring-daemon)")
    from keyring.backends import SecretService

    backend = SecretService.Keyring()
    try:
        backend.get_password("llm-playground-probe", "probe")
    except Exception as exc:  # no daemon, or a locked collection
        pytest.skip(f"no usable Secret Service: {exc}")
    return backend


def test_a_key_round_trips_through_the_real_secret_service(secret_service):
    name = f"test-{uuid.uuid4().hex[:8]}"
    keys = KeyStore(secret_service, environ={})
    assert keys.set(name, "sk-real-secret-service-key-42") == "keyring"
    assert KeyStore(secret_service, environ={}).get(name) == "sk-real-secret-service-key-42"
    assert keys.delete(name)
    assert KeyStore(secret_service, environ={}).get(name) is None
