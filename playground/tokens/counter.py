"""Token counts as the APIs bill them: exact for OpenAI models, marked estimates elsewhere."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from playground.llm.providers.base import ProviderFailure
from playground.llm.request import Message, Request
from playground.tokens.encodings import ENCODING_NAMES, Encodings

if TYPE_CHECKING:  # imported on the first count: a call whose usage is reported counts nothing
    import tiktoken

# OpenAI's documented chat format: every message is wrapped as <|start|>{role}<|message|>{content}<|end|>
# (3 tokens plus the role and content), a name adds 1, and every reply is primed with 3 more.
TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
REPLY_PRIMING = 3
FALLBACK_ENCODING = "o200k_base"


@dataclass(frozen=True)
class TokenCount:
    tokens: int
    estimated: bool
    method: str
    note: str = ""  # why the exact count could not be had, when we fell back to an estimate


def exact_or_estimate(estimate: TokenCount, exact: Callable[[], int | None], method: str) -> TokenCount:
    """The provider's exact count when it gives one; else ``estimate``, saying why (offline, refused...).
    Counting never fails for lack of network."""
    try:
        tokens = exact()
    except ProviderFailure as exc:
        return replace(estimate, note=f"exact count unavailable ({exc.error.kind}): {exc.error.message}")
    if tokens is None:
        return estimate
    return TokenCount(tokens, False, method)


def encoding_for(model: str) -> tuple[str, bool]:
    """The encoding for ``model`` and whether it is the model's own (else an approximation)."""
    import tiktoken.model

    bare = model.strip().lower().rsplit("/", 1)[-1]
    try:
        name = tiktoken.model.encoding_name_for_model(bare)
    except KeyError:
        return FALLBACK_ENCODING, False
    if name in ENCODING_NAMES:
        return name, True
    return FALLBACK_ENCODING, False


def chat_tokens(encoding: tiktoken.Encoding, messages: Iterable[Mapping[str, str]]) -> int:
    """Prompt tokens of an OpenAI chat request, by the cookbook's documented formula."""
    total = REPLY_PRIMING
    for message in messages:
        total += TOKENS_PER_MESSAGE
        for key, value in message.items():
            total += len(encoding.encode_ordinary(value))
            if key == "name":
                total += TOKENS_PER_NAME
    return total


class TokenCounter:
    """Counts prompts and answers locally with the shipped encodings."""

    def __init__(self, encodings: Encodings):
        self._encodings = encodings

    def encoding(self, model: str) -> tiktoken.Encoding:
        return self._encodings.get(encoding_for(model)[0])

    def count_text(self, model: str, text: str) -> TokenCount:
        name, exact = encoding_for(model)
        tokens = len(self._encodings.get(name).encode_ordinary(text))
        return TokenCount(tokens, not exact, _method(name, exact))

    def count_prompt(self, model: str, system: str, messages: Iterable[Message]) -> TokenCount:
        """Prompt tokens of a chat call as the API would bill them (for OpenAI models)."""
        name, exact = encoding_for(model)
        rows = [{"role": "system", "content": system}] if system else []
        rows += [{"role": m.role, "content": m.counted_text()} for m in messages]
        tokens = chat_tokens(self._encodings.get(name), rows)
        return TokenCount(tokens, not exact, _method(name, exact))


def count_request(counter: TokenCounter, request: Request, api: str) -> TokenCount:
    """A request's prompt as our estimate: the messages, and the tools' definitions with the provider's
    documented tool-use overhead where it publishes one (always marked an estimate)."""
    from playground.llm.errors import PlaygroundError
    from playground.llm.tools import overhead, toolset_of

    count = counter.count_prompt(request.model, request.system, request.messages)
    if any(m.images for m in request.messages):
        count = _with_images(count, request, api)
    try:
        offered = toolset_of(request.params)
    except PlaygroundError:
        return count  # the run refuses it with its reason; the counter shows the prompt alone
    if offered is None:
        return count
    extra = overhead(offered, api, request.model, lambda text: counter.count_text(request.model, text).tokens)
    method = f"{count.method} + tools: {extra.source}"
    return replace(count, tokens=count.tokens + extra.tokens, estimated=True, method=method)


def _with_images(count: TokenCount, request: Request, api: str) -> TokenCount:
    """Add the images by the provider's documented formula (an estimate); none known: say so."""
    from playground.llm.vision import messages_image_tokens

    images = messages_image_tokens(api, request.model, request.messages)
    if images is None:
        note = f"image tokens not counted: no documented rule for {request.model}"
        return replace(count, estimated=True, note=f"{count.note}; {note}" if count.note else note)
    return replace(
        count, tokens=count.tokens + images, estimated=True, method=f"{count.method} + images: {images:,}"
    )


def _method(name: str, exact: bool) -> str:
    return f"tiktoken {name}" if exact else f"estimate with {name}"


@dataclass(frozen=True)
class TokenPiece:
    id: int
    text: str


def split_tokens(
    counter: TokenCounter, model: str, text: str, limit: int = 20_000
) -> tuple[list[TokenPiece], int]:
    """The first ``limit`` tokens of ``text`` with their ids, and the total count (for the token view)."""
    encoding = counter.encoding(model)
    ids = encoding.encode_ordinary(text)
    pieces = [
        TokenPiece(i, encoding.decode_single_token_bytes(i).decode("utf-8", "replace")) for i in ids[:limit]
    ]
    return pieces, len(ids)


def token_view(counter: TokenCounter, model: str, text: str) -> tuple[list[TokenPiece], int, str]:
    """Pieces, total and how they were counted, for the token view."""
    pieces, total = split_tokens(counter, model, text)
    name, exact = encoding_for(model)
    return pieces, total, _method(name, exact)
