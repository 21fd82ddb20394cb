"""Schemas saved by name: one JSON file each in the data folder's ``schemas`` directory.

Called off the GUI thread (file I/O). A name becomes a file name with only safe characters, so a
name can never reach outside the folder."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from playground.llm.errors import ErrorKind, PlaygroundError

FOLDER = "schemas"
_UNSAFE = re.compile(r"[^A-Za-z0-9 _.-]+")


class SchemaStore:
    def __init__(self, folder: Path):
        self._folder = folder

    def names(self) -> list[str]:
        """The saved names, sorted case-insensitively (none when the folder does not exist yet)."""
        if not self._folder.is_dir():
            return []
        return sorted((p.stem for p in self._folder.glob("*.json")), key=str.casefold)

    def load(self, name: str) -> dict[str, Any]:
        path = self._path(name)
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise _error(f"No saved schema named {name!r}.") from None
        except (OSError, ValueError) as exc:
            raise _error(f"The saved schema {name!r} cannot be read: {exc}") from None
        if not isinstance(value, dict):
            raise _error(f"The saved schema {name!r} is not a JSON object.")
        return value

    def save(self, name: str, schema: dict[str, Any]) -> str:
        """Write ``schema`` under ``name`` (replacing one of the same name, atomically); the name used."""
        path = self._path(name)
        self._folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".json.part")
        partial.write_text(json.dumps(schema, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, path)
        return path.stem

    def _path(self, name: str) -> Path:
        safe = _UNSAFE.sub("_", name.strip()).strip(". ")[:80]
        if not safe:
            raise _error("Give the schema a name (letters, digits, spaces, _ . -).")
        return self._folder / f"{safe}.json"


def _error(message: str) -> PlaygroundError:
    return PlaygroundError.of(ErrorKind.INVALID_PARAMETER, message)
