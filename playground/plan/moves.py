"""Savings moves: what caching, batching, a max-tokens cap, a cheaper model or a shorter system prompt
save per month.

The quality move (the cheapest model that meets an evaluation pass rate or a blind-vote share) reads
what History measured (``playground.plan.quality``); a model without the figure is named as not
measured, never treated as 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from playground.plan.planner import ModelPlan, Plan
from playground.plan.planner import plan as plan_workload
from playground.plan.quality import Quality
from playground.pricing.prices import Pricer

TAIL = Decimal("0.05")  # the share of requests above the p95 output
TRIM = Decimal("0.5")  # the trim move's default: a system prompt half as long


@dataclass(frozen=True)
class MessageSize:
    """One message of the prompt as the token counter bills it (its chat wrapper included).
    ``index`` counts the conversation's messages from 1; the system prompt is index 0."""

    role: str
    index: int
    tokens: int


@dataclass(frozen=True)
class PromptSize:
    """The counted prompt the trim move reads: its messages (system first) and its total input tokens."""

    messages: tuple[MessageSize, ...]
    input_tokens: int

    @property
    def system_tokens(self) -> int:
        return sum(m.tokens for m in self.messages if m.role == "system")

    @property
    def largest(self) -> MessageSize | None:
        return max(self.messages, key=lambda m: m.tokens, default=None)


@dataclass(frozen=True)
class QualityCost:
    """What the quality move costs: ``figure`` ("pass_rate" or "vote_share") of the current model and
    of the one switched to, against the floor ``at_least`` asked for."""

    figure: str
    current: float
    new: float
    at_least: float


@dataclass(frozen=True)
class Move:
    """One way to pay less, for ``model``. ``saving`` is USD per month (None: cannot be worked out,
    ``detail`` says why); ``at_most``: an upper bound, not an estimate."""

    name: str
    model: str
    saving: Decimal | None
    detail: str
    at_most: bool = False
    uses_batch_discount: bool = False
    largest_message: MessageSize | None = None  # the trim move's: the prompt's biggest message
    tokens_saved_per_request: int | None = None  # the trim move's: input tokens the shorter prompt drops
    quality: QualityCost | None = None  # the quality move's: the figure before and after


def moves(
    plan: Plan,
    current: str | None = None,
    prompt: PromptSize | None = None,
    pricer: Pricer | None = None,
    trim: Decimal = TRIM,
    quality: Mapping[str, Quality] | None = None,
    min_pass_rate: float | None = None,
    min_vote_share: float | None = None,
) -> tuple[Move, ...]:
    """The moves for the ``current`` model (its label; default: the first priced row). With the counted
    ``prompt`` and the ``pricer``, also what a system prompt shorter by ``trim`` (a share) saves. With
    History's ``quality`` figures, also the cheapest model whose pass rate is at least ``min_pass_rate``
    (default: the current model's own), or whose vote share is at least ``min_vote_share`` when given."""
    priced = [r for r in plan.rows if r.total is not None]
    row = next((r for r in priced if r.candidate.label == current), None) if current else None
    if row is None and priced:
        row = priced[0] if current is None else None
    if row is None:
        return ()
    found: tuple[Move, ...] = (_cache(plan, row), _batch(plan, row), _cap(plan, row), _switch(priced, row))
    if prompt is not None and pricer is not None:
        found += (_trim(plan, row, prompt, pricer, trim),)
    if quality is not None:
        found += (_switch_quality(priced, row, quality, min_pass_rate, min_vote_share),)
    return found


