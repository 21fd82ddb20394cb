"""Tools (function calling): the tools a request offers, the calls the model makes, the results sent back.

The tool set travels in a request's parameters under ``tools`` (a plain dict: the tools, the tool choice,
parallel calls), like the structured-output spec, so the history row, a re-run and View code keep it.
Calls and results travel on the conversation's messages (``Message.tool_calls``/``tool_results``).

How each API is asked (the providers' documentation):
- OpenAI Chat Completions: ``tools: [{"type": "function", "function": {"name", "description",
  "parameters"}}]``, ``tool_choice`` "auto" | "none" | "required" | ``{"type": "function", "function":
  {"name"}}``, ``parallel_tool_calls``; calls stream as ``delta.tool_calls[i]`` (id and name first, then
  ``function.arguments`` in pieces); results go back as ``{"role": "tool", "tool_call_id", "content"}``.
  https://platform.openai.com/docs/guides/function-calling
- Anthropic Messages: ``tools: [{"name", "description", "input_schema"}]``, ``tool_choice``
  ``{"type": "auto" | "any" | "tool" | "none"}`` (``disable_parallel_tool_use``); calls stream as
  ``tool_use`` content blocks whose input arrives as ``input_json_delta``; results go back as
  ``tool_result`` blocks in a user message. https://docs.claude.com/en/docs/agents-and-tools/tool-use/overview
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from playground.llm.errors import ErrorKind, PlaygroundError
from playground.llm.schema import Validation, schema_problem

PARAM = "tools"  # the key of the tool set in a request's parameters
MAX_FILE_BYTES = 2_000_000
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # both APIs' rule for a tool name


class ToolChoice(StrEnum):
    AUTO = "auto"
    NONE = "none"
    REQUIRED = "required"  # Anthropic calls it "any"
    NAMED = "named"  # one tool, named in ToolSet.named


@dataclass(frozen=True)
class ToolSpec:
    """One tool; ``parameters`` is its JSON Schema as a plain dict (it crosses a process pipe)."""

    name: str
    description: str = ""
    parameters: Mapping[str, Any] = field(default_factory=lambda: {"type": "object", "properties": {}})

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description, "parameters": dict(self.parameters)}


@dataclass(frozen=True)
class ToolSet:
    """The tools offered, how the model may choose among them, and whether it may call several at once."""

    tools: tuple[ToolSpec, ...] = ()
    choice: ToolChoice = ToolChoice.AUTO
    named: str = ""
    parallel: bool = True

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "tools": [t.to_dict() for t in self.tools],
            "choice": str(self.choice),
            "parallel": self.parallel,
        }
        if self.choice == ToolChoice.NAMED:
            out["named"] = self.named
        return out

    def tool(self, name: str) -> ToolSpec | None:
        return next((t for t in self.tools if t.name == name), None)

    @classmethod
    def from_value(cls, value: Any) -> ToolSet:
        """The tool set from a parameter value (a dict or a set); raises a clear error."""
        if isinstance(value, ToolSet):
            return value
        if not isinstance(value, Mapping):
            raise _invalid(f"tools must be an object with a list of tools, not {value!r}.")
        raw = value.get("tools") or []
        if not isinstance(raw, list):
            raise _invalid("tools.tools must be a list.")
        tools = tuple(_spec(item, f"tool {i + 1}") for i, item in enumerate(raw))
        try:
            choice = ToolChoice(str(value.get("choice", "auto")))
        except ValueError:
            names = ", ".join(c.value for c in ToolChoice)
            raise _invalid(f"tool choice must be one of {names} (got {value.get('choice')!r}).") from None
        return cls(tools, choice, str(value.get("named") or ""), bool(value.get("parallel", True)))


@dataclass(frozen=True)
class ToolCall:
    """One call the model made; ``arguments`` is None when its text is not a JSON object."""

    id: str
    name: str
    arguments_text: str
    arguments: Mapping[str, Any] | None = None
    valid: Validation = field(default_factory=lambda: Validation(True))

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "arguments": self.arguments_text}


@dataclass(frozen=True)
class ToolResult:
    """What the user sends back for one call."""

    call_id: str
    content: str

    def to_dict(self) -> dict[str, Any]:
        return {"call_id": self.call_id, "content": self.content}


def toolset_of(params: Mapping[str, Any]) -> ToolSet | None:
    """The tool set in ``params``, or None when no tools are offered."""
    raw = params.get(PARAM)
    if raw is None:
        return None
    tools = ToolSet.from_value(raw)
    return tools if tools.tools else None


def check(tools: ToolSet) -> ToolSet:
    """Refuse, before sending, what the APIs would refuse: a bad or repeated name, a parameter schema that
    is not valid JSON Schema or not an object, a named choice of a tool that is not there."""
    seen: set[str] = set()
    for tool in tools.tools:
        if not _NAME.match(tool.name):
            raise _invalid(
                f"The tool name {tool.name!r} may hold only letters, digits, _ and - (at most 64)."
            )
        if tool.name in seen:
            raise _invalid(f"Two tools are named {tool.name!r}; names must differ.")
        seen.add(tool.name)
        problem = schema_problem(tool.parameters)
        if problem is not None:
            raise _invalid(
                f"Tool {tool.name}: the parameters are not valid JSON Schema at {problem[0]}: {problem[1]}."
            )
        if tool.parameters.get("type") != "object":
            raise _invalid(f'Tool {tool.name}: the parameters schema must have "type": "object".')
    if tools.choice == ToolChoice.NAMED and tools.tool(tools.named) is None:
        raise _invalid(f"Tool choice names {tools.named!r}, which is not among the tools.")
    return tools


def make_call(call_id: str, name: str, arguments_text: str, tools: ToolSet | None) -> ToolCall:
    """A finished call: its arguments parsed and checked against the tool's schema (with the reason)."""
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for

    text = arguments_text.strip() or "{}"
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        why = f"the arguments are not JSON ({exc.msg} at character {exc.pos})"
        return ToolCall(call_id, name, arguments_text, None, Validation(False, "$", why))
    if not isinstance(value, dict):
        return ToolCall(
            call_id, name, arguments_text, None, Validation(False, "$", "the arguments are not an object")
        )
    tool = tools.tool(name) if tools else None
    if tool is None:
        return ToolCall(
            call_id, name, arguments_text, value, Validation(False, "$", f"no tool is named {name!r}")
        )
    error = best_match(validator_for(tool.parameters)(tool.parameters).iter_errors(value))
    valid = Validation(True) if error is None else Validation(False, error.json_path, error.message)
    return ToolCall(call_id, name, arguments_text, value, valid)


