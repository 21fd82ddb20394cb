"""A plain, SDK-free description of one chat call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from playground.llm.schema import OutputSpec

Role = Literal["user", "assistant"]


@dataclass(frozen=True)
class Message:
    role: Role
    content: str

    def to_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


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

    def prompt_text(self) -> str:
        """All prompt text in one string, for search and for a first-line summary."""
        parts = [self.system] if self.system else []
        parts += [m.content for m in self.messages]
        return "\n\n".join(parts)
