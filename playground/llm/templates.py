"""{{variables}} in prompts: find them and fill them from a table."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace

from playground.llm.request import Request

_VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def find_variables(texts: Iterable[str]) -> list[str]:
    """Variable names in order of first appearance, each once."""
    seen: dict[str, None] = {}
    for text in texts:
        for match in _VARIABLE.finditer(text):
            seen.setdefault(match.group(1), None)
    return list(seen)


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace each {{name}} that has a value; unknown names stay as written, so nothing is lost."""
    return _VARIABLE.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def fill_request(request: Request, values: Mapping[str, str]) -> Request:
    if not values:
        return request
    messages = tuple(replace(m, content=fill(m.content, values)) for m in request.messages)
    return Request(request.endpoint, request.model, messages, fill(request.system, values), request.params)
