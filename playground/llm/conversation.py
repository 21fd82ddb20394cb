"""A Playground conversation with its branches, rebuilt from history, and saved as a JSON file.

Every turn ever run is a node of a tree: editing an earlier turn and running again adds a sibling
instead of losing the old later turns, and the shown branch is one path through the tree."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

from playground.files import write_whole
from playground.llm import caching, schema, tools
from playground.llm.endpoints import public_url
from playground.llm.errors import CallError, ErrorKind, PlaygroundError
from playground.llm.params import specs_for
from playground.llm.request import Message

FORMAT = "llm-playground-conversation"
VERSION = 1
MAX_FILE_BYTES = 20_000_000
MAX_TURNS = 10_000  # more than anyone runs by hand; a bigger file would only freeze the window
ROLES = ("user", "assistant")


@dataclass(frozen=True)
class Turn:
    """One node: a message and the turn it answers or follows (None for a first turn)."""

    parent: int | None
    message: Message


@dataclass(frozen=True)
class Choice:
    """Which of a turn's alternatives is shown: ``index`` (0-based) of ``count``."""

    index: int
    count: int


def _frozen(chosen: Mapping[int | None, int]) -> Mapping[int | None, int]:
    return MappingProxyType(dict(chosen))


@dataclass(frozen=True)
class Branches:
    """The tree of turns; ``chosen`` maps a parent to the child shown (else its newest child)."""

    turns: tuple[Turn, ...] = ()
    chosen: Mapping[int | None, int] = field(default_factory=lambda: _frozen({}))

    def children(self, parent: int | None) -> list[int]:
        return self._children.get(parent, [])

    @cached_property
    def _children(self) -> dict[int | None, list[int]]:
        """Each turn's children, oldest first, built once (a scan per level made long files quadratic)."""
        index: dict[int | None, list[int]] = {}
        for i, t in enumerate(self.turns):
            index.setdefault(t.parent, []).append(i)
        return index

    def path(self) -> list[int]:
        """The node ids of the shown branch, first turn first."""
        out: list[int] = []
        parent: int | None = None
        while kids := self.children(parent):
            node = self.chosen.get(parent, kids[-1])
            out.append(node if node in kids else kids[-1])
            parent = out[-1]
        return out

    def messages(self) -> list[Message]:
        return [self.turns[i].message for i in self.path()]

    def commit(self, messages: Sequence[Message]) -> tuple[Branches, int | None]:
        """Record ``messages`` as the shown branch (reusing the turns already there); the new tree
        and the id of the last turn (None for no messages)."""
        turns, chosen = list(self.turns), dict(self.chosen)
        latest = {(t.parent, t.message): i for i, t in enumerate(turns)}  # the newest such turn
        parent: int | None = None
        for message in messages:
            node = latest.get((parent, message))
            if node is None:
                turns.append(Turn(parent, message))
                node = latest[(parent, message)] = len(turns) - 1
            chosen[parent] = node
            parent = node
        return Branches(tuple(turns), _frozen(chosen)), parent

    def add(self, parent: int | None, message: Message) -> Branches:
        """Add an answer (or any turn) under ``parent`` and show it."""
        return self._choose_up(Branches((*self.turns, Turn(parent, message)), self.chosen), len(self.turns))

    def show(self, node: int) -> Branches:
        """Show the branch through ``node`` (and, below it, each turn's chosen child)."""
        return self._choose_up(self, node)

    @staticmethod
    def _choose_up(tree: Branches, node: int) -> Branches:
        chosen = dict(tree.chosen)
        current: int | None = node
        while current is not None:
            parent = tree.turns[current].parent
            chosen[parent] = current
            current = parent
        return Branches(tree.turns, _frozen(chosen))

    def choices(self, messages: Sequence[Message]) -> list[Choice | None]:
        """For each of ``messages`` (what the editor shows): which alternative it is, when the
        messages before it and it itself are turns of the tree; None where they are not."""
        out: list[Choice | None] = []
        parent: int | None = None
        matched = True
        for message in messages:
            kids = self.children(parent) if matched else []
            same = [i for i in kids if self.turns[i].message == message]
            if not same:
                matched = False
                out.append(None)
                continue
            out.append(Choice(kids.index(same[-1]), len(kids)))
            parent = same[-1]
        return out

    def switch(self, messages: Sequence[Message], position: int, delta: int) -> Branches | None:
        """The tree showing the previous (-1) or next (+1) alternative of the turn at ``position``
        of ``messages``; None when there is none."""
        parent: int | None = None
        for message in messages[:position]:
            same = [i for i in self.children(parent) if self.turns[i].message == message]
            if not same:
                return None
            parent = same[-1]
        kids = self.children(parent)
        current = [i for i in kids if self.turns[i].message == messages[position]]
        if not current:
            return None
        target = kids.index(current[-1]) + delta
        if not 0 <= target < len(kids):
            return None
        return self.show(kids[target])


