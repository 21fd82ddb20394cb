"""Structured outputs: the answer's format (plain text, a JSON object, or JSON matching a schema), how each
API is asked for it, and whether the answer kept to it.

The spec travels in a request's parameters under ``output`` (a plain dict), so everything that keeps
parameters keeps it too: the history row, a re-run, View code, a comparison's shared parameters.

How each API is asked (the providers' documentation):
- OpenAI Chat Completions: ``response_format`` ``{"type": "json_object"}`` or ``{"type": "json_schema",
  "json_schema": {"name", "schema", "strict"}}``; strict takes a subset of JSON Schema (every object has
  ``additionalProperties: false`` and lists all its properties in ``required``).
  https://platform.openai.com/docs/guides/structured-outputs
- Anthropic Messages: ``output_config: {"format": {"type": "json_schema", "schema"}}`` (generally
  available, no beta header; it replaced the beta ``output_format`` and ``structured-outputs-2025-11-13``)
  on Claude Opus 4.1 and later, Sonnet 4.5 and later and Haiku 4.5; on other models a forced tool
  (``tools: [{"name", "input_schema"}]``, ``tool_choice: {"type": "tool", "name"}``) whose input is
  the answer. https://docs.claude.com/en/docs/build-with-claude/structured-outputs and
  https://docs.claude.com/en/docs/agents-and-tools/tool-use/implement-tool-use#forcing-tool-use
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from playground.llm.errors import ErrorKind, PlaygroundError

PARAM = "output"  # the key of the spec in a request's parameters
DEFAULT_NAME = "answer"
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # OpenAI's rule for json_schema.name (and a tool name)
# Claude models with native structured outputs (see the module docstring).
_CLAUDE_NATIVE = re.compile(r"claude-(opus-4-[1-9]|sonnet-4-[5-9]|haiku-4-[5-9]|[a-z]+-[5-9])", re.I)
# OpenAI models that predate response_format json_schema (json_object works on the -1106 and later).
_OPENAI_NO_SCHEMA = re.compile(r"^(gpt-3\.5|gpt-4(-\d{4}|-turbo|-32k)?$|gpt-4-turbo|gpt-4-\d{4})", re.I)


class OutputMode(StrEnum):
    TEXT = "text"
    JSON_OBJECT = "json_object"
    JSON_SCHEMA = "json_schema"


@dataclass(frozen=True)
class OutputSpec:
    """What the answer must be. ``schema`` is a plain dict (it crosses a process pipe and lands in JSON)."""

    mode: OutputMode = OutputMode.TEXT
    schema: Mapping[str, Any] | None = None
    name: str = DEFAULT_NAME
    strict: bool = True

    @property
    def structured(self) -> bool:
        return self.mode != OutputMode.TEXT

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"mode": str(self.mode)}
        if self.mode == OutputMode.JSON_SCHEMA:
            out |= {"schema": dict(self.schema or {}), "name": self.name, "strict": self.strict}
        return out

    @classmethod
    def from_value(cls, value: Any) -> OutputSpec:
        """The spec from a parameter value (a dict, a spec, or a mode name); raises a clear error."""
        if isinstance(value, OutputSpec):
            return value
        if isinstance(value, str):
            value = {"mode": value}
        if not isinstance(value, Mapping):
            raise _invalid(f"output must be a mode or an object with a mode, not {value!r}.")
        try:
            mode = OutputMode(str(value.get("mode", "text")))
        except ValueError:
            modes = ", ".join(m.value for m in OutputMode)
            raise _invalid(f"output mode must be one of {modes} (got {value.get('mode')!r}).") from None
        schema = value.get("schema")
        if isinstance(schema, str):  # the editor's text when it is not JSON yet
            try:
                schema = json.loads(schema)
            except json.JSONDecodeError as exc:
                raise _invalid(f"The output schema is not JSON: {exc.msg} (line {exc.lineno}).") from None
            except RecursionError:
                raise _invalid(f"The output schema is {_TOO_DEEP}.") from None
        if schema is not None and not isinstance(schema, Mapping):
            raise _invalid("The output schema must be a JSON object.")
        name = str(value.get("name") or DEFAULT_NAME)
        return cls(mode, dict(schema) if schema is not None else None, name, bool(value.get("strict", True)))


_TOO_DEEP = "nested too deeply, or a $ref that refers to itself in a loop"


@dataclass(frozen=True)
class Validation:
    """Whether an answer kept to its format; ``error_path`` is where it first did not ("$" for the root)."""

    valid: bool
    error_path: str | None = None
    message: str = ""
    checked: bool = True  # False: the answer could not be checked (``message`` says why), so unknown

    @classmethod
    def unknown(cls, why: str) -> Validation:
        return cls(False, None, why, checked=False)

    def line(self) -> str:
        """One line for a column or a status bar."""
        if not self.checked:
            return f"? not checked: {self.message}"
        if self.valid:
            return "✓ valid"
        return f"✗ invalid at {self.error_path or '$'}: {self.message}"


def spec_of(params: Mapping[str, Any]) -> OutputSpec | None:
    """The structured-output spec in ``params``, or None for plain text."""
    raw = params.get(PARAM)
    if raw is None:
        return None
    spec = OutputSpec.from_value(raw)
    return spec if spec.structured else None


def check(spec: OutputSpec, api: str, model: str, official: bool, thinking: bool = False) -> OutputSpec:
    """Refuse, before sending, a spec the API would refuse: an invalid schema (with the path of the
    problem), a name the API rejects, strict rules broken, a model without the feature."""
    if not spec.structured:
        return spec
    if spec.mode == OutputMode.JSON_SCHEMA:
        if spec.schema is None:
            raise _invalid("JSON schema mode needs a schema.")
        schema_problem(spec.schema, raise_it=True)
        if not _NAME.match(spec.name):
            raise _invalid(
                f"The schema name {spec.name!r} may hold only letters, digits, _ and - (at most 64)."
            )
        if api != "anthropic" and spec.strict:
            for path, message in strict_problems(spec.schema):
                raise _invalid(f"Strict mode: {message} at {path}.")
    if (
        api != "anthropic"
        and official
        and spec.mode == OutputMode.JSON_SCHEMA
        and _OPENAI_NO_SCHEMA.match(model)
    ):
        raise _invalid(
            f"{model} does not take a JSON schema (response_format json_schema); choose JSON object."
        )
    if api == "anthropic" and thinking and not anthropic_native(model):
        raise _invalid(
            f"{model} has no native structured outputs, and its fallback (a forced tool) cannot run with "
            "extended thinking: set the thinking budget to 0."
        )
    return spec


def schema_problem(schema: Any, raise_it: bool = False) -> tuple[str, str] | None:
    """The first problem of a JSON Schema as (path, message), or None when it is a valid schema."""
    from jsonschema import SchemaError
    from jsonschema.validators import validator_for

    problem: tuple[str, str] | None = None
    if not isinstance(schema, Mapping):
        problem = ("$", "a schema must be a JSON object")
    else:
        try:
            validator_for(schema).check_schema(dict(schema))
        except SchemaError as exc:
            problem = (_schema_path(exc.path), exc.message)
        except RecursionError:
            problem = ("$", _TOO_DEEP)
    if problem is not None and raise_it:
        raise _invalid(f"The schema is not valid JSON Schema at {problem[0]}: {problem[1]}.")
    return problem


def strict_problems(schema: Mapping[str, Any], path: str = "$") -> Iterator[tuple[str, str]]:
    """Where a schema breaks OpenAI's strict rules: each object closed and all its properties required."""
    if schema.get("type") == "object" or "properties" in schema:
        props = schema.get("properties") or {}
        if schema.get("additionalProperties") is not False:
            yield path, "every object needs additionalProperties: false"
        missing = [name for name in props if name not in (schema.get("required") or [])]
        if missing:
            yield path, f"every property must be required (missing {', '.join(missing)})"
        for name, sub in props.items():
            if isinstance(sub, Mapping):
                yield from strict_problems(sub, f"{path}.properties.{name}")
    for key in ("items",):
        if isinstance(schema.get(key), Mapping):
            yield from strict_problems(schema[key], f"{path}.{key}")
    for key in ("anyOf", "$defs", "definitions"):
        value = schema.get(key)
        subs = value.items() if isinstance(value, Mapping) else enumerate(value or [])
        for name, sub in subs:
            if isinstance(sub, Mapping):
                yield from strict_problems(sub, f"{path}.{key}.{name}")


