"""Image token estimates and vision support, from each provider's documented rules.

OpenAI ("Images and vision", calculating costs): most models resize to fit 2048×2048, then shrink the
shortest side to 768 and count 512 px tiles (base + per-tile tokens, a fixed base at ``low`` detail);
gpt-4.1-mini/nano, gpt-5-mini/nano and o4-mini count 32 px patches (at most 1536) times a
multiplier. Anthropic ("Vision"): resize to fit a 1568 px long edge and ~1.15 megapixels, then
tokens ≈ width × height / 750. These are estimates; the provider's reported usage replaces them.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from playground.llm.images import Detail, Image

if TYPE_CHECKING:
    from playground.llm.request import Message

__all__ = [
    "Detail",
    "Support",
    "VisionSupport",
    "anthropic_image_tokens",
    "openai_image_tokens",
    "vision_support",
]


@dataclass(frozen=True)
class _Tiles:
    base: int
    per_tile: int


@dataclass(frozen=True)
class _Patches:
    multiplier: float


# Longest prefix wins, so "gpt-4o-mini" is matched before "gpt-4o".
_OPENAI_RULES: dict[str, _Tiles | _Patches] = {
    "gpt-4.1-mini": _Patches(1.62),
    "gpt-4.1-nano": _Patches(2.46),
    "gpt-5-mini": _Patches(1.62),
    "gpt-5-nano": _Patches(2.46),
    "o4-mini": _Patches(1.72),
    "gpt-5": _Tiles(70, 140),
    "gpt-4o-mini": _Tiles(2833, 5667),
    "gpt-4o": _Tiles(85, 170),
    "chatgpt-4o": _Tiles(85, 170),
    "gpt-4.1": _Tiles(85, 170),
    "gpt-4.5": _Tiles(85, 170),
    "gpt-4-turbo": _Tiles(85, 170),
    "o1": _Tiles(75, 150),
    "o3": _Tiles(75, 150),
    "computer-use-preview": _Tiles(65, 129),
}

PATCH = 32
MAX_PATCHES = 1536
ANTHROPIC_LONG_EDGE = 1568
ANTHROPIC_MAX_PIXELS = int(1.15 * 1024 * 1024)


def _openai_rule(model: str) -> _Tiles | _Patches | None:
    """The rule of the longest family name ``model`` starts with, followed by nothing or a "-"
    (a date, "-latest"): "gpt-5.4" is not "gpt-5", whose rule it may not follow (later models
    changed their image budgets), so it gets no estimate rather than a wrong one."""
    name = model.rsplit("/", 1)[-1].lower()
    for prefix in sorted(_OPENAI_RULES, key=len, reverse=True):
        if name == prefix or name.startswith(f"{prefix}-"):
            return _OPENAI_RULES[prefix]
    return None


def openai_image_tokens(width: int, height: int, model: str, detail: Detail) -> int | None:
    """Estimated input tokens for one image; None when we know no rule for the model."""
    rule = _openai_rule(model)
    if rule is None:
        return None
    if isinstance(rule, _Patches):
        return math.ceil(patch_count(width, height) * rule.multiplier)
    if detail is Detail.LOW:
        return rule.base
    return rule.base + rule.per_tile * tile_count(width, height)


def tile_count(width: int, height: int) -> int:
    """512 px tiles after fitting 2048×2048 and shrinking the shortest side to 768."""
    w, h = float(width), float(height)
    if max(w, h) > 2048:
        scale = 2048 / max(w, h)
        w, h = w * scale, h * scale
    if min(w, h) > 768:
        scale = 768 / min(w, h)
        w, h = w * scale, h * scale
    return math.ceil(w / 512) * math.ceil(h / 512)


def patch_count(width: int, height: int) -> int:
    """32 px patches, the image shrunk (to whole patches across) when it would need over 1536."""
    raw = math.ceil(width / PATCH) * math.ceil(height / PATCH)
    if raw <= MAX_PATCHES:
        return raw
    shrink = math.sqrt(PATCH * PATCH * MAX_PATCHES / (width * height))
    w, h = width * shrink, height * shrink
    shrink = min(math.floor(w / PATCH) / (w / PATCH), math.floor(h / PATCH) / (h / PATCH))
    w, h = w * shrink, h * shrink
    return min(MAX_PATCHES, math.ceil(math.floor(w) / PATCH) * math.ceil(math.floor(h) / PATCH))


def anthropic_resized(width: int, height: int) -> tuple[int, int]:
    """The size Claude scales an image to before it is tokenised (never up)."""
    scale = min(
        1.0, ANTHROPIC_LONG_EDGE / max(width, height), math.sqrt(ANTHROPIC_MAX_PIXELS / (width * height))
    )
    return max(1, math.floor(width * scale)), max(1, math.floor(height * scale))


def anthropic_image_tokens(width: int, height: int) -> int:
    w, h = anthropic_resized(width, height)
    return math.ceil(w * h / 750)


class Support(enum.Enum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class VisionSupport:
    support: Support
    reason: str


# Documented text-only models; everything in _OPENAI_RULES and Claude 3+ reads images.
_TEXT_ONLY_PREFIXES = (
    "gpt-3.5",
    "o1-mini",
    "o3-mini",
    "claude-2",
    "claude-instant",
    "text-",
    "davinci",
    "babbage",
)
_TEXT_ONLY_EXACT = frozenset({"gpt-4", "gpt-4-0613", "gpt-4-0314", "gpt-4-32k", "o1-preview"})


def vision_support(model: str) -> VisionSupport:
    """Whether ``model`` accepts images: known yes, known no (with why), or unknown (send, warn)."""
    name = model.rsplit("/", 1)[-1].lower()
    if name in _TEXT_ONLY_EXACT or name.startswith(_TEXT_ONLY_PREFIXES):
        return VisionSupport(
            Support.NO, f"{model} reads text only; pick a vision model (e.g. gpt-4o or Claude)."
        )
    if name.startswith(tuple(_OPENAI_RULES)) or name.startswith("claude-"):  # gpt-5.4 too
        return VisionSupport(Support.YES, f"{model} accepts images.")
    return VisionSupport(
        Support.UNKNOWN, f"We do not know whether {model} accepts images; the call may be refused."
    )


def refuse_reason(model: str, images: tuple[Image, ...]) -> str | None:
    """The reason to refuse before sending, or None: only a known text-only model is refused."""
    if not images:
        return None
    found = vision_support(model)
    return found.reason if found.support is Support.NO else None


def messages_image_tokens(api: str, model: str, messages: tuple[Message, ...]) -> int | None:
    """Estimated image tokens of a prompt for the API it goes to; None when no documented rule fits."""
    total = 0
    for message in messages:
        for image in message.images:
            if api == "anthropic":
                total += anthropic_image_tokens(image.width, image.height)
                continue
            found = openai_image_tokens(image.width, image.height, model, message.detail)
            if found is None:
                return None
            total += found
    return total
