"""A message's images as each API wants them (base64 inline: no upload step, no URL to expire)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playground.llm.request import Message


def chat_content(message: Message) -> str | list[dict[str, Any]]:
    """Chat Completions: text then ``image_url`` parts with a data URL and ``detail``."""
    if not message.images:
        return message.content
    parts: list[dict[str, Any]] = [{"type": "text", "text": message.content}] if message.content else []
    parts += [
        {"type": "image_url", "image_url": {"url": i.data_url(), "detail": message.detail.value}}
        for i in message.images
    ]
    return parts


def responses_content(message: Message) -> str | list[dict[str, Any]]:
    """Responses: ``input_text`` then ``input_image`` items."""
    if not message.images:
        return message.content
    parts: list[dict[str, Any]] = [{"type": "input_text", "text": message.content}] if message.content else []
    parts += [
        {"type": "input_image", "image_url": i.data_url(), "detail": message.detail.value}
        for i in message.images
    ]
    return parts


def anthropic_blocks(message: Message) -> list[dict[str, Any]]:
    """Messages: ``image`` blocks with a base64 source, before the text (Anthropic's advice)."""
    blocks: list[dict[str, Any]] = [
        {"type": "image", "source": {"type": "base64", "media_type": i.media_type, "data": i.base64()}}
        for i in message.images
    ]
    return blocks + ([{"type": "text", "text": message.content}] if message.content else [])


def placeholders(body: Any, messages: tuple[Message, ...]) -> Any:
    """``body`` with each image's base64 replaced by a short placeholder naming the image, so View code
    never holds megabytes (the user pastes the file's base64 there, e.g. ``base64 -w0 photo.png``)."""
    swaps: dict[str, str] = {}
    for n, image in enumerate((i for m in messages for i in m.images), start=1):
        label = (
            f"<BASE64_OF_IMAGE_{n}_{image.format.name}_{image.width}x{image.height}>"  # no spaces: kept whole
        )
        swaps[image.base64()] = label
        swaps[image.data_url()] = f"data:{image.media_type};base64,{label}"
    if not swaps:
        return body
    return _swap(body, swaps)


def _swap(value: Any, swaps: dict[str, str]) -> Any:
    if isinstance(value, str):
        return swaps.get(value, value)
    if isinstance(value, dict):
        return {k: _swap(v, swaps) for k, v in value.items()}
    if isinstance(value, list):
        return [_swap(v, swaps) for v in value]
    return value