def _cache(plan: Plan, row: ModelPlan) -> Move:
    name, model, w = "cache the shared prefix", row.candidate.label, plan.workload
    if not w.cacheable_share or row.without_cache is None or row.total is None:
        return Move(
            name, model, None, "set Shared prefix % (cacheable_share) above 0 to see what caching saves"
        )
    saving = row.without_cache - row.total
    even, ratio = row.break_even_hit_rate, row.cache_write_ratio
    text = f"hit rate {w.cache_hit_rate:.0%}; break-even hit rate {even:.1%}" if even is not None else ""
    if even and ratio is not None:  # why a miss costs more than no cache at all: the Writes column
        text += f" (cache writes cost {ratio.normalize():f}× plain input)"
    if even == 0:  # "break-even 0.0%" read as a bug on the Plan page: say why, in the Writes column's words
        text = (
            f"hit rate {w.cache_hit_rate:.0%}; cache writes are billed at the plain input price "
            "(no write premium), so every hit saves"
        )
    if even is None:
        text = f"hit rate {w.cache_hit_rate:.0%}; the price list has no cache rates for this model"
    return Move(name, model, saving, text, uses_batch_discount=row.uses_batch_discount)


def _batch(plan: Plan, row: ModelPlan) -> Move:
    name, model, w = "batch the share that can wait", row.candidate.label, plan.workload
    if not w.batch_share:
        return Move(
            name, model, None, "set Batch share % (batch_share) above 0 to see what a batch API saves"
        )
    if row.batch is None or row.without_batch is None or row.total is None:
        return Move(name, model, None, f"no known batch discount for {row.candidate.provider}")
    saving = row.without_batch - row.total
    detail = f"{w.batch_share:.0%} of requests at {row.batch.rate:.0%} off; source: {row.batch.source}"
    return Move(name, model, saving, detail, uses_batch_discount=True)


def _cap(plan: Plan, row: ModelPlan) -> Move:
    name, model, w = "cap max tokens at the p95 output", row.candidate.label, plan.workload
    p95 = w.output.p95 + w.reasoning.p95
    if w.max_tokens is None or row.output_rate is None:
        return Move(
            name,
            model,
            None,
            "set Max tokens (max_tokens), the cap sent today, to see what a lower cap saves",
        )
    if w.max_tokens <= p95:
        return Move(
            name, model, Decimal(0), f"max_tokens {w.max_tokens:,} is already at or below p95 {p95:,}"
        )
    factor = Decimal(1)
    if row.batch is not None:
        factor -= w.batch_share * row.batch.rate
    saving = (
        w.requests_per_month * (1 + w.retry_rate) * TAIL * (w.max_tokens - p95) * row.output_rate * factor
    )
    detail = (
        f"from {w.max_tokens:,} to {p95:,}: at most the 5% of requests above p95 running to the cap; "
        "answers longer than p95 would be cut off"
    )
    return Move(name, model, saving, detail, at_most=True, uses_batch_discount=row.uses_batch_discount)


def _switch(priced: list[ModelPlan], row: ModelPlan) -> Move:
    name, model = "switch to the cheapest model that fits", row.candidate.label
    cheapest = priced[0]
    if cheapest is row or row.total is None or cheapest.total is None:
        return Move(name, model, Decimal(0), f"{model} is already the cheapest that fits")
    detail = f"to {cheapest.candidate.label}; quality not compared (needs evaluation data)"
    uses = row.uses_batch_discount or cheapest.uses_batch_discount
    return Move(name, model, row.total - cheapest.total, detail, uses_batch_discount=uses)