class CallBuffer:
    """Streamed pieces of tool calls, by index, joined into calls at the end (both APIs send the id and
    name first and the arguments in pieces)."""

    def __init__(self) -> None:
        self._parts: dict[int, list[str]] = {}

    def add(self, index: int, call_id: str, name: str, arguments: str) -> None:
        part = self._parts.setdefault(index, ["", "", ""])
        part[0] = part[0] or call_id
        part[1] = part[1] or name
        part[2] += arguments

    def __bool__(self) -> bool:
        return bool(self._parts)

    def calls(self, tools: ToolSet | None) -> list[ToolCall]:
        return [make_call(i, n, a, tools) for _, (i, n, a) in sorted(self._parts.items())]


def read_file(text: str) -> list[ToolSpec]:
    """Tools from a JSON file in OpenAI format (``{"type": "function", "function": {...}}`` or its inner
    object, a list or ``{"tools": [...]}``) or Anthropic format (``{"name", "input_schema"}``)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _invalid(
            f"The tools file is not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
        ) from None
    if isinstance(data, Mapping) and isinstance(data.get("tools"), list):
        data = data["tools"]
    if isinstance(data, Mapping):
        data = [data]
    if not isinstance(data, list) or not data:
        raise _invalid("The tools file holds no tools: expected a list of tool definitions.")
    tools = ToolSet(tuple(_imported(item, i + 1) for i, item in enumerate(data)))
    return list(check(tools).tools)


def _imported(item: Any, number: int) -> ToolSpec:
    if not isinstance(item, Mapping):
        raise _invalid(f"Tool {number} in the file is not an object.")
    if item.get("type") == "function" and isinstance(item.get("function"), Mapping):
        item = item["function"]
    if "name" not in item:
        raise _invalid(f"Tool {number} in the file has no name (OpenAI and Anthropic tools both need one).")
    schema = item.get("input_schema", item.get("parameters", {"type": "object", "properties": {}}))
    return _spec(
        {"name": item["name"], "description": item.get("description", ""), "parameters": schema},
        f"tool {number}",
    )


def _spec(item: Any, where: str) -> ToolSpec:
    if isinstance(item, ToolSpec):
        return item
    if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
        raise _invalid(f"{where.capitalize()} needs a name.")
    params = item.get("parameters") or {"type": "object", "properties": {}}
    if isinstance(params, str):  # the editor's text when it is not JSON yet
        try:
            params = json.loads(params)
        except json.JSONDecodeError as exc:
            raise _invalid(
                f"Tool {item['name']}: the parameters are not JSON: {exc.msg} (line {exc.lineno})."
            ) from None
    if not isinstance(params, Mapping):
        raise _invalid(f"Tool {item['name']}: the parameters must be a JSON object.")
    return ToolSpec(item["name"], str(item.get("description") or ""), dict(params))


# Anthropic's documented tool-use system prompt, in tokens, added when tools are offered:
# (auto or none, any or tool) per model family. https://docs.claude.com/en/docs/agents-and-tools/tool-use/overview#pricing
_ANTHROPIC_OVERHEAD: tuple[tuple[re.Pattern[str], tuple[int, int]], ...] = (
    (
        re.compile(
            r"claude-(opus|sonnet|haiku)-4|claude-[a-z]+-[5-9]|claude-3-7-sonnet|claude-3-5-sonnet", re.I
        ),
        (346, 313),
    ),
    (re.compile(r"claude-3-5-haiku|claude-3-haiku", re.I), (264, 340)),
    (re.compile(r"claude-3-opus", re.I), (530, 281)),
    (re.compile(r"claude-3-sonnet", re.I), (159, 235)),
)


@dataclass(frozen=True)
class Overhead:
    """Tokens the tools add to a prompt: their definitions and any system prompt the API adds for them."""

    definitions: int
    system: int
    estimated: bool  # True where the provider publishes no figure (then ``system`` is 0 and said so)
    source: str

    @property
    def tokens(self) -> int:
        return self.definitions + self.system


def overhead(tools: ToolSet, api: str, model: str, count: Any) -> Overhead:
    """The tools' share of the prompt; ``count(text) -> int`` counts tokens of the definitions as JSON.
    The definitions are always our estimate (neither API says how it renders them); Anthropic publishes
    its tool-use system prompt per model, OpenAI publishes nothing."""
    definitions = sum(int(count(json.dumps(t.to_dict(), ensure_ascii=False))) for t in tools.tools)
    if api == "anthropic":
        forced = tools.choice in (ToolChoice.REQUIRED, ToolChoice.NAMED)
        for pattern, (auto, any_) in _ANTHROPIC_OVERHEAD:
            if pattern.search(model):
                return Overhead(
                    definitions,
                    any_ if forced else auto,
                    True,
                    "Anthropic tool-use system prompt (documented) + definitions (estimate)",
                )
        return Overhead(
            definitions, 0, True, "definitions only (no documented system-prompt figure for this model)"
        )
    return Overhead(definitions, 0, True, "definitions (estimate: OpenAI publishes no tool overhead)")


def sample_file_text(tools: Sequence[ToolSpec]) -> str:
    """Tools as an OpenAI-format file (what Export writes and Import reads)."""
    return json.dumps([{"type": "function", "function": t.to_dict()} for t in tools], indent=2)


def _invalid(message: str) -> PlaygroundError:
    return PlaygroundError.of(ErrorKind.INVALID_PARAMETER, message)
