"""What the test servers answer when asked for structured output: a JSON value made from the schema
(as a model held to it would write), unless the test scripted its own (possibly invalid) answer."""

from __future__ import annotations

import json
from typing import Any

from tests.servers.base import Script

# The servers' stand-in for a model without the feature (as the APIs answer: a 400).
NO_STRUCTURED_MODEL = "old-model"


def instance_for(schema: Any) -> Any:
    """A small value that matches ``schema`` (objects, arrays, enums, const, the scalar types)."""
    if not isinstance(schema, dict):
        return None
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        if schema.get(key):
            return instance_for(schema[key][0])
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = kind[0]
    if kind == "object" or "properties" in schema:
        return {name: instance_for(sub) for name, sub in (schema.get("properties") or {}).items()}
    if kind == "array":
        return [instance_for(schema.get("items") or {})]
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return schema.get("minimum", 0.5)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return "text"


def answer_text(script: Script, schema: Any) -> str:
    """The scripted text when the test set one, else JSON made from ``schema``."""
    if script.text != Script.text:
        return script.text
    return json.dumps(instance_for(schema))
