"""A workload's monthly bill per candidate model, with its split, from the one Pricer.

Every figure comes from ``Pricer.price`` on whole requests (so long-context tiers and cache rates are
the pricing code's own); the split into plain input, cached input and cache writes is read off three
prices of the same-sized request, so a tier never changes between the parts. Each part is what its
tokens cost in full: cache writes are the written tokens at the cache-write price (Anthropic's 1.25x
input; OpenAI's plain input price), not only the premium over plain input.

The month is priced at the average request sizes when the workload gives them, else at the medians
(and a note says the bill is then likely low): prices are linear in tokens, so the expected bill is
the bill of the average request, and a long tail puts that well above the median one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from playground.llm.endpoints import Endpoint
from playground.llm.usage import Usage
from playground.plan.discounts import DEFAULT_BATCH_DISCOUNTS, BatchDiscount
from playground.plan.workload import Tokens, Workload
from playground.pricing.prices import Pricer

_ZERO = Decimal(0)
MONTHS_AHEAD = 11  # "month 12" is the first month grown eleven times


@dataclass(frozen=True)
class Split:
    """A cost in its parts (USD)."""

    input: Decimal = _ZERO
    cached_input: Decimal = _ZERO
    cache_writes: Decimal = _ZERO
    output: Decimal = _ZERO
    reasoning: Decimal = _ZERO

    @property
    def total(self) -> Decimal:
        return self.input + self.cached_input + self.cache_writes + self.output + self.reasoning

    def scaled(self, factor: Decimal) -> Split:
        return Split(*(getattr(self, f.name) * factor for f in fields(self)))

    def __add__(self, other: Split) -> Split:
        return Split(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


@dataclass(frozen=True)
class Candidate:
    endpoint: Endpoint
    model: str

    @property
    def label(self) -> str:
        return f"{self.endpoint.name}/{self.model}"

    @property
    def provider(self) -> str:
        return (self.endpoint.price_as or self.endpoint.name).partition("/")[0]


@dataclass(frozen=True)
class ModelPlan:
    """One model's monthly bill for the workload (at the average sizes, else p50; ``monthly_p95`` if every
    request were p95).

    ``monthly`` is None when the model has no price: unknown, never $0."""

    candidate: Candidate
    price_source: str
    context_window: int | None
    monthly: Split | None
    monthly_p95: Decimal | None = None
    per_1k: Decimal | None = None
    request_p50: Decimal | None = None  # one plain request (no cache, no batch) at p50 sizes
    request_p95: Decimal | None = None
    month_12: Decimal | None = None
    tier_cliff: str = ""  # why the p95 request is priced at another tier than the p50 one
    batch: BatchDiscount | None = None  # the discount applied, when the workload batches a share
    without_cache: Decimal | None = None  # monthly if nothing were cached
    without_batch: Decimal | None = None  # monthly if nothing were batched
    break_even_hit_rate: Decimal | None = None
    output_rate: Decimal | None = None  # USD per output token at the billed sizes (for the max-tokens move)
    # a cache write's price over plain input's (1.25: Anthropic's 5-minute writes; 1: OpenAI, no premium)
    cache_write_ratio: Decimal | None = None

    @property
    def total(self) -> Decimal | None:
        return self.monthly.total if self.monthly is not None else None

    @property
    def uses_batch_discount(self) -> bool:
        return self.batch is not None


@dataclass(frozen=True)
class Unfit:
    """A candidate left out, and why (its context window is too small for the p95 request)."""

    candidate: Candidate
    reason: str


@dataclass(frozen=True)
class Plan:
    workload: Workload
    rows: tuple[ModelPlan, ...]  # cheapest first; unknown prices last
    unfit: tuple[Unfit, ...]
    notes: tuple[str, ...] = ()
    median_sizes: tuple[str, ...] = ()  # sizes that vary but are billed at p50 (no average): likely low


def plan(
    workload: Workload,
    candidates: Sequence[Candidate],
    pricer: Pricer,
    batch_discounts: Mapping[str, BatchDiscount] = DEFAULT_BATCH_DISCOUNTS,
) -> Plan:
    """Price ``workload`` on every candidate that fits, ranked by monthly cost."""
    rows: list[ModelPlan] = []
    unfit: list[Unfit] = []
    need = workload.input.p95 + workload.output.p95 + workload.reasoning.p95
    for candidate in candidates:
        facts = pricer.facts(candidate.endpoint, candidate.model)
        window = facts.context_window if facts else None
        if window is not None and need > window:
            unfit.append(
                Unfit(
                    candidate,
                    f"needs {need:,} tokens (p95 input + output + reasoning), context window is {window:,}",
                )
            )
            continue
        rows.append(_price(workload, candidate, window, pricer, batch_discounts.get(candidate.provider)))
    rows.sort(key=lambda r: (r.total is None, r.total or _ZERO, r.candidate.label))
    notes = [f"a month is {workload.requests_per_month:,} requests (30 days), retries billed in full"]
    median = median_sizes(workload)
    notes.append(sizes_note(workload))
    if workload.reasoning.p95:
        notes.append(
            "reasoning tokens are counted for every candidate, as output (what reasoning models bill)"
        )
    return Plan(workload, tuple(rows), tuple(unfit), tuple(notes), median)


def _sizes(w: Workload) -> tuple[tuple[str, Tokens], ...]:
    return (("input", w.input), ("output", w.output), ("reasoning", w.reasoning))


def median_sizes(w: Workload) -> tuple[str, ...]:
    """The sizes that vary (p95 above p50) with no average given: billed at p50, so likely too low."""
    return tuple(name for name, tokens in _sizes(w) if tokens.spread)


def sizes_note(w: Workload) -> str:
    """Which sizes the bill is priced at, in words."""
    median = median_sizes(w)
    average = [name for name, tokens in _sizes(w) if tokens.mean is not None]
    if median:
        said = f"the average {_and(average)} size and " if average else ""
        plural = "s" if len(median) > 1 else ""
        return (
            f"the bill uses {said}the median (p50) {_and(median)} size{plural} (no average given): with a "
            "long tail the average request is larger, so the real bill is likely higher; measure from "
            "History or give the average"
        )
    if average:
        return "the bill uses the average request sizes (mean tokens per request), not the p50 ones"
    return "the bill uses the sizes given (p50 = p95: every request the same size)"


def _and(names: Sequence[str]) -> str:
    return " and ".join(names) if len(names) < 3 else f"{', '.join(names[:-1])} and {names[-1]}"


class _Request:
    """Prices one request's parts for a candidate."""

    def __init__(self, pricer: Pricer, candidate: Candidate):
        self._pricer = pricer
        self._c = candidate
        self.source = ""

    def split(self, inp: int, out: int, reasoning: int, read: int = 0, write: int = 0) -> Split | None:
        endpoint, model = self._c.endpoint, self._c.model
        full = self._pricer.price(endpoint, model, Usage(inp, out + reasoning, read, write))
        if full.input is None or full.output is None:
            self.source = self.source or full.source
            return None
        self.source = full.source
        plain_all = self._input(Usage(inp, out + reasoning)) if read or write else full.input
        with_read = self._input(Usage(inp, out + reasoning, read)) if write and read else None
        if plain_all is None:
            return None
        per_token = plain_all / inp if inp else _ZERO
        plain = per_token * (inp - read - write)
        if with_read is None:  # only one kind of cached token: the rest of the input is it
            cached = full.input - plain if read else _ZERO
        else:
            cached = with_read - per_token * (inp - read)
        writes = full.input - plain - cached
        total_out = out + reasoning
        think = full.output / total_out * reasoning if total_out else _ZERO
        return Split(plain, cached, writes, full.output - think, think)

    def _input(self, usage: Usage) -> Decimal | None:
        return self._pricer.price(self._c.endpoint, self._c.model, usage).input


