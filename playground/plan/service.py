"""One plan, composed once: candidates → plan → moves → the JSON dict. The `playground plan` command and
the Plan page both call :func:`make_plan`, so the page shows what `playground plan --json` prints."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from playground.llm.endpoints import Endpoint
from playground.llm.errors import ErrorKind, PlaygroundError
from playground.plan import export
from playground.plan.candidates import all_chat, named
from playground.plan.discounts import DEFAULT_BATCH_DISCOUNTS, BatchDiscount
from playground.plan.measure import ModelStats
from playground.plan.moves import Move, PromptSize, moves
from playground.plan.planner import Candidate, Plan, plan
from playground.plan.quality import Quality
from playground.plan.workload import Workload
from playground.pricing.prices import Pricer


class EndpointConfig(Protocol):
    def endpoint(self, name: str) -> Endpoint: ...
    def endpoints(self) -> Iterable[Endpoint]: ...


class PlanCore(Protocol):
    """What a plan needs of the core (the app's Core or the CLI's OfflineCore)."""

    @property
    def config(self) -> EndpointConfig: ...
    @property
    def pricer(self) -> Pricer: ...


@dataclass(frozen=True)
class PlanResult:
    """A plan, its savings moves (for ``current``) and its one serial form (``data``)."""

    plan: Plan
    moves: tuple[Move, ...]
    current: str | None
    measured: Mapping[str, ModelStats] | None
    data: dict[str, Any]


def candidates_for(
    models: Sequence[str] | None, core: PlanCore, current: str | None = None
) -> tuple[list[Candidate], dict[str, str]]:
    """The models named (``endpoint/model`` or a bare model), or every chat model when none are (each
    price once, ``current`` kept among those of its price); and why named ones were left out (name:
    why). A History seed names every endpoint its calls used, one since removed among them
    ("ollama/llama3.2"): that model is left out, not the whole plan. When every named model is on an
    unknown endpoint, that is the error."""
    if not models:
        return all_chat(core.config.endpoints(), core.pricer, current), {}
    found: list[Candidate] = []
    left_out: dict[str, str] = {}
    missing: PlaygroundError | None = None
    for name in models:
        try:
            found += named([name], core.config.endpoint)
        except PlaygroundError as exc:
            if exc.error.kind is not ErrorKind.UNKNOWN_ENDPOINT:
                raise
            missing = missing or exc
            left_out[name] = exc.error.message
    if missing is not None and not found:
        raise missing
    return found, left_out


def make_plan(
    core: PlanCore,
    workload: Workload,
    models: Sequence[str] | None = None,
    discounts: Mapping[str, BatchDiscount] = DEFAULT_BATCH_DISCOUNTS,
    current: str | None = None,
    measured: Mapping[str, ModelStats] | None = None,
    prompt: PromptSize | None = None,
    quality: Mapping[str, Quality] | None = None,
    min_pass_rate: float | None = None,
    min_vote_share: float | None = None,
) -> PlanResult:
    """The plan of ``workload`` on ``models`` (None or empty: every chat model). The moves are for
    ``current`` (a bare model is looked up as `playground cost` does), else the first model named;
    with the counted ``prompt`` (a plan made from the Playground) they include trimming it; with History's
    ``quality`` (:func:`playground.plan.quality.read_quality`), the cheapest model that keeps a pass rate
    (``min_pass_rate``, default the current model's) or a vote share (``min_vote_share``)."""
    if current and "/" not in current:
        current = named([current], core.config.endpoint)[0].label
    found, unknown = candidates_for(models, core, current)
    result = plan(workload, found, core.pricer, discounts)
    if not current and models:
        current = found[0].label
    found_moves = moves(
        result,
        current,
        prompt=prompt,
        pricer=core.pricer if prompt else None,
        quality=quality,
        min_pass_rate=min_pass_rate,
        min_vote_share=min_vote_share,
    )
    data = export.to_data(result, found_moves, measured, quality, unknown)
    return PlanResult(result, found_moves, current, measured, data)
