"""Libraries imported without optional extras we never use.

sqlite-utils imports numpy (and pandas, when installed) only to map their scalar types to column types
when inserting them; we insert plain Python values, so the window idles without numpy's 15 MB until a
chart needs it. Only the importing thread is refused: a chart loading numpy meanwhile gets it.
"""

from __future__ import annotations

import importlib
import importlib.abc
import sys
import threading
from collections.abc import Sequence
from types import ModuleType

SQLITE_UTILS_EXTRAS = ("numpy", "pandas")


class _Refuse(importlib.abc.MetaPathFinder):
    """Makes ``names`` look absent to one thread's imports."""

    def __init__(self, names: Sequence[str]):
        self._names = frozenset(names)
        self._thread = threading.get_ident()

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> None:
        if fullname in self._names and threading.get_ident() == self._thread:
            raise ModuleNotFoundError(f"No module named {fullname!r} (left out)", name=fullname)
        return None


def import_without(module: str, left_out: Sequence[str]) -> ModuleType:
    """Import ``module`` as if ``left_out`` were not installed (unless already imported)."""
    if module in sys.modules:
        return sys.modules[module]
    finder = _Refuse(left_out)
    sys.meta_path.insert(0, finder)
    try:
        return importlib.import_module(module)
    finally:
        sys.meta_path.remove(finder)


def load_sqlite_utils() -> ModuleType:
    """sqlite-utils without numpy and pandas; call it before anything imports the history."""
    return import_without("sqlite_utils", SQLITE_UTILS_EXTRAS)
