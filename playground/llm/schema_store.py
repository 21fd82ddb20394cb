"""Schemas saved by name: one JSON file each in the data folder's ``schemas`` directory.

Called off the GUI thread (file I/O). A name becomes a file name with only safe characters, so a
name can never reach outside the folder."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

from playground.llm.errors import ErrorKind, PlaygroundError

FOLDER = "schemas"
_UNSAFE = re.compile(r"[^\w .-]")  # \w: letters and digits of any script
MAX_NAME = 80
MAX_NAME_BYTES = 200  # a file name holds 255 bytes, less ".json.part"


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
        """The file of ``name``; a name it would have to change is refused, since two names changed
        alike ("日本", "中文" → "_") would overwrite each other's schema."""
        safe = unicodedata.normalize("NFC", name.strip())
        unsafe = sorted(set(_UNSAFE.findall(safe)) | ({"."} if safe.startswith(".") else set()))
        if not safe.strip(". _-"):
            raise _error("Give the schema a name (letters, digits, spaces, _ . -).")
        if unsafe:
            raise _error(f"A schema name may hold letters, digits, spaces, _ . - (not {' '.join(unsafe)}).")
        if len(safe) > MAX_NAME or len(safe.encode()) > MAX_NAME_BYTES:
            raise _error(f"A schema name is at most {MAX_NAME} characters.")
        return self._folder / f"{safe.rstrip('. ')}.json"


def _error(message: str) -> PlaygroundError:
    return PlaygroundError.of(ErrorKind.INVALID_PARAMETER, message)
