"""What-if: re-price recorded calls at today's prices, or as if they had run on other models.

Calls are priced in groups of equal token counts (``HistoryStore.usage_groups``), with progress and a
cancel flag instead of a cap: a million calls take a while, off the GUI thread, and can be stopped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from playground.history.records import CallRecord
from playground.history.usage_sums import UsageGroup
from playground.llm.endpoints import Endpoint
from playground.llm.errors import PlaygroundError
from playground.llm.usage import Usage
from playground.pricing.money import Money
from playground.pricing.prices import Pricer

Target = tuple[str, str]  # (endpoint, model); None in a list of targets: today's prices, same model
PROGRESS_EVERY = 200  # groups between progress reports


def label(target: Target | None) -> str:
    return f"{target[0]} / {target[1]}" if target else "today's prices"


@dataclass(frozen=True)
class WhatIf:
    calls: int
    recorded: Decimal  # what the calls priced both ways cost when they ran
    repriced: Decimal  # the same calls now (or on the target model)
    unpriced: int  # calls left out: no recorded price, or no price now
    target: str | None

    @property
    def recorded_total(self) -> Money:
        """All the calls as recorded: the compared ones' sum, the left-out ones unknown."""
        return Money(self.recorded, self.unpriced)

    @property
    def repriced_total(self) -> Money:
        return Money(self.repriced, self.unpriced)

    @property
    def change(self) -> float | None:
        """The relative change (0.25: a quarter more), None when nothing was compared."""
        return float((self.repriced - self.recorded) / self.recorded) if self.recorded else None

    def describe(self) -> str:
        where = f"on {self.target}" if self.target else "at today's prices"
        skipped = f" ({_calls(self.unpriced)} without a price left out)" if self.unpriced else ""
        from playground.formatting import usd

        change = f", {self.change:+.0%}" if self.change is not None else ""
        if self.calls == self.unpriced:
            return f"Nothing to compare: {_calls(self.unpriced)} without a price both ways left out."
        return (
            f"{_calls(self.calls - self.unpriced)} cost {usd(self.recorded)} as recorded; {where} they would "
            f"cost {usd(self.repriced)}{change}{skipped}."
        )


@dataclass(frozen=True)
class Line:
    """The calls of one recorded model re-priced for one target."""

    source: Target
    target: Target | None
    result: WhatIf


@dataclass(frozen=True)
class Breakdown:
    """Old versus new cost per recorded model and target; ``cancelled``: the sums stop where it was."""

    lines: tuple[Line, ...]
    calls: int
    cancelled: bool = False

    def total(self, target: Target | None) -> WhatIf:
        """Every recorded model together, for one target."""
        mine = [line.result for line in self.lines if line.target == target]
        return WhatIf(
            sum(r.calls for r in mine),
            sum((r.recorded for r in mine), Decimal(0)),
            sum((r.repriced for r in mine), Decimal(0)),
            sum(r.unpriced for r in mine),
            label(target) if target else None,
        )


@dataclass
class _Sums:
    calls: int = 0
    recorded: list[Money] = field(default_factory=list)
    repriced: list[Money] = field(default_factory=list)

    def add(self, calls: int, was: Decimal | None, now: Decimal | None) -> None:
        self.calls += calls
        if was is None or now is None:  # compared only when priced both ways
            self.recorded.append(Money(Decimal(0), calls))
            self.repriced.append(Money(Decimal(0), calls))
        else:
            self.recorded.append(Money.of(was))
            self.repriced.append(Money.of(now * calls))

    def result(self, target: Target | None) -> WhatIf:
        was, now = Money.sum(self.recorded), Money.sum(self.repriced)
        return WhatIf(self.calls, was.priced, now.priced, was.unpriced, label(target) if target else None)


def breakdown(
    groups: Iterable[UsageGroup],
    pricer: Pricer,
    endpoint_of: Callable[[str], Endpoint],
    targets: Sequence[Target | None],
    progress: Callable[[int], None] | None = None,
    cancel: threading.Event | None = None,
) -> Breakdown:
    """Price each group's token counts on every target (None: its own model at today's prices);
    ``progress`` gets the calls done so far; a set ``cancel`` stops at the next group."""
    endpoints: dict[str, Endpoint | None] = {}

    def endpoint(name: str) -> Endpoint | None:
        if name not in endpoints:
            try:
                endpoints[name] = endpoint_of(name)
            except PlaygroundError:
                endpoints[name] = None
        return endpoints[name]

    sums: dict[tuple[Target, Target | None], _Sums] = {}
    done = 0
    cancelled = False
    for i, group in enumerate(groups):
        if cancel is not None and cancel.is_set():
            cancelled = True
            break
        usage = Usage(
            group.input_tokens,
            group.output_tokens,
            group.cache_read_tokens,
            group.cache_write_tokens,
            cache_write_1h_tokens=group.cache_write_1h_tokens,
        )
        source = (group.endpoint, group.model)
        for target in targets:
            now = None
            if group.recorded is not None:
                name, model = target or source
                where = endpoint(name)
                now = pricer.price(where, model, usage).total if where else None
            sums.setdefault((source, target), _Sums()).add(group.calls, group.recorded, now)
        done += group.calls
        if progress is not None and i % PROGRESS_EVERY == 0:
            progress(done)
    lines = tuple(
        Line(source, target, s.result(target))
        for (source, target), s in sorted(sums.items(), key=lambda kv: (kv[0][0], targets.index(kv[0][1])))
    )
    return Breakdown(lines, done, cancelled)


def reprice(
    rows: Iterable[CallRecord],
    pricer: Pricer,
    endpoint_of: Callable[[str], Endpoint],
    target: Target | None = None,
) -> WhatIf:
    """Price each call's recorded token counts again; only calls priced both ways are compared."""
    groups = (UsageGroup.of(row) for row in rows)
    return breakdown(groups, pricer, endpoint_of, [target]).total(target)


def _calls(n: int) -> str:
    return f"{n:,} call" if n == 1 else f"{n:,} calls"


@dataclass(frozen=True)
class Choice:
    """A model a what-if can target, with its prices per million tokens."""

    target: Target
    input_mtok: Decimal
    output_mtok: Decimal

    def text(self) -> str:
        """Worded and rounded as in the model picker ("$0.15 in / $0.60 out per 1M")."""
        from playground.formatting import usd

        return f"{label(self.target)}  ({usd(self.input_mtok)} in / {usd(self.output_mtok)} out per 1M)"


def priced_choices(endpoints: Iterable[Endpoint], pricer: Pricer, keep: Target | None = None) -> list[Choice]:
    """Every chat model the price data (or an override) gives a price for, each price once: a server
    priced as OpenAI adds no second "gpt-4o-mini" that would answer the same (the one listed is ``keep``,
    the model in use, when it is one of them; else the provider's own)."""
    from playground.llm.catalog import ModelKind, kind_of, known_models
    from playground.pricing.same_price import priced_once

    # embeddings, audio, images: not a chat call's price
    chat = ((e, m) for e in endpoints for m in known_models(e) if kind_of(m) is ModelKind.CHAT)
    return [Choice(p.key, p.input_mtok, p.output_mtok) for p in priced_once(chat, pricer, keep)]
