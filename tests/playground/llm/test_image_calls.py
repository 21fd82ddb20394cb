"""Images through the real SDKs against the local servers: Chat, Responses and Messages."""

import pytest

from playground.llm.endpoints import Endpoint
from playground.llm.errors import ErrorKind
from playground.llm.images import Detail, read_image
from playground.llm.request import Message, Request
from tests.playground.llm import image_samples as samples
from tests.servers.images import IMAGE_TOKENS

PICTURE = read_image(samples.png(40, 30))


def ask(endpoint, model, *images, detail=Detail.AUTO):
    return Request(endpoint, model, (Message("user", "What is this", images=images, detail=detail),))


def test_chat_sends_data_urls_with_detail_and_reports_image_tokens(core, local_openai):
    result = core.runner.run(ask("local", "gpt-4o", PICTURE, PICTURE, detail=Detail.LOW))
    assert result.status == "ok"
    content = local_openai.received[-1].body["messages"][0]["content"]
    assert content[0] == {"type": "text", "text": "What is this"}
    assert content[1]["image_url"] == {"url": PICTURE.data_url(), "detail": "low"}
    assert len(content) == 3
    # The server's own count (3 words + 7 + its per-image tokens), not our estimate.
    assert result.usage.input_tokens == 3 + 7 + 2 * IMAGE_TOKENS and not result.usage.input_estimated


@pytest.fixture
def local_responses(core, openai_server):
    core.config.add_endpoint(
        Endpoint("resp", "openai-responses", openai_server.base_url, "resp", price_as="openai")
    )
    core.keys.set("resp", openai_server.api_key)
    return openai_server


def test_responses_sends_input_image_items(core, local_responses):
    result = core.runner.run(ask("resp", "gpt-4.1", PICTURE, detail=Detail.HIGH))
    assert result.status == "ok"
    content = local_responses.received[-1].body["input"][0]["content"]
    assert content[0] == {"type": "input_text", "text": "What is this"}
    assert content[1] == {"type": "input_image", "image_url": PICTURE.data_url(), "detail": "high"}
    assert result.usage.input_tokens == 3 + 7 + IMAGE_TOKENS


def test_anthropic_sends_base64_image_blocks_before_the_text(core, local_anthropic):
    result = core.runner.run(ask("localant", "claude-sonnet-4-6", PICTURE))
    assert result.status == "ok"
    content = local_anthropic.received[-1].body["messages"][0]["content"]
    source = {"type": "base64", "media_type": "image/png", "data": PICTURE.base64()}
    assert content == [{"type": "image", "source": source}, {"type": "text", "text": "What is this"}]
    assert result.usage.input_tokens == 3 + 5 + IMAGE_TOKENS


def test_a_text_only_model_is_refused_before_anything_is_sent(core, local_openai):
    before = len(local_openai.received)
    result = core.runner.run(ask("local", "gpt-3.5-turbo", PICTURE))
    assert result.status == "error" and result.error.kind == ErrorKind.INVALID_PARAMETER
    assert "gpt-3.5-turbo reads text only" in result.error.message
    assert len(local_openai.received) == before


def test_a_model_we_do_not_know_is_tried(core, local_openai):
    result = core.runner.run(ask("local", "my-local-llava", PICTURE))
    assert result.status == "ok"


def test_the_estimate_adds_image_tokens_and_the_reported_usage_replaces_it(core, local_openai):
    big = read_image(samples.png(1024, 1024))
    request = ask("local", "gpt-4o", big, detail=Detail.HIGH)
    text_only = core.runner.estimate_input(Request("local", "gpt-4o", (Message("user", "What is this"),)))
    count = core.runner.estimate_input(request, "openai")
    assert count.tokens == text_only.tokens + 765 and count.estimated and "images: 765" in count.method
    claude = core.runner.estimate_input(ask("localant", "claude-sonnet-4-6", big), "anthropic")
    assert claude.tokens == text_only.tokens + 1399  # 1024×1024 is within 1.15 MP: 1048576 / 750
    unknown = core.runner.estimate_input(ask("local", "my-local-llava", big), "openai")
    assert unknown.tokens == text_only.tokens and "image tokens not counted" in unknown.note
    result = core.runner.run(request)
    assert result.usage.input_tokens == 3 + 7 + IMAGE_TOKENS and not result.usage.input_estimated


@pytest.mark.parametrize("api", ["openai", "openai-responses", "anthropic"])
def test_view_code_shows_placeholders_not_megabytes(api):
    from playground.llm.codegen import generate

    big = read_image(samples.png(1500, 1500))
    endpoint = Endpoint("x", api, None, "x")
    code = generate(endpoint, ask("x", "gpt-4o" if api != "anthropic" else "claude-sonnet-4-6", big))
    for text in (code.python, code.curl):
        assert big.base64()[:60] not in text and len(text) < 5000
        assert "<BASE64_OF_IMAGE_1_PNG_1500x1500>" in text
    assert "placeholders" in code.key_note


def test_compare_sends_the_same_images_to_every_column(core, local_openai, local_anthropic):
    from playground.compare.columns import Column
    from playground.compare.runner import CompareRun, Job

    turn = [Message("user", "What is this", images=(PICTURE,))]
    jobs = [
        Job(0, 0, 0, Column("local", "gpt-4o").request("", turn, {})),
        Job(1, 1, 0, Column("localant", "claude-haiku-4-5").request("", turn, {})),
    ]
    done = {}
    for t in CompareRun(core.runner, parallel=2).start(
        jobs, lambda job, event: None, lambda j, r: done.update({j.id: r})
    ):
        t.join(10)
    assert done[0].status == "ok" and done[1].status == "ok"
    openai_part = local_openai.received[-1].body["messages"][0]["content"][1]
    anthropic_block = local_anthropic.received[-1].body["messages"][0]["content"][0]
    assert openai_part["image_url"]["url"] == PICTURE.data_url()
    assert anthropic_block["source"]["data"] == PICTURE.base64()
