"""The picker's favourites and recent models: saved in the history, read back after a restart."""

import json
import threading

from playground.core import build_core
from playground.history.model_prefs import FAVOURITES, RECENTS, ModelPrefs, ModelPrefStore


def reopen(home, memory_keyring, encodings):
    return build_core(home, keyring_backend=memory_keyring, environ={}, encodings=encodings)


def test_stars_and_recents_survive_a_restart(core, isolated_home, memory_keyring, encodings):
    store = ModelPrefStore(core.storage)
    assert store.read() == ModelPrefs()
    store.set_favourite(("openai", "gpt-4o"), True)
    store.set_favourite(("local", "llama3.1:8b"), True)
    store.set_favourite(("openai", "gpt-4o"), False)
    for n in range(RECENTS + 2):
        store.used(("openai", f"m{n}"))
    store.used(("openai", "m3"))  # used again: first, not twice
    core.close()
    again = reopen(isolated_home, memory_keyring, encodings)
    try:
        prefs = ModelPrefStore(again.storage).read()
    finally:
        again.close()
    assert prefs.favourites == (("local", "llama3.1:8b"),)
    assert prefs.recents == tuple(("openai", m) for m in ("m3", "m6", "m5", "m4", "m2"))


def test_concurrent_stars_are_all_kept(core):
    """Each change reads and writes in one writer transaction: no star is lost to a race."""
    store = ModelPrefStore(core.storage)
    threads = [
        threading.Thread(target=store.set_favourite, args=(("openai", f"m{n}"), True)) for n in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(store.read().favourites) == sorted(("openai", f"m{n}") for n in range(8))


def test_a_damaged_value_reads_as_empty_and_is_replaced(core):
    store = ModelPrefStore(core.storage)
    core.storage.writer.call(
        lambda db: db.table("settings").upsert({"key": FAVOURITES, "value": "{not json"}, pk="key")
    )
    assert store.read().favourites == ()
    core.storage.writer.call(
        lambda db: db.table("settings").upsert(
            {"key": FAVOURITES, "value": json.dumps([["a", "b"], ["only one"], 3, ["", "x"]])}, pk="key"
        )
    )
    assert store.read().favourites == (("a", "b"),)
    assert store.set_favourite(("c", "d"), True).favourites == (("a", "b"), ("c", "d"))