def _price(
    w: Workload, c: Candidate, window: int | None, pricer: Pricer, discount: BatchDiscount | None
) -> ModelPlan:
    req = _Request(pricer, c)
    sizes = (w.input.billed, w.output.billed, w.reasoning.billed)  # the average request, else the median
    sizes50 = (w.input.p50, w.output.p50, w.reasoning.p50)
    plain = req.split(*sizes)
    plain50 = plain if sizes == sizes50 else req.split(*sizes50)
    plain95 = req.split(w.input.p95, w.output.p95, w.reasoning.p95)
    if plain is None or plain50 is None or plain95 is None:
        return ModelPlan(c, req.source, window, None)
    source = req.source
    expected, hit, miss = _cached(req, w, *sizes, plain)
    expected95 = _cached(req, w, w.input.p95, w.output.p95, w.reasoning.p95, plain95)[0]
    if expected is None or expected95 is None:
        return ModelPlan(c, source, window, None)
    attempts = 1 + w.retry_rate
    batch = discount if w.batch_share and discount is not None else None
    factor = 1 - w.batch_share * batch.rate if batch is not None else Decimal(1)
    per_month = w.requests_per_month * attempts
    monthly = expected.scaled(per_month * factor)
    break_even = None
    if hit is not None and miss is not None and miss.total != hit.total:
        break_even = max(_ZERO, (miss.total - plain.total) / (miss.total - hit.total))
    out_tokens = sizes[1] + sizes[2]
    return ModelPlan(
        c,
        source,
        window,
        monthly,
        monthly_p95=expected95.total * per_month * factor,
        per_1k=expected.total * attempts * factor * 1000,
        request_p50=plain50.total,
        request_p95=plain95.total,
        month_12=monthly.total * (1 + w.growth_per_month) ** MONTHS_AHEAD,
        tier_cliff=_cliff(w, plain50, plain95),
        batch=batch,
        without_cache=plain.total * per_month * factor,
        without_batch=expected.total * per_month,
        break_even_hit_rate=break_even,
        output_rate=(plain.output + plain.reasoning) / out_tokens if out_tokens else None,
        cache_write_ratio=_write_ratio(w, plain, miss),
    )


