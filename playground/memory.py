"""Handing freed memory back to the system after a load that used much of it for a moment.

glibc keeps freed heap pages for reuse: building an encoding goes through ~400,000 short-lived objects
and leaves several MB of free pages in the process for good. ``malloc_trim`` returns them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim  # the C library the process runs on
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None
    return trim


def give_back() -> None:
    """Return free heap pages to the system (glibc; elsewhere nothing). Milliseconds: off the GUI thread."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
