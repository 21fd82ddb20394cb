"""A text diff of two prompt versions, field by field (system, each message, params, model)."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass

from playground.prompts.records import PromptVersion


@dataclass(frozen=True)
class FieldDiff:
    """One field that differs, with its unified diff lines."""

    field: str
    lines: tuple[str, ...]


def _fields(v: PromptVersion) -> dict[str, str]:
    out = {"system": v.system}
    for i, m in enumerate(v.messages, 1):
        out[f"message {i} ({m.role})"] = m.content
    out["params"] = json.dumps(dict(v.params), sort_keys=True, indent=2)
    out["model"] = f"{v.endpoint}/{v.model}"
    return out


def diff_versions(old: PromptVersion, new: PromptVersion) -> list[FieldDiff]:
    """The fields that changed from ``old`` to ``new``; an empty list when nothing did."""
    a, b = _fields(old), _fields(new)
    names = list(a) + [k for k in b if k not in a]
    diffs = []
    for name in names:
        before, after = a.get(name, ""), b.get(name, "")
        if before == after:
            continue
        lines = difflib.unified_diff(
            before.splitlines(), after.splitlines(), old.label, new.label, lineterm="", n=2
        )
        diffs.append(FieldDiff(name, tuple(lines)))
    return diffs


def diff_text(old: PromptVersion, new: PromptVersion) -> str:
    """The whole diff as text, one titled block per changed field."""
    diffs = diff_versions(old, new)
    if not diffs:
        return f"{old.label} and {new.label} are the same prompt."
    return "\n\n".join(f"== {d.field} ==\n" + "\n".join(d.lines) for d in diffs)


def same_prompt(version: PromptVersion, current: PromptVersion) -> bool:
    """Whether the Playground's draft ``current`` is still exactly ``version`` (not edited since):
    only then does a run link to it."""
    return not diff_versions(version, current)
