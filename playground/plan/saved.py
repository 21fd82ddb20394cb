"""Workloads saved by name: ``<data dir>/workloads/<name>.toml``, in the same format as `playground plan
--file` reads. Every function does file I/O: the window calls them on the background pool."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import replace
from pathlib import Path

from playground.files import write_whole
from playground.plan.workload import Workload, WorkloadError, dumps_toml, load

FOLDER = "workloads"
SUFFIX = ".toml"
_BAD = set('/\\:*?"<>|')
MAX_NAME = 80
MAX_NAME_BYTES = 200  # a file name holds 255 bytes, less ".toml.partial"; 80 emoji are 320
# Names Windows keeps for devices: a saved file must open wherever `playground plan --file` runs.
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"{port}{i}" for port in ("COM", "LPT") for i in range(1, 10))}


class SavedWorkloads:
    """The saved workloads in one folder (made on first save)."""

    def __init__(self, data_dir: Path):
        self.folder = data_dir / FOLDER

    def names(self) -> list[str]:
        """The saved names, sorted without regard to case."""
        if not self.folder.is_dir():
            return []
        found = [p.stem for p in self.folder.iterdir() if p.suffix == SUFFIX and p.is_file()]
        return sorted(found, key=str.casefold)

    def cannot_save(self) -> str | None:
        """Why no workload can be saved here (a read-only folder, or not ours), in words; None when
        one can. Looks only: the folder is made on the first save, in the nearest folder that exists."""
        where = self.folder
        while not where.exists() and where.parent != where:
            where = where.parent
        if where.is_dir() and os.access(where, os.W_OK | os.X_OK):
            return None
        return f"The folder {self.folder} cannot be written (read-only or not yours)."

    def path(self, name: str) -> Path:
        return self.folder / f"{check_name(name)}{SUFFIX}"

    def load(self, name: str) -> Workload:
        workload = load(self.path(name))
        return workload if workload.name else replace(workload, name=name)

    def save(self, workload: Workload, name: str, replace_existing: bool = True) -> Path:
        """Write ``workload`` as ``name`` (its name field set to it); atomic, so a crash keeps the old."""
        path = self.path(name)
        if not replace_existing and path.exists():
            raise WorkloadError(f"a workload named {name!r} is already saved")
        self.folder.mkdir(parents=True, exist_ok=True)
        write_whole(path, dumps_toml(replace(workload, name=path.stem)))
        return path

    def delete(self, name: str) -> None:
        try:
            self.path(name).unlink()
        except FileNotFoundError:
            raise WorkloadError(f"no workload named {name!r} is saved") from None

    def rename(self, old: str, new: str) -> None:
        """Rename a saved workload (its file and its name field); refuses to overwrite another."""
        workload = self.load(old)
        self.save(workload, new, replace_existing=old.casefold() == new.casefold())
        if self.path(old) != self.path(new):
            self.path(old).unlink(missing_ok=True)


def check_name(name: str) -> str:
    """``name`` stripped, or a WorkloadError that says what is wrong with it."""
    text = unicodedata.normalize("NFC", name.strip())  # "café" typed two ways is one name
    if not text:
        raise WorkloadError("a workload needs a name")
    bad = sorted(_BAD & set(text))
    if bad:
        raise WorkloadError(f"a workload name cannot contain {' '.join(bad)} (it names a file)")
    if text.startswith(".") or any(ord(c) < 32 for c in text):
        raise WorkloadError("a workload name cannot start with a dot or hold control characters")
    if len(text) > MAX_NAME or len(text.encode("utf-8")) > MAX_NAME_BYTES:
        raise WorkloadError(f"a workload name is at most {MAX_NAME} characters (fewer for emoji)")
    if text.endswith(".") or text.split(".")[0].strip().upper() in _RESERVED:
        raise WorkloadError(f"{text!r} cannot name a file on every system: pick another name")
    return text