def _cached(
    req: _Request, w: Workload, inp: int, out: int, reasoning: int, plain: Split
) -> tuple[Split | None, Split | None, Split | None]:
    """The expected request (hits and misses weighted by the hit rate), and the hit and the miss (every
    prefix token a cache write: billed at the write price, which may be the plain input price)."""
    prefix = _prefix(w, inp)
    if not prefix:
        return plain, None, None
    hit = req.split(inp, out, reasoning, read=prefix)
    miss = req.split(inp, out, reasoning, write=prefix)
    if hit is None or miss is None:
        return None, None, None
    h = w.cache_hit_rate
    return hit.scaled(h) + miss.scaled(1 - h), hit, miss


def _prefix(w: Workload, inp: int) -> int:
    return int((w.cacheable_share * inp).quantize(Decimal(1), ROUND_HALF_UP))


def _write_ratio(w: Workload, plain: Split, miss: Split | None) -> Decimal | None:
    """What a miss pays per prefix token written over what plain input pays per token, at the billed
    sizes (those ``plain`` and ``miss`` were priced at)."""
    prefix, inp = _prefix(w, w.input.billed), w.input.billed
    if miss is None or not prefix or not plain.input:
        return None
    return (miss.cache_writes / prefix / (plain.input / inp)).quantize(Decimal("0.0001"))


def _cliff(w: Workload, p50: Split, p95: Split) -> str:
    """Why the p95 request is priced at a higher per-token rate than the p50 one (a long-context tier)."""
    i50, i95 = w.input.p50, w.input.p95
    if not i50 or not i95 or i50 == i95:
        return ""
    rate50, rate95 = p50.input / i50 * 1_000_000, p95.input / i95 * 1_000_000
    if rate95 <= rate50:
        return ""
    return (
        f"p95 input ({i95:,} tokens) crosses a long-context price tier: "
        f"input ${rate50.normalize():f}/MTok at p50, ${rate95.normalize():f}/MTok at p95"
    )
