"""Image parts in the test servers: checked like the real APIs check them, counted by a simple rule.

Every valid image counts IMAGE_TOKENS prompt tokens (not the documented formula), so a test can tell
the provider's reported usage from our estimate. A part whose bytes are not the declared media type
is refused with 400, as OpenAI and Anthropic do.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

IMAGE_TOKENS = 321

_MAGIC = {
    "image/png": (b"\x89PNG",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}


class BadImage(ValueError):
    """An image part the real API would refuse; the message is its error text."""


def _check(media_type: str, data: str) -> None:
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BadImage("Invalid base64 image data.") from exc
    if media_type not in _MAGIC:
        raise BadImage(f"Unsupported image media type {media_type}.")
    if not raw.startswith(_MAGIC[media_type]):
        raise BadImage(f"Image does not match the provided media type {media_type}.")


def _data_url(url: str) -> None:
    head, _, data = url.partition(",")
    if not head.startswith("data:") or not head.endswith(";base64"):
        raise BadImage("Only base64 data URLs are served by the test server.")
    _check(head[5:-7], data)


def openai_parts(content: Any) -> tuple[str, int]:
    """Text and image count of a Chat Completions or Responses content (string or parts)."""
    if not isinstance(content, list):
        return str(content or ""), 0
    texts, images = [], 0
    for part in content:
        kind = part.get("type")
        if kind in ("text", "input_text", "output_text"):
            texts.append(str(part.get("text", "")))
        elif kind == "image_url":
            detail = part["image_url"].get("detail", "auto")
            if detail not in ("auto", "low", "high"):
                raise BadImage(f"Invalid detail {detail!r}.")
            _data_url(part["image_url"]["url"])
            images += 1
        elif kind == "input_image":
            _data_url(part["image_url"])
            images += 1
    return " ".join(texts), images


def anthropic_images(content: Any) -> int:
    """How many image blocks a Messages content holds (each checked)."""
    if not isinstance(content, list):
        return 0
    count = 0
    for block in content:
        if isinstance(block, dict) and block.get("type") == "image":
            source = block.get("source") or {}
            if source.get("type") != "base64":
                raise BadImage("Only base64 image sources are served by the test server.")
            _check(str(source.get("media_type")), str(source.get("data", "")))
            count += 1
    return count
