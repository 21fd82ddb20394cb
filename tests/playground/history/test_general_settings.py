"""Settings ▸ General, core side: the zone and the stream limits are saved, read back and used."""

import time

import pytest

from playground.core import build_core
from playground.llm.errors import ErrorKind, PlaygroundError
from playground.llm.providers.base import StreamLimits
from playground.llm.request import Request
from tests.servers.base import Script

WORDS = " ".join(f"word{i}" for i in range(40))


def reopen(home, memory_keyring, encodings, environ=None):
    return build_core(home, keyring_backend=memory_keyring, environ=environ or {}, encodings=encodings)


def test_limits_round_trip_and_the_environment_still_wins(core, isolated_home, memory_keyring, encodings):
    assert core.general.read().saved == StreamLimits()
    core.general.set_limits(StreamLimits(connect_s=4, idle_s=0.5, overall_s=30))
    core.close()
    again = reopen(isolated_home, memory_keyring, encodings)
    try:
        general = again.general.read()
        assert general.saved == general.effective == StreamLimits(4, 0.5, 30) and general.from_env == ()
    finally:
        again.close()
    overridden = reopen(isolated_home, memory_keyring, encodings, {"PLAYGROUND_IDLE_TIMEOUT": "7"})
    try:
        general = overridden.general.read()
        assert general.saved.idle_s == 0.5 and general.effective == StreamLimits(4, 7, 30)
        assert general.from_env == ("PLAYGROUND_IDLE_TIMEOUT",)
        assert overridden.general.limits().idle_s == 7
    finally:
        overridden.close()


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf")])
def test_limits_must_be_positive_seconds(core, bad):
    with pytest.raises(PlaygroundError, match="positive seconds: idle_s"):
        core.general.set_limits(StreamLimits(idle_s=bad))
    assert core.general.read().saved == StreamLimits()


def test_a_saved_idle_timeout_ends_a_keep_alive_only_stream_on_the_next_call(core, local_openai):
    local_openai.push(Script(text=WORDS, keepalive_after=3))
    core.general.set_limits(StreamLimits(idle_s=0.5))
    started = time.monotonic()
    result = core.runner.run(Request.single("local", "gpt-4o", "q"))
    assert time.monotonic() - started < 5
    assert result.status == "error" and result.error.kind == ErrorKind.TIMEOUT
    assert result.text == "word0 word1 word2"


def test_the_zone_is_validated_saved_and_cleared(core):
    with pytest.raises(PlaygroundError):
        core.general.set_zone("Mars/Olympus_Mons")
    assert core.general.read().zone is None
    core.general.set_zone("Pacific/Kiritimati")
    assert core.general.read().zone == core.reports.clock.zone_name() == "Pacific/Kiritimati"
    core.general.set_zone("")
    general = core.general.read()
    assert general.zone is None and core.reports.clock.zone_name() == general.system_zone
