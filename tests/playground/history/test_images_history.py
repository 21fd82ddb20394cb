"""Prompt images in the history: stored once, brought back on reopen, re-run; too big: sent, not kept."""

import pytest

from playground.llm.errors import PlaygroundError
from playground.llm.images import read_image
from playground.llm.request import Message, Request
from tests.playground.llm import image_samples as samples
from tests.servers.images import IMAGE_TOKENS

PICTURE = read_image(samples.png(60, 40))


def ask(*images):
    return Request("local", "gpt-4o", (Message("user", "What is this", images=images),))


def reopened(core, call_id):
    core.history.flush()
    row = core.history.get(call_id)
    return [Message.from_dict(m) for m in row.messages]


def test_a_reopened_call_has_its_images_and_runs_again(core, local_openai):
    first = core.runner.run(ask(PICTURE, PICTURE))
    messages = reopened(core, first.call_id)
    assert messages[0].images == (PICTURE, PICTURE) and messages[0].missing_images == ()
    again = core.runner.run(Request("local", "gpt-4o", tuple(messages)))
    assert again.status == "ok" and again.usage.input_tokens == 3 + 7 + 2 * IMAGE_TOKENS
    sent = local_openai.received[-1].body["messages"][0]["content"]
    assert sent[1]["image_url"]["url"] == PICTURE.data_url()
    stored = list(core.storage.readers.get().query("select count(*) as n from images"))
    assert stored[0]["n"] == 1  # the same bytes, stored once


def test_images_over_the_limit_are_sent_but_not_kept_and_reopen_says_so(core, local_openai):
    assert core.general.read().images_max_mb == 20.0
    core.general.set_image_limit(0.0001)  # Settings ▸ General: about 100 bytes
    assert core.general.read().images_max_mb == pytest.approx(0.0001, abs=1e-5)
    big = read_image(samples.png(300, 300))
    result = core.runner.run(ask(big))
    assert result.status == "ok"
    assert local_openai.received[-1].body["messages"][0]["content"][1]["image_url"]["url"] == big.data_url()
    message = reopened(core, result.call_id)[0]
    assert message.images == () and message.missing_images == (big.ref(),)
    assert "not stored" in message.missing_images[0].describe()
    assert "base64" not in str(core.history.get(result.call_id).messages)  # no bytes in the messages column


def test_the_image_limit_must_be_zero_or_more(core):
    with pytest.raises(PlaygroundError, match="0 MB or more"):
        core.general.set_image_limit(-1)


def test_a_damaged_image_reference_does_not_stop_the_message_opening():
    data = {"role": "user", "content": "hi", "images": [{"sha256": "x"}, "junk"], "detail": "huge"}
    message = Message.from_dict(data)
    assert message.content == "hi" and message.images == () and message.missing_images == ()
