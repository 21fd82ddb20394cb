"""The compare metrics grid: one row per figure, one cell per column, the best value per row marked.
Qt-free, so the figures are checked without a window."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from playground import formatting
from playground.llm.result import CallResult

Value = float | Decimal  # costs stay exact Decimals


class Best(StrEnum):
    LOWEST = "lowest"
    HIGHEST = "highest"
    NONE = "none"


@dataclass(frozen=True)
class Figure:
    name: str
    value: Callable[[CallResult], Value | None]  # None: not known for this call
    text: Callable[[Value, bool], str]  # a value and whether it is an estimate
    estimated: Callable[[CallResult], bool]
    best: Best


def _cost(r: CallResult) -> Decimal | None:
    return r.cost.total if r.cost is not None else None


def _tokens(value: Value, estimated: bool) -> str:
    return formatting.tokens(round(value), estimated)


def _ms(value: Value, estimated: bool) -> str:
    return formatting.millis(float(value))


def _usd(value: Value, estimated: bool) -> str:
    return formatting.usd(Decimal(value), estimated)


def _no(r: CallResult) -> bool:
    return False


FIGURES: tuple[Figure, ...] = (
    Figure("First token", lambda r: r.ttft_ms, _ms, _no, Best.LOWEST),
    Figure(
        "Tokens/s",
        lambda r: r.tokens_per_s or None,
        lambda v, _: f"{v:,.0f}",
        _no,
        Best.HIGHEST,
    ),
    Figure("Duration", lambda r: r.duration_ms, _ms, _no, Best.LOWEST),
    Figure(
        "Input tokens",
        lambda r: r.usage.input_tokens if r.usage_reported or r.usage.input_tokens else None,
        _tokens,
        lambda r: r.usage.input_estimated,
        Best.NONE,
    ),
    Figure(
        "Output tokens",
        lambda r: r.usage.output_tokens,
        _tokens,
        lambda r: r.usage.output_estimated,
        Best.NONE,
    ),
    Figure(
        "Reasoning tokens",
        lambda r: r.usage.reasoning_tokens if r.usage_reported else None,
        _tokens,
        _no,
        Best.NONE,
    ),
    Figure("Cost", _cost, _usd, lambda r: bool(r.cost and r.cost.estimated), Best.LOWEST),
)
CACHE = "Prompt cache"
FINISH = "Finish reason"
ROW_NAMES = (*(f.name for f in FIGURES), CACHE, FINISH)


@dataclass(frozen=True)
class Cell:
    text: str
    rank: float | None = None  # the median the row is ranked by
    best: bool = False


def _cell(figure: Figure, results: Sequence[CallResult]) -> Cell:
    if not results:
        return Cell("–")
    values = [figure.value(r) for r in results]
    if any(v is None for v in values):
        # One unknown makes the column's figure unknown: a median over the rest would mislead.
        return Cell("unknown" if figure.name == "Cost" else "–")
    known = [v for v in values if v is not None]
    estimated = any(figure.estimated(r) for r in results)
    median: Value = statistics.median(known)  # type: ignore[type-var]  # all floats, or all Decimals
    # Only a column whose calls all finished is ranked: a stopped call's duration or cost is not
    # "best", however low (Stop all bolded the figures of cut answers).
    rank = float(median) if all(r.status == "ok" for r in results) else None
    low, high = min(known), max(known)
    if low == high:  # one run, or every run the same: one value reads faster than three
        text = figure.text(low, estimated)
    else:
        text = " / ".join(figure.text(v, estimated) for v in (low, median, high))
    return Cell(text + _unfinished(figure, results), rank)


def _unfinished(figure: Figure, results: Sequence[CallResult]) -> str:
    """Why a cost is what it is when no run finished: a failed column's "$0" beside the others read as
    a free model."""
    if figure.name != "Cost" or any(r.status == "ok" for r in results):
        return ""
    return " (failed)" if any(r.status == "error" for r in results) else " (stopped)"


def _finish(results: Sequence[CallResult]) -> Cell:
    if not results:
        return Cell("–")
    reasons: dict[str, int] = {}
    for r in results:
        reason = r.finish_reason if r.status == "ok" else {"cancelled": "stopped"}.get(r.status, "failed")
        reason = reason or "–"
        reasons[reason] = reasons.get(reason, 0) + 1
    if len(results) == 1:
        return Cell(next(iter(reasons)))
    return Cell(", ".join(f"{name} × {n}" for name, n in reasons.items()))


def _cache(results: Sequence[CallResult]) -> Cell:
    """Cached tokens read (and written) and what caching saved, medians over the runs; "–" when no run
    used the cache. Ranked by the saving, so the column caching helped most is marked."""
    used = [r for r in results if r.usage.cache_read_tokens or r.usage.cache_write_tokens]
    if not used:
        return Cell("–")
    read = round(statistics.median(r.usage.cache_read_tokens for r in used))
    wrote = round(statistics.median(r.usage.cache_write_tokens for r in used))
    parts = [f"{read:,} read"] + ([f"{wrote:,} written"] if wrote else [])
    saved = [r.cache_savings.saved if r.cache_savings is not None else None for r in used]
    if any(s is None for s in saved):
        return Cell(" · ".join([*parts, "saving unknown"]))
    median: Decimal = statistics.median(s for s in saved if s is not None)
    words = f"saved {formatting.usd(median)}" if median >= 0 else f"cost {formatting.usd(-median)} more"
    return Cell(" · ".join([*parts, words]), float(median))


def _mark_best(row: list[Cell], best: Best) -> list[Cell]:
    ranked = [c.rank for c in row if c.rank is not None]
    if best is Best.NONE or len(ranked) < 2 or len(set(ranked)) < 2:
        return row  # nothing to choose between
    top = min(ranked) if best is Best.LOWEST else max(ranked)
    # Judged as shown: medians of 65.2 and 65.4 tok/s both read "65", and marking one "best" would
    # mark a difference nobody can see. Every cell that reads as the best is marked, none if all do.
    best_text = next(c.text for c in row if c.rank == top)
    shown = [c for c in row if c.rank is not None]
    if all(c.text == best_text for c in shown):
        return row
    return [Cell(c.text, c.rank, c.rank is not None and c.text == best_text) for c in row]


def metrics_grid(columns: Sequence[Sequence[CallResult | None]]) -> list[list[Cell]]:
    """Rows of ``ROW_NAMES`` × one cell per column, from each column's finished results."""
    done = [[r for r in results if r is not None] for results in columns]
    rows = [_mark_best([_cell(f, results) for results in done], f.best) for f in FIGURES]
    rows.append(_mark_best([_cache(results) for results in done], Best.HIGHEST))
    rows.append([_finish(results) for results in done])
    return rows
