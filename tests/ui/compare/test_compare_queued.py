"""A comparison's call waiting for its turn shows "queued", not a running clock."""

from playground.compare.columns import Column
from playground.llm.events import Started, TextDelta
from ui.common.stream_hub import StreamBuffer
from ui.compare.column import CompareColumn


def test_a_queued_call_shows_queued_until_it_starts(qtbot):
    column = CompareColumn(Column("local", "gpt-4o"))
    qtbot.addWidget(column)
    column.reset(2)
    buffer = StreamBuffer(lambda text: len(text.split()))
    buffer.queue()
    column.progress(0, buffer.drain())
    assert column.status.text() == "queued"
    buffer.push(Started())
    buffer.push(TextDelta("one two"))
    column._labels_at = 0.0  # labels refresh a few times a second; do not wait for it here
    column.progress(0, buffer.drain())
    assert column.status.text() != "queued" and "tok" in column.status.text()
    assert column.answer(0) == "one two"
