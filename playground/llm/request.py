"""A plain, SDK-free description of one chat call."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from playground.llm.images import Detail, Image, ImageError, ImageRef, read_image

if TYPE_CHECKING:
    from playground.llm.schema import OutputSpec
    from playground.llm.tools import ToolCall, ToolResult, ToolSet

Role = Literal["user", "assistant"]


@dataclass(frozen=True)
class Message:
    """A turn; an assistant turn may carry the tool calls it made, a user turn the results sent back."""

    role: Role
    content: str
    tool_calls: tuple[ToolCall, ...] = ()
    tool_results: tuple[ToolResult, ...] = ()
    images: tuple[Image, ...] = ()  # user turns only; sent after the text
    detail: Detail = Detail.AUTO  # OpenAI's detail level for this turn's images
    missing_images: tuple[ImageRef, ...] = ()  # reopened from history, bytes not stored (too big)

    def to_dict(self) -> dict[str, Any]:
        """Images as references (sha256 and size): their bytes live in the history's images table."""
        out: dict[str, Any] = {"role": self.role, "content": self.content}
        refs = [i.ref() for i in self.images] + list(self.missing_images)
        if refs:
            out["images"] = [r.to_dict() for r in refs]
            out["detail"] = self.detail.value
        if self.tool_calls:
            out["tool_calls"] = [c.to_dict() for c in self.tool_calls]
        if self.tool_results:
            out["tool_results"] = [r.to_dict() for r in self.tool_results]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Message:
        """A message as ``to_dict`` wrote it (a history row, a file), tool calls and results included."""
        if data.get("images"):
            return _with_images(cls(data["role"], data["content"]), data)
        if not data.get("tool_calls") and not data.get("tool_results"):
            return cls(data["role"], data["content"])  # no tools: nothing to import on the GUI thread
        from playground.llm.tools import ToolCall, ToolResult

        calls = tuple(
            ToolCall(str(c.get("id", "")), str(c.get("name", "")), str(c.get("arguments", "")))
            for c in data.get("tool_calls") or []
        )
        results = tuple(
            ToolResult(str(r.get("call_id", "")), str(r.get("content", "")))
            for r in data.get("tool_results") or []
        )
        return cls(data["role"], data["content"], calls, results)

    def counted_text(self) -> str:
        """The text a token count sees: the content, and any tool calls or results as sent."""
        parts = [self.content]
        parts += [f"{c.name}({c.arguments_text})" for c in self.tool_calls]
        parts += [r.content for r in self.tool_results]
        return "\n".join(p for p in parts if p)


def _with_images(message: Message, data: Mapping[str, Any]) -> Message:
    """Images whose bytes the history attached (base64 under ``data``) come back; the rest are missing."""
    found: list[Image] = []
    missing: list[ImageRef] = []
    for raw in data["images"]:
        try:
            if raw.get("data"):
                found.append(read_image(base64.b64decode(raw["data"]), max_bytes=len(raw["data"])))
            else:
                missing.append(ImageRef.from_dict(raw))
        except (ImageError, KeyError, TypeError, ValueError, AttributeError):
            continue  # a damaged reference (an edited export): the message itself still opens
    try:
        detail = Detail(data.get("detail", Detail.AUTO.value))
    except ValueError:
        detail = Detail.AUTO
    return replace(message, images=tuple(found), missing_images=tuple(missing), detail=detail)


@dataclass(frozen=True)
class Request:
    """What the user asked for: which endpoint and model, the conversation and the parameters."""

    endpoint: str
    model: str
    messages: tuple[Message, ...]
    system: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def single(
        cls, endpoint: str, model: str, prompt: str, system: str = "", params: Mapping[str, Any] | None = None
    ) -> Request:
        return cls(endpoint, model, (Message("user", prompt),), system, dict(params or {}))

    @property
    def output(self) -> OutputSpec | None:
        """The structured-output spec, kept in the parameters so every copy of them keeps it."""
        from playground.llm.schema import spec_of

        return spec_of(self.params)

    @property
    def tools(self) -> ToolSet | None:
        """The tools offered, kept in the parameters like the output spec."""
        from playground.llm.tools import toolset_of

        return toolset_of(self.params)

    def prompt_text(self) -> str:
        """All prompt text in one string, for search and for a first-line summary."""
        parts = [self.system] if self.system else []
        parts += [m.content for m in self.messages]
        return "\n\n".join(parts)
