"""Keep long-lived objects out of Python's full garbage collections.

A full (gen-2) collection walks every tracked object while holding the GIL; with PySide6, pyqtgraph
and numpy loaded that is a few hundred thousand objects, ~85-100 ms under load, on whichever thread
triggers it, so the GUI thread stalls for as long (measured with bench/heartbeat.py). What is alive
once a heavy part has loaded (modules, classes, the window) lives until quit: ``gc.freeze()`` moves
it to the permanent generation, and later full passes walk only what came after."""

from __future__ import annotations

import gc


def settle() -> None:
    """Call after a heavy part has loaded (the window, the core, the Spend charts' libraries)."""
    gc.freeze()
