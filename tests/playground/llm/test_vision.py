"""Image token estimates against the providers' documented worked examples."""

import pytest

from playground.llm.vision import (
    Detail,
    Support,
    anthropic_image_tokens,
    anthropic_resized,
    openai_image_tokens,
    patch_count,
    tile_count,
    vision_support,
)


def test_openai_tile_examples_from_the_docs():
    # "Images and vision" ▸ calculating costs, GPT-4o examples.
    assert tile_count(1024, 1024) == 4
    assert openai_image_tokens(1024, 1024, "gpt-4o", Detail.HIGH) == 765
    assert tile_count(2048, 4096) == 6
    assert openai_image_tokens(2048, 4096, "gpt-4o-2024-08-06", Detail.HIGH) == 1105
    assert openai_image_tokens(4096, 8192, "gpt-4o", Detail.LOW) == 85


def test_openai_families_have_their_own_base_and_tile_tokens():
    assert openai_image_tokens(1024, 1024, "gpt-4o-mini", Detail.HIGH) == 2833 + 4 * 5667
    assert openai_image_tokens(1024, 1024, "gpt-4o-mini", Detail.LOW) == 2833
    assert openai_image_tokens(1024, 1024, "o3", Detail.HIGH) == 75 + 4 * 150
    assert openai_image_tokens(1024, 1024, "gpt-5", Detail.AUTO) == 70 + 4 * 140
    assert openai_image_tokens(1024, 1024, "llama3", Detail.HIGH) is None  # unknown: not a guess


def test_a_later_version_of_a_family_is_not_estimated_by_the_older_rule():
    """gpt-5.4 and later changed their image budgets: no estimate beats gpt-5's tiles."""
    assert openai_image_tokens(1024, 1024, "gpt-5-2025-08-07", Detail.HIGH) == 70 + 4 * 140
    assert openai_image_tokens(1024, 1024, "chatgpt-4o-latest", Detail.HIGH) == 765
    assert openai_image_tokens(1024, 1024, "gpt-5.4", Detail.HIGH) is None
    assert openai_image_tokens(1024, 1024, "gpt-5.4-mini", Detail.HIGH) is None
    assert openai_image_tokens(1024, 1024, "o3-pro", Detail.HIGH) == 75 + 4 * 150
    assert vision_support("gpt-5.4").support is Support.YES  # it reads images; its tokens are unknown


def test_openai_patch_examples_from_the_docs():
    assert patch_count(1024, 1024) == 1024
    assert patch_count(1800, 2400) == 1452  # shrunk to 1056×1408
    assert openai_image_tokens(1024, 1024, "gpt-4.1-mini", Detail.HIGH) == 1659  # 1024 × 1.62
    assert openai_image_tokens(1800, 2400, "o4-mini", Detail.LOW) == 2498  # 1452 × 1.72
    assert patch_count(20000, 20000) <= 1536


def test_anthropic_examples_from_the_docs():
    # Vision ▸ "evaluate image size": 200×200 ≈ 54, 1000×1000 ≈ 1334, 1092×1092 ≈ 1590 tokens.
    assert anthropic_image_tokens(200, 200) == 54
    assert anthropic_image_tokens(1000, 1000) == 1334
    assert anthropic_image_tokens(1092, 1092) == 1590


@pytest.mark.parametrize(("w", "h"), [(4000, 4000), (8000, 1000), (1000, 6000), (3000, 1500)])
def test_anthropic_large_images_are_resized_first(w, h):
    rw, rh = anthropic_resized(w, h)
    assert max(rw, rh) <= 1568 and rw * rh <= 1.15 * 1024 * 1024
    assert abs(rw / rh - w / h) < 0.02  # aspect kept
    assert anthropic_image_tokens(w, h) <= 1640


def test_vision_support_known_yes_no_and_unknown():
    assert vision_support("gpt-4o").support is Support.YES
    assert vision_support("claude-sonnet-4-6").support is Support.YES
    no = vision_support("gpt-3.5-turbo")
    assert no.support is Support.NO and "reads text only" in no.reason
    assert vision_support("o3-mini").support is Support.NO
    assert vision_support("my-local-model").support is Support.UNKNOWN