def validate(spec: OutputSpec, text: str) -> Validation:
    """Whether ``text`` (the answer) is what ``spec`` asked for, with the path of the first error."""
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for

    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return Validation(False, "$", f"not JSON ({exc.msg} at character {exc.pos})")
    except RecursionError:
        return Validation.unknown("the answer is nested too deeply to read")
    if spec.mode == OutputMode.JSON_OBJECT or spec.schema is None:
        ok = isinstance(value, dict)
        return Validation(True) if ok else Validation(False, "$", "not a JSON object")
    validator = validator_for(spec.schema)(spec.schema)
    try:
        error = best_match(validator.iter_errors(value))
    except RecursionError:
        return Validation.unknown(f"checking went too deep ({_TOO_DEEP})")
    if error is None:
        return Validation(True)
    return Validation(False, error.json_path, error.message)


def anthropic_native(model: str) -> bool:
    """Whether a Claude model takes ``output_config.format`` (else the forced tool is used)."""
    return bool(_CLAUDE_NATIVE.search(model))


def way(spec: OutputSpec, api: str, model: str) -> str:
    """How the spec is sent to this API, in words (shown beside the answer)."""
    if api == "anthropic":
        if spec.mode == OutputMode.JSON_SCHEMA and anthropic_native(model):
            return "Anthropic structured outputs"
        return f"forced tool {spec.name}"
    field = "text.format" if api == "openai-responses" else "response_format"
    if spec.mode == OutputMode.JSON_OBJECT:
        return f"{field} json_object"
    return f"{field} json_schema" + (" strict" if spec.strict else "")