def _trim(plan: Plan, row: ModelPlan, prompt: PromptSize, pricer: Pricer, share: Decimal) -> Move:
    """The workload re-planned for this model with ``share`` of the system prompt's tokens gone from every
    request (and from the cached prefix, which the system prompt leads), so tiers and cache rates hold."""
    name, model, w = f"trim the system prompt by {share:.0%}", row.candidate.label, plan.workload
    largest = prompt.largest
    where = "the prompt is empty"
    if largest is not None:
        where = f"largest message: {largest.role} #{largest.index}, {largest.tokens:,} tokens"
        where += f" of {prompt.input_tokens:,}"
    system = prompt.system_tokens
    if not system:
        return Move(name, model, None, f"no system prompt to shorten; {where}", largest_message=largest)
    # every request carries the system prompt: no size it is billed or shown at drops below 0
    cut = min(int((system * share).quantize(Decimal(1), ROUND_HALF_UP)), w.input.p50, w.input.billed)
    # the same cut off the average as off p50, so the saving is the trim alone, never a change from the
    # average to the median; the share is of the billed size, so the billed prefix is ``cut`` shorter
    billed = w.input.billed
    prefix = (w.cacheable_share * billed).quantize(Decimal(1), ROUND_HALF_UP)
    shorter = billed - cut
    trimmed = replace(
        w,
        input=w.input.less(cut),
        cacheable_share=max(prefix - cut, Decimal(0)) / shorter if shorter else Decimal(0),
    )
    discounts = {row.candidate.provider: row.batch} if row.batch is not None else {}
    again = plan_workload(trimmed, [row.candidate], pricer, discounts).rows
    total = again[0].total if again else None
    saving = row.total - total if row.total is not None and total is not None else None
    detail = f"{cut:,} of the system prompt's {system:,} tokens off every request; {where}"
    return Move(
        name,
        model,
        saving,
        detail,
        uses_batch_discount=row.uses_batch_discount,
        largest_message=largest,
        tokens_saved_per_request=cut,
    )


def _pct(value: float) -> str:
    return f"{value:.1%}".replace(".0%", "%")


def _switch_quality(
    priced: list[ModelPlan],
    row: ModelPlan,
    quality: Mapping[str, Quality],
    min_pass_rate: float | None,
    min_vote_share: float | None,
) -> Move:
    """The cheapest priced model whose figure meets the floor; its saving and the figure it trades."""
    figure, floor = (
        ("vote_share", min_vote_share) if min_vote_share is not None else ("pass_rate", min_pass_rate)
    )
    words = figure.replace("_", " ")
    model = row.candidate.label

    def value(label: str) -> float | None:
        found = quality.get(label)
        return None if found is None else getattr(found, figure)

    def source(label: str) -> str:
        q = quality[label]
        if figure == "vote_share":
            return f"{q.wins:,} of {q.votes:,} blind votes"
        return f"{q.passed:,} of {q.cells:,} cells in evaluation run {q.run_id}"

    own = value(model)
    floor = own if floor is None else floor
    missing = [r.candidate.label for r in priced if value(r.candidate.label) is None]
    unmeasured = f"; not measured: {', '.join(missing)}" if missing else ""
    if floor is None:
        how = "run an evaluation that includes it" if figure == "pass_rate" else "vote in a blind comparison"
        name = f"switch to the cheapest model that keeps its {words}"
        return Move(name, model, None, f"{model}'s {words} is not measured ({how})")
    name = f"switch to the cheapest model with {words} ≥ {_pct(floor)}"
    meets = [r for r in priced if (v := value(r.candidate.label)) is not None and v >= floor]
    if not meets:
        return Move(name, model, None, f"no priced model that fits has a {words} ≥ {_pct(floor)}{unmeasured}")
    best = meets[0]
    new = value(best.candidate.label)
    if own is None or new is None or row.total is None or best.total is None:
        return Move(
            name,
            model,
            None,
            f"{best.candidate.label} meets it ({source(best.candidate.label)}), but {model}'s {words} "
            f"is not measured: what the switch costs in quality is unknown",
        )
    cost = QualityCost(figure, own, new, floor)
    if best is row:
        detail = f"{model} is already the cheapest with {words} ≥ {_pct(floor)} ({source(model)}){unmeasured}"
        return Move(name, model, Decimal(0), detail, quality=cost)
    detail = (
        f"to {best.candidate.label}: {words} {_pct(own)} → {_pct(new)} "
        f"({source(model)}; {source(best.candidate.label)}){unmeasured}"
    )
    uses = row.uses_batch_discount or best.uses_batch_discount
    return Move(name, model, row.total - best.total, detail, uses_batch_discount=uses, quality=cost)
