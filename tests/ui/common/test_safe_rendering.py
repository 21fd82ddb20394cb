"""Model output never makes the app load a resource: no local file, no FIFO, no /dev/zero."""

from __future__ import annotations

import os
import subprocess
import time

import pytest
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QTextBrowser

from ui.common.safe_text import SafeBrowser, SafeDocument
from ui.playground.output_pane import OutputPane


@pytest.fixture
def fifo(tmp_path):
    """A FIFO fed by a writer process that logs each time somebody opens it for reading.
    (A process, not a thread: Qt blocks in open() holding the GIL, so a thread could not answer.)"""
    path, log = tmp_path / "pipe", tmp_path / "opened.log"
    os.mkfifo(path)
    writer = subprocess.Popen(
        ["sh", "-c", 'while :; do printf GIF89a > "$0" && echo opened >> "$1"; done', str(path), str(log)]
    )
    yield path, lambda: log.exists() and log.read_text().count("opened") > 0
    writer.kill()
    writer.wait()


def answer_naming(path) -> str:
    return f"Look: ![x]({path}) and <img src='{path}'> and [link]({path})"


def render_and_wait(qtbot, view, show_markdown) -> None:
    view.resize(400, 300)
    view.show()
    show_markdown()
    deadline = time.monotonic() + 0.5  # time to load (and paint) images, if anything would
    while time.monotonic() < deadline:
        qtbot.wait(20)


def test_a_plain_qt_view_would_open_the_file_so_the_check_can_fail(qtbot, fifo):
    path, opened = fifo
    view = QTextBrowser()
    qtbot.addWidget(view)
    render_and_wait(qtbot, view, lambda: view.setMarkdown(answer_naming(path)))
    assert opened()


def test_the_answer_view_opens_no_file_named_in_the_answer(qtbot, fifo):
    path, opened = fifo
    pane = OutputPane()
    qtbot.addWidget(pane)
    pane.modes.button(1).setChecked(True)  # Markdown
    pane.start()
    render_and_wait(qtbot, pane, lambda: (pane.append(answer_naming(path)), pane.finish()))
    assert not opened()
    assert "<img src=" in pane.rich.toPlainText()  # raw HTML shows as the text it is


class CountingDocument(SafeDocument):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.asked: list[str] = []

    def loadResource(self, type: int, name):
        self.asked.append(name.toString())
        return super().loadResource(type, name)


def test_every_resource_asked_for_is_a_blank_or_nothing(qtbot, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG not really")
    view = SafeBrowser()
    qtbot.addWidget(view)
    document = CountingDocument(view)
    view.setDocument(document)
    render_and_wait(qtbot, view, lambda: view.set_markdown(f"![x]({secret}) ![y](/etc/passwd)"))
    assert document.asked  # Qt did ask for the images...
    for url in list(document.asked):  # ...and got a blank placeholder, never the file
        image = document.resource(QTextDocument.ResourceType.ImageResource.value, url)
        assert image is None or (image.width(), image.height()) == (1, 1)


def test_an_answer_naming_dev_zero_neither_hangs_nor_aborts(qtbot):
    pane = OutputPane()
    qtbot.addWidget(pane)
    pane.modes.button(1).setChecked(True)
    pane.start()
    started = time.monotonic()
    render_and_wait(
        qtbot, pane, lambda: (pane.append('![x](/dev/zero) <img src="/dev/zero">'), pane.finish())
    )
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("make", ["call_detail", "diff", "logprob", "tokens"])
def test_every_view_of_model_text_is_a_safe_browser(qtbot, make):
    from playground.llm.events import TokenLogprob

    if make == "call_detail":
        from ui.history.call_detail import CallDetail

        view = CallDetail()
    elif make == "diff":
        from ui.compare.diff_dialog import DiffDialog

        dialog = DiffDialog([("a", "one"), ("b", "two")])
        qtbot.addWidget(dialog)
        view = dialog.view
    elif make == "logprob":
        from ui.playground.logprob_view import LogprobView

        view = LogprobView()
        view.set_tokens([TokenLogprob("hi", -0.1, ())])
    else:
        from playground.tokens.counter import TokenPiece
        from ui.playground.token_dialog import TokenDialog

        dialog = TokenDialog([TokenPiece(1, "hi")], 1, "exact")
        qtbot.addWidget(dialog)
        view = dialog.view
    assert isinstance(view, SafeBrowser) and isinstance(view.document(), SafeDocument)