def from_calls(calls: Iterable[tuple[Sequence[Message], str | None]]) -> tuple[Branches, list[int | None]]:
    """Rebuild the tree from recorded calls, oldest first: each is the messages it sent and its
    answer (None when it has none). Also the last turn of each call, to show the chosen one."""
    tree = Branches()
    ends: list[int | None] = []
    for messages, answer in calls:
        full = [*messages, Message("assistant", answer)] if answer else list(messages)
        tree, end = tree.commit(full)
        ends.append(end)
    return tree, ends


class ConversationFileError(PlaygroundError):
    """A file that is not a conversation this version can open; the message says why."""

    def __init__(self, message: str):
        super().__init__(CallError(ErrorKind.BAD_REQUEST, message))


@dataclass(frozen=True)
class ConversationFile:
    """What a saved conversation holds: never a key (endpoint by name, API style and base URL)."""

    branches: Branches
    system: str = ""
    endpoint: str = ""
    api: str = ""
    base_url: str | None = None
    model: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    conversation_id: str | None = None

    def to_json(self) -> str:
        data = {
            "format": FORMAT,
            "version": VERSION,
            "conversation_id": self.conversation_id,
            "endpoint": {"name": self.endpoint, "api": self.api, "base_url": _public(self.base_url)},
            "model": self.model,
            "params": dict(self.params),
            "system": self.system,
            "turns": [_turn(t) for t in self.branches.turns],
            "shown": self.branches.path(),
            "chosen": [[parent, child] for parent, child in self.branches.chosen.items()],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> ConversationFile:
        """Read and check a saved conversation; any problem raises ConversationFileError."""
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise ConversationFileError(f"This file is not JSON ({exc}).") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ConversationFileError("This JSON file is not an LLM Playground conversation.")
        version = data.get("version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise ConversationFileError("The conversation file has no version number.")
        if version > VERSION:
            raise ConversationFileError(
                f"This conversation was saved by a newer version (format {version}); this one reads "
                f"format {VERSION}. Update the app to open it."
            )
        endpoint = _typed(data, "endpoint", dict, {})
        tree = _read_turns(
            _typed(data, "turns", list, []), _typed(data, "chosen", list, []), _typed(data, "shown", list, [])
        )
        return cls(
            branches=tree,
            system=_typed(data, "system", str, ""),
            endpoint=_typed(endpoint, "name", str, ""),
            api=_typed(endpoint, "api", str, ""),
            base_url=_typed(endpoint, "base_url", str, None),
            model=_typed(data, "model", str, ""),
            params=_read_params(_typed(data, "params", dict, {}), _typed(endpoint, "api", str, "")),
            conversation_id=_typed(data, "conversation_id", str, None),
        )


def read_file(path: Any) -> ConversationFile:
    """Read ``path`` (a pathlib.Path); too large, unreadable or malformed raises a clear error."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ConversationFileError(f"{path.name} is larger than {MAX_FILE_BYTES // 1_000_000} MB.")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConversationFileError(f"{path.name} is not a text file.") from None
    except OSError as exc:
        raise ConversationFileError(f"Could not read {path.name}: {exc.strerror or exc}.") from None
    return ConversationFile.from_json(text)


def write_file(path: Any, conversation: ConversationFile) -> None:
    """Write through a temporary file, so a failed save never leaves half a file."""
    try:
        write_whole(path, conversation.to_json())
    except OSError as exc:
        raise ConversationFileError(f"Could not save {path.name}: {exc.strerror or exc}.") from None


def _public(url: str | None) -> str | None:
    return public_url(url) if url else url


def _typed(data: Mapping[str, Any], key: str, kind: type, default: Any) -> Any:
    value = data.get(key, default)
    if value is None and default is None:
        return None
    if not isinstance(value, kind):
        raise ConversationFileError(f"In the conversation file, {key!r} must be {kind.__name__}.")
    return value


def _read_turns(raw: list[Any], chosen: list[Any], shown: list[Any]) -> Branches:
    if len(raw) > MAX_TURNS:
        raise ConversationFileError(
            f"The conversation file has {len(raw):,} turns; this app opens at most {MAX_TURNS:,}."
        )
    turns: list[Turn] = []
    for number, item in enumerate(raw):
        if not isinstance(item, dict):
            raise ConversationFileError(f"Turn {number + 1} of the conversation file is not an object.")
        parent, role, content = item.get("parent"), item.get("role"), item.get("content")
        if parent is not None and (
            not isinstance(parent, int) or isinstance(parent, bool) or not 0 <= parent < number
        ):
            raise ConversationFileError(f"Turn {number + 1} follows a turn that is not before it.")
        if role not in ROLES or not isinstance(content, str):
            raise ConversationFileError(f"Turn {number + 1} needs a role (user or assistant) and a text.")
        turns.append(Turn(parent, _message(item, number)))
    picks: dict[int | None, int] = {}
    for pair in chosen:
        child = pair[1] if isinstance(pair, list) and len(pair) == 2 else None
        if not isinstance(child, int) or isinstance(child, bool) or not 0 <= child < len(turns):
            raise ConversationFileError("The conversation file chooses a turn it does not have.")
        picks[turns[child].parent] = child
    tree = Branches(tuple(turns), _frozen(picks))
    if shown:
        last = shown[-1]
        if not isinstance(last, int) or isinstance(last, bool) or not 0 <= last < len(turns):
            raise ConversationFileError("The conversation file shows a turn it does not have.")
        tree = tree.show(last)
    return tree


def _turn(turn: Turn) -> dict[str, Any]:
    """A turn as the file keeps it: images with their bytes (base64), so the file stands alone."""
    out = {"parent": turn.parent, **turn.message.to_dict()}
    if turn.message.images:
        import base64

        embedded = [
            {**image.ref().to_dict(), "data": base64.b64encode(image.data).decode("ascii")}
            for image in turn.message.images
        ]
        out["images"] = embedded + [ref.to_dict() for ref in turn.message.missing_images]
    return out


def _message(item: Mapping[str, Any], number: int) -> Message:
    """A turn's message with the tool calls and results it carries (a tool loop saved mid-way)."""
    for key in ("tool_calls", "tool_results"):
        listed = item.get(key)
        if listed is not None and not (
            isinstance(listed, list) and all(isinstance(entry, dict) for entry in listed)
        ):
            raise ConversationFileError(f"Turn {number + 1}: {key!r} must be a list of objects.")
    return Message.from_dict(item)


def _read_params(raw: dict[str, Any], api: str) -> dict[str, Any]:
    specs = {spec.name: spec for spec in specs_for(api)}
    out = {}
    for name, value in raw.items():
        spec = specs.get(name)
        if name in _SPECIAL:  # cache breakpoints, output format, tools: checked as a run would
            try:
                out[name] = _SPECIAL[name](raw, api)
            except PlaygroundError as exc:
                raise ConversationFileError(f"In the conversation file, {exc}") from None
            continue
        if spec is None:
            raise ConversationFileError(f"The conversation file sets an unknown parameter {name!r}.")
        try:
            out[name] = spec.check(value)
        except PlaygroundError as exc:
            raise ConversationFileError(f"In the conversation file, {exc}") from None
    return out


def _output(raw: Mapping[str, Any], api: str) -> dict[str, Any]:
    spec = schema.OutputSpec.from_value(raw[schema.PARAM])
    if spec.schema is not None:
        schema.schema_problem(spec.schema, raise_it=True)
    return spec.to_dict()


def _tools(raw: Mapping[str, Any], api: str) -> dict[str, Any]:
    return tools.check(tools.ToolSet.from_value(raw[tools.PARAM])).to_dict()


def _cache(raw: Mapping[str, Any], api: str) -> list[dict[str, Any]]:
    return caching.check(caching.breakpoints_of(raw), api)


# Parameters that are not sampling settings, each read the way a run reads it.
_SPECIAL = {schema.PARAM: _output, tools.PARAM: _tools, caching.PARAM: _cache}
