"""Where a plan starts: the Playground's prompt, a Compare run's measured usage, or History's calls.

Each builder returns a ``PlanSeed``: a workload, the models to price (None: every chat model that fits)
and a line saying where each figure came from, with the guesses named as guesses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from playground.history.filters import Filters
from playground.llm.request import Message
from playground.llm.result import CallResult
from playground.plan.measure import ModelStats, measure, percentile_tokens
from playground.plan.moves import MessageSize, PromptSize
from playground.plan.workload import Tokens, Workload, WorkloadError
from playground.tokens.counter import TokenCounter

GUESS_REQUESTS_PER_DAY = Decimal(1000)  # neither a prompt nor a comparison says how often it runs
GUESS_OUTPUT_TOKENS = 500  # a prompt without max_tokens says nothing of its answer's length


@dataclass(frozen=True)
class PlanSeed:
    """What the Plan page opens with. ``models`` are ``endpoint/model`` labels; ``prompt`` the counted
    prompt, when the seed came from one (for the trim move)."""

    workload: Workload
    models: tuple[str, ...] | None
    source: str
    prompt: PromptSize | None = None
    measured: Mapping[str, ModelStats] | None = None  # per model, when the seed came from History


def prompt_size(counter: TokenCounter, model: str, system: str, messages: Sequence[Message]) -> PromptSize:
    """Each message's tokens as the counter bills them: the prompt's count with and without it (so the
    sizes add up to the prompt's count, less the reply priming every request carries)."""
    empty = counter.count_prompt(model, "", ()).tokens
    sizes = []
    if system:
        sizes.append(MessageSize("system", 0, counter.count_prompt(model, system, ()).tokens - empty))
    for index, message in enumerate(messages, 1):
        tokens = counter.count_prompt(model, "", (message,)).tokens - empty
        sizes.append(MessageSize(message.role, index, tokens))
    return PromptSize(tuple(sizes), counter.count_prompt(model, system, messages).tokens)


def from_prompt(
    counter: TokenCounter,
    endpoint: str,
    model: str,
    system: str,
    messages: Sequence[Message],
    max_tokens: int | None = None,
) -> PlanSeed:
    """The prompt run ``GUESS_REQUESTS_PER_DAY`` times a day on the current model; the system prompt is
    the cacheable shared prefix; the answer as long as ``max_tokens`` (an upper bound) or a guess."""
    size = prompt_size(counter, model, system, messages)
    inp = size.input_tokens
    count = counter.count_prompt(model, system, messages)
    share = Decimal(size.system_tokens) / inp if inp else Decimal(0)
    output = max_tokens if max_tokens is not None else GUESS_OUTPUT_TOKENS
    workload = Workload(
        GUESS_REQUESTS_PER_DAY,
        Tokens.fixed(inp),
        Tokens.fixed(output),
        cacheable_share=share,
        max_tokens=max_tokens,
        name="from the Playground prompt",
    )
    said = [
        f"input {inp:,} tokens ({count.method}{', an estimate' if count.estimated else ''})",
        f"the system prompt is {share:.0%} of it (the cacheable prefix; hit rate not set)",
        f"output {output:,} tokens ("
        + ("max_tokens: an upper bound)" if max_tokens is not None else "a guess: no max_tokens set)"),
        f"{GUESS_REQUESTS_PER_DAY:,} requests a day (a guess)",
    ]
    return PlanSeed(workload, (f"{endpoint}/{model}",), "Playground prompt: " + "; ".join(said), size)


def from_compare(
    columns: Sequence[tuple[str, str]], results: Sequence[Sequence[CallResult | None]]
) -> PlanSeed:
    """The compare columns' models, with token sizes measured from the run's usage (p50/p95 over every
    finished call, the ok ones when there are any; output without reasoning, reasoning apart)."""
    done = [r for column in results for r in column if r is not None]
    ok = [r for r in done if r.status == "ok"]
    sized = ok or done
    if not sized:
        raise WorkloadError("the comparison has no results yet: run it first")
    usages = [r.usage for r in sized]
    workload = Workload(
        GUESS_REQUESTS_PER_DAY,
        percentile_tokens([u.input_tokens for u in usages]),
        percentile_tokens([max(u.output_tokens - u.reasoning_tokens, 0) for u in usages]),
        percentile_tokens([u.reasoning_tokens for u in usages]),
        name="from a comparison",
    )
    estimated = sum(u.input_estimated or u.output_estimated for u in usages)
    source = (
        f"Compare run: token sizes measured over {len(sized):,} {'ok ' if ok else ''}calls"
        + (f" ({estimated:,} with usage we counted ourselves)" if estimated else "")
        + f"; {GUESS_REQUESTS_PER_DAY:,} requests a day (a guess)"
    )
    models = tuple(dict.fromkeys(f"{endpoint}/{model}" for endpoint, model in columns))
    return PlanSeed(workload, models, source)


def from_history(db: Any, filters: Filters) -> PlanSeed:
    """The filtered calls measured (requests a day, token p50/p95); models: those the calls used, the
    most called first."""
    found = measure(db, filters)
    ranked = sorted(found.per_model.items(), key=lambda item: (-item[1].calls, item[0]))
    source = (
        f"History: {found.calls:,} finished calls over {found.days:,} day{'s' if found.days != 1 else ''}"
    )
    return PlanSeed(found.workload, tuple(label for label, _ in ranked), source, measured=found.per_model)
