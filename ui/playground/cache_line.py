"""The counters' prompt-caching line: before a run, the breakpoints that will not cache; after it, the
cache reads and writes the provider reported and what caching saved or cost against the same call
without it (worked out on the run thread: ``CallResult.cache_savings``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QWidget

if TYPE_CHECKING:
    from playground.llm.result import CallResult
    from playground.pricing.estimate import Estimate


def result_text(result: CallResult) -> str:
    """'cache: read 3,000 · wrote 2,000 (1,000 for 1 h) · saved $0.0081' (empty: no cache use)."""
    u = result.usage
    if not (u.cache_read_tokens or u.cache_write_tokens):
        return ""
    parts = [f"read {u.cache_read_tokens:,}"]
    if u.cache_write_tokens:
        hour = f" ({u.cache_write_1h_tokens:,} for 1 h)" if u.cache_write_1h_tokens else ""
        parts.append(f"wrote {u.cache_write_tokens:,}{hour}")
    savings = result.cache_savings
    parts.append(savings.words() if savings is not None else "savings unknown")
    return "cache: " + " · ".join(parts)


class CacheLine(QLabel):
    """The last run's cache figures and the current prompt's warnings, each kept until replaced (an
    estimate after a run must not wipe the run's figures)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._warnings = ""
        self._result = ""
        self.setWordWrap(True)
        self.setAccessibleName("Prompt caching")
        self.setToolTip(
            "Cache reads and writes as the provider reported them, and the price against the same call "
            "with every cached token priced as plain input"
        )
        self.hide()

    def show_estimate(self, estimate: Estimate | None) -> None:
        warnings = estimate.cache_warnings if estimate is not None else ()
        self._warnings = "⚠ " + " ".join(warnings) if warnings else ""
        self._show()

    def show_result(self, result: CallResult) -> None:
        self._result = result_text(result)
        self._show()

    def clear_run(self) -> None:
        self._result = ""
        self._show()

    def _show(self) -> None:
        text = "\n".join(t for t in (self._result, self._warnings) if t)
        self.setText(text)
        self.setVisible(bool(text))
