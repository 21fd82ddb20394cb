"""Images on a user message: attach, paste and drop add them (read off the GUI thread), bad files say
why, and a reopened message keeps its images and says which were not stored."""

import pytest
from PySide6.QtCore import QMimeData, QUrl
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel, QToolButton

from playground.llm.images import Detail, read_image
from playground.llm.request import Message
from tests.playground.llm import image_samples as samples
from ui.playground.message_list import MessageList

pytestmark = pytest.mark.gui


@pytest.fixture
def row(qtbot):
    widget = MessageList()
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    widget.show()
    widget.set_messages([Message("user", "What is this")])
    return widget._rows[0]


def thumbnails(row):
    return [w.accessibleName() for w in row.images.findChildren(QLabel)]


def test_attach_a_file_adds_it_to_the_message(qtbot, row, tmp_path):
    path = tmp_path / "cat.png"
    path.write_bytes(samples.png(120, 80))
    row.images.add_files([path])
    qtbot.waitUntil(lambda: len(row.message().images) == 1)
    message = row.message()
    assert message.images[0].width == 120 and message.content == "What is this"
    assert row.images.detail.isVisible()
    qtbot.waitUntil(lambda: any("PNG 120×80" in n for n in thumbnails(row)))


def test_a_bmp_is_refused_with_its_reason(qtbot, row, tmp_path):
    path = tmp_path / "scan.bmp"
    path.write_bytes(samples.bmp(10, 10))
    row.images.add_files([path])
    qtbot.waitUntil(lambda: row.images.problem.isVisible())
    assert "it is a BMP" in row.images.problem.text() and row.message().images == ()


def test_paste_and_drop_add_images_not_text(qtbot, row, tmp_path):
    picture = QImage(30, 20, QImage.Format.Format_RGB32)
    picture.fill(QColor("teal"))
    pasted = QMimeData()
    pasted.setImageData(picture)
    row.text.insertFromMimeData(pasted)
    qtbot.waitUntil(lambda: len(row.message().images) == 1)
    assert row.message().images[0].media_type == "image/png" and row.message().images[0].width == 30
    path = tmp_path / "photo.gif"
    path.write_bytes(samples.gif(8, 8))
    dropped = QMimeData()
    dropped.setUrls([QUrl.fromLocalFile(str(path))])
    row.text.insertFromMimeData(dropped)
    qtbot.waitUntil(lambda: len(row.message().images) == 2)
    assert row.text.toPlainText() == "What is this"


def test_remove_takes_the_image_out(qtbot, row, tmp_path):
    path = tmp_path / "a.png"
    path.write_bytes(samples.png(10, 10))
    row.images.add_files([path])
    qtbot.waitUntil(lambda: len(row.message().images) == 1)
    remove = next(b for b in row.images.findChildren(QToolButton) if b.toolTip() == "Remove this image")
    remove.click()
    assert row.message().images == ()


def test_a_reopened_message_keeps_its_images_and_names_the_missing(qtbot):
    kept = read_image(samples.png(64, 64))
    gone = read_image(samples.png(900, 900)).ref()
    widget = MessageList()
    qtbot.addWidget(widget)
    message = Message("user", "Compare", images=(kept,), detail=Detail.LOW, missing_images=(gone,))
    widget.set_messages([message])
    assert widget.messages() == [message]  # at once: nothing waits for the thumbnails
    labels = [w.toolTip() for w in widget._rows[0].images.findChildren(QLabel)]
    assert any("(not stored)" in t for t in labels)


def test_an_assistant_turn_takes_no_images(row):
    row.role.setCurrentText("assistant")
    assert not row.images.isVisibleTo(row) and not row.text.images_allowed


def test_attach_run_and_reopen_from_history_brings_the_image_back(
    qtbot, window, core, local_openai, tmp_path
):
    from tests.servers.base import Script
    from tests.ui.conftest import off_gui
    from tests.ui.playground.test_conversation import run_and_wait

    local_openai.push(Script(text="A grey square."))
    path = tmp_path / "square.png"
    path.write_bytes(samples.png(50, 50))
    first = window.editor.messages._rows[0]
    first.text.setPlainText("What is this")
    first.images.add_files([path])
    qtbot.waitUntil(lambda: len(first.message().images) == 1)
    result = run_and_wait(qtbot, window)
    content = local_openai.received[-1].body["messages"][0]["content"]
    assert content[1]["image_url"]["url"].startswith("data:image/png;base64,")
    assert off_gui(lambda: core.history.get(result.call_id)).messages[0]["images"][0]["sha256"]
    window.editor.messages.set_messages([Message("user", "")])
    view = window.history
    qtbot.waitUntil(lambda: view.model_.rowCount() == 1, timeout=3000)
    view.table.selectRow(0)
    view.reopen_button.click()  # from History, as a user does: the image bytes are read in the background
    qtbot.waitUntil(lambda: window.editor.messages.messages()[0].content == "What is this", timeout=3000)
    reopened = window.editor.messages._rows[0].message()
    assert reopened.images[0].data == path.read_bytes() and reopened.missing_images == ()


def test_a_model_without_vision_says_so_on_a_message_with_images(qtbot, window, local_openai, tmp_path):
    from tests.ui.playground.test_conversation import run_and_wait

    first = window.editor.messages._rows[0]
    first.text.setPlainText("What is this")
    path = tmp_path / "a.png"
    path.write_bytes(samples.png(20, 20))
    first.images.add_files([path])
    qtbot.waitUntil(lambda: len(first.message().images) == 1)
    assert not first.images.problem.isVisible()  # gpt-4o-mini reads images
    window.picker.select("local", "gpt-3.5-turbo")
    qtbot.waitUntil(lambda: first.images.problem.isVisible())
    assert "gpt-3.5-turbo reads text only" in first.images.problem.text()
    before = len(local_openai.received)
    result = run_and_wait(qtbot, window)
    assert result.status == "error" and "reads text only" in result.error.message
    assert len(local_openai.received) == before  # refused before sending