def tool_schema(spec: OutputSpec) -> dict[str, Any]:
    """The forced tool's input schema: the schema itself, or any object for JSON object mode."""
    if spec.mode == OutputMode.JSON_SCHEMA and spec.schema is not None:
        return dict(spec.schema)
    return {"type": "object"}


def pretty(text: str) -> str | None:
    """The answer as indented JSON, or None when it is not JSON (or too deeply nested to indent)."""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except (json.JSONDecodeError, ValueError, RecursionError):
        return None


def api_name(title: str) -> str:
    """A title as a name the APIs take ("Yes / no" -> "yes_no")."""
    return re.sub(r"[^A-Za-z0-9_-]+", "_", title).strip("_").lower()[:64] or DEFAULT_NAME


def _schema_path(path: Any) -> str:
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _invalid(message: str) -> PlaygroundError:
    return PlaygroundError.of(ErrorKind.INVALID_PARAMETER, message)


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


STARTERS: dict[str, dict[str, Any]] = {
    "Person": _object(
        {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}, "email": {"type": "string"}}
    ),
    "Sentiment": _object(
        {
            "sentiment": {"type": "string", "enum": ["positive", "neutral", "negative"]},
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        }
    ),
    "Extraction list": _object(
        {
            "items": {
                "type": "array",
                "items": _object({"name": {"type": "string"}, "quantity": {"type": "integer"}}),
            }
        }
    ),
    "Yes / no with reason": _object({"answer": {"type": "boolean"}, "reason": {"type": "string"}}),
}
