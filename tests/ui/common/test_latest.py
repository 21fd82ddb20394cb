"""Latest: only the newest request is answered, and requests superseded while still queued never
run (each keystroke of a search queued a query behind the busy pool)."""

import threading

import pytest

from ui.common.background import Background, Latest

pytestmark = pytest.mark.gui


def test_superseded_queued_requests_never_run_and_only_the_newest_is_answered(qtbot):
    background = Background(workers=1)
    latest = Latest(background)
    release = threading.Event()
    ran: list[str] = []
    answers: list[str] = []

    def query(text: str):
        def work() -> str:
            ran.append(text)
            if text == "h":
                release.wait(5)  # the pool is busy with it while the next keys come
            return text

        return work

    for text in ("h", "he", "hel", "hell", "hello"):
        latest.submit(query(text), answers.append)
    qtbot.waitUntil(lambda: ran == ["h"], timeout=5000)
    release.set()
    qtbot.waitUntil(lambda: answers == ["hello"], timeout=5000)
    qtbot.wait(100)
    assert ran == ["h", "hello"]  # "he", "hel", "hell" were never run; "h" ran, its answer dropped
    assert answers == ["hello"]
    background.shutdown()
