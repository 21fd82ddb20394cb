"""Export and import one prompt, with all its versions, as a JSON file.

Import of a name already in the library adds the file's versions after the existing ones (nothing
is overwritten); a bad file raises ``BadPromptFile`` with a clear message before anything is written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playground.files import write_whole
from playground.prompts.records import PromptVersion
from playground.prompts.store import PromptStore

FORMAT = "llm-playground-prompt"
FORMAT_VERSION = 1
MAX_BYTES = 20_000_000


class BadPromptFile(ValueError):
    pass


def export_prompt(store: PromptStore, name: str, path: Path) -> int:
    """Write ``name`` with every version (oldest first) to ``path``; returns the version count."""
    versions = list(reversed(store.versions(name)))
    data: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "name": name,
        "versions": [v.to_dict() for v in versions],
    }
    write_whole(path, json.dumps(data, indent=2, ensure_ascii=False))
    return len(versions)


def read_prompt_file(path: Path) -> tuple[str, list[PromptVersion]]:
    """The name and versions in a prompt file, checked whole before anything is imported."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise BadPromptFile(f"{path.name} is too large to be a prompt file.")
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise BadPromptFile(f"Could not read {path.name}: {e.strerror or e}.") from e
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BadPromptFile(f"{path.name} is not a prompt file (not JSON).") from e
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BadPromptFile(f"{path.name} is not an LLM Playground prompt file.")
    if data.get("format_version") != FORMAT_VERSION:
        raise BadPromptFile(f"{path.name} was written by another version of LLM Playground.")
    name = data.get("name")
    raw = data.get("versions")
    if not isinstance(name, str) or not name.strip() or not isinstance(raw, list) or not raw:
        raise BadPromptFile(f"{path.name} has no prompt name or no versions.")
    versions = []
    for i, item in enumerate(raw, 1):
        try:
            if not isinstance(item, dict):
                raise ValueError("not an object")
            versions.append(PromptVersion.from_dict(name.strip(), item))
        except (KeyError, TypeError, ValueError) as e:
            raise BadPromptFile(f"{path.name}: version {i} is damaged ({e}).") from e
    return name.strip(), versions


def import_prompt(store: PromptStore, path: Path) -> list[PromptVersion]:
    """Import a prompt file: its versions are added (renumbered) after any of the same name."""
    name, versions = read_prompt_file(path)
    return store.add_versions(name, versions)
