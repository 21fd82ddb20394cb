"""Typed records of the prompt library: one saved version of a prompt, and a search hit."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from playground.llm.request import Message, Request


@dataclass(frozen=True)
class PromptVersion:
    """What the Playground needs to reopen a prompt: text with ``{{variables}}``, parameters (schema
    and tools under their usual param keys), endpoint and model. ``id`` is None until stored."""

    name: str
    version: int
    note: str
    created_at: str
    system: str
    messages: tuple[Message, ...]
    params: Mapping[str, Any] = field(default_factory=dict)
    endpoint: str = ""
    model: str = ""
    id: int | None = None

    @property
    def label(self) -> str:
        return f"{self.name} v{self.version}"

    @classmethod
    def of_request(cls, request: Request, name: str = "", note: str = "") -> PromptVersion:
        """The Playground's draft (before variables are filled) as an unsaved version."""
        return cls(
            name,
            0,
            note,
            "",
            request.system,
            request.messages,
            dict(request.params),
            request.endpoint,
            request.model,
        )

    def to_dict(self) -> dict[str, Any]:
        """The file form (no id: ids belong to one database)."""
        return {
            "version": self.version,
            "note": self.note,
            "created_at": self.created_at,
            "system": self.system,
            "messages": [m.to_dict() for m in self.messages],
            "params": dict(self.params),
            "endpoint": self.endpoint,
            "model": self.model,
        }

    @classmethod
    def from_dict(cls, name: str, data: Mapping[str, Any]) -> PromptVersion:
        """A version as ``to_dict`` wrote it; raises KeyError/TypeError/ValueError on a bad shape."""
        messages = data.get("messages", [])
        params = data.get("params", {})
        if not isinstance(messages, list) or not isinstance(params, dict):
            raise ValueError("messages must be a list and params an object")
        for m in messages:
            if not isinstance(m, dict) or m.get("role") not in ("user", "assistant"):
                raise ValueError("each message needs a role of user or assistant")
            if not isinstance(m.get("content"), str):
                raise ValueError("each message needs text content")
        json.dumps(params)  # must stay JSON
        return cls(
            name=name,
            version=int(data["version"]),
            note=str(data.get("note", "")),
            created_at=str(data.get("created_at", "")),
            system=str(data.get("system", "")),
            messages=tuple(Message.from_dict(m) for m in messages),
            params=params,
            endpoint=str(data.get("endpoint", "")),
            model=str(data.get("model", "")),
        )


@dataclass(frozen=True)
class PromptSummary:
    """A row of the library list: the prompt and its newest version."""

    name: str
    versions: int
    latest_at: str
    latest_note: str


@dataclass(frozen=True)
class CallLink:
    """Which library version a recorded call ran."""

    call_uid: str
    version_id: int
    name: str
    version: int

    @property
    def label(self) -> str:
        return f"From prompt {self.name} v{self.version}"
