"""With FIRSTSPEND_TRACE=1, bench/first_spend.py prints the GUI-thread CPU of every step of a lazy
page's load (ui/page_loader.py) and of Spend's chart frames (ui/spend/frames.py), largest first, each
named by where its generator stood before and after it ("plot_in_steps:117 -> plot_in_steps:119").
Off, nothing is wrapped: a normal run pays nothing."""

from __future__ import annotations

import sys
import time
from typing import Any

STEPS: list[tuple[float, str]] = []  # (CPU ms, what ran)


def where(steps: Any) -> str:
    """The innermost suspended generator of ``steps`` (through ``yield from`` and import_steps'
    stepped package), as "function:line"."""
    label, depth = "", 0
    while steps is not None and depth < 30:
        depth += 1
        steps = getattr(steps, "_steps", steps) if type(steps).__name__ == "_Stepped" else steps
        frame = getattr(steps, "gi_frame", None)
        if frame is None:
            break
        leaf = frame.f_locals.get("leaf") if frame.f_code.co_name in ("_run", "_leaves_then_root") else None
        label = f"{frame.f_code.co_name}:{frame.f_lineno}" + (f"[{leaf}]" if leaf else "")
        steps = getattr(steps, "gi_yieldfrom", None)
    return label


def install() -> None:
    from ui.page_loader import PageLoader
    from ui.spend.frames import Frames

    load_next, frame_next = PageLoader._next, Frames._next

    def timed_load(self: Any) -> None:
        before, cpu = where(self._steps), time.thread_time()
        try:
            load_next(self)
        finally:
            STEPS.append(((time.thread_time() - cpu) * 1000, f"load {before} -> {where(self._steps)}"))

    def timed_frame(self: Any) -> None:
        step = self._steps[0] if self._steps else None
        name, cpu = getattr(step, "__qualname__", repr(step)), time.thread_time()
        try:
            frame_next(self)
        finally:
            STEPS.append(((time.thread_time() - cpu) * 1000, f"frame {name}"))

    PageLoader._next = timed_load  # type: ignore[method-assign]
    Frames._next = timed_frame  # type: ignore[method-assign]


def report(top: int = 15) -> None:
    print(f"STEPS {len(STEPS)}, the largest (GUI-thread CPU ms):", file=sys.stderr)
    for cpu, what in sorted(STEPS, reverse=True)[:top]:
        print(f"  {cpu:6.1f}  {what}", file=sys.stderr)
