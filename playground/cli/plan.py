"""`playground plan`: a workload's monthly bill across models, and the savings moves.

Light at import (the parser is built on every start); the planner loads when the command runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playground.cli.errors import CliError

if TYPE_CHECKING:
    from playground.cli.core import OfflineCore
    from playground.core import Core
    from playground.plan.workload import Workload

EXIT_BAD_WORKLOAD = 2
_SHARE_FLAGS = ("cacheable_share", "cache_hit_rate", "batch_share", "retry_rate", "growth_per_month")


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "plan",
        help="a workload's monthly cost across models, and what caching, batching and trimming save",
        description="Fields given as flags override the --file's. Token sizes are N, or P50:P95.",
    )
    p.add_argument("-f", "--file", type=Path, help="a workload file (.toml or .json)")
    p.add_argument("--save", type=Path, help="write the workload (flags and file merged) to .toml or .json")
    p.add_argument("--name", help="the workload's name")
    p.add_argument("--requests-per-day", help="requests per day")
    p.add_argument("--requests-per-month", help="requests per month (a month is 30 days)")
    sizes = "tokens per request: N, P50:P95 or P50:P95:AVERAGE (the bill is priced at the average)"
    p.add_argument("--input", dest="input_tokens", help=f"input {sizes}")
    p.add_argument("--output", dest="output_tokens", help=f"output {sizes}")
    p.add_argument("--reasoning", dest="reasoning_tokens", help=f"reasoning {sizes}")
    p.add_argument("--cacheable-share", help="share of the input that is a shared prefix (0-1)")
    p.add_argument("--cache-hit-rate", help="share of requests that find the prefix cached (0-1)")
    p.add_argument("--batch-share", help="share of requests that can wait for a batch API (0-1)")
    p.add_argument("--retry-rate", help="extra billed attempts per request (0.02 = 2%%)")
    p.add_argument("--growth-per-month", help="monthly growth of the request rate (0.05 = 5%%)")
    p.add_argument("--max-tokens", help="the max_tokens sent today (for the cap move)")
    p.add_argument(
        "--models", help="candidates, comma-separated: model or endpoint/model (default: all chat models)"
    )
    p.add_argument("--current", help="the model the savings moves are for (default: the first of --models)")
    p.add_argument(
        "--min-pass-rate",
        help="the quality move's floor: evaluation pass rate, 85%% or 0.85 (default: the current model's)",
    )
    p.add_argument(
        "--min-vote-share", help="the quality move's floor as a blind-vote share instead, 50%% or 0.5"
    )
    p.add_argument(
        "--batch-discount", help="batch API discount for every provider (default: 0.5, as documented)"
    )
    hist = p.add_argument_group("--from-history: measure the workload from recorded calls")
    hist.add_argument("--from-history", action="store_true", help="sizes and request rate from History")
    hist.add_argument("--since", help="first local day, YYYY-MM-DD")
    hist.add_argument("--until", help="last local day, YYYY-MM-DD")
    hist.add_argument("--endpoint", help="only calls to this endpoint")
    hist.add_argument("--model", dest="history_model", help="only calls to this model")
    hist.add_argument("--tag", help="only calls with this tag")
    hist.add_argument("--search", help="only calls whose prompt or answer has these words")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="one JSON object (stable keys, amounts as strings)")
    fmt.add_argument("--csv", action="store_true", help="one CSV row per model")
    fmt.add_argument("--markdown", action="store_true", help="a short summary for a design document")


def cmd_plan(core: Core | OfflineCore, args: argparse.Namespace) -> int:
    from playground.plan import export
    from playground.plan.service import make_plan
    from playground.plan.workload import WorkloadError, save

    try:
        workload = _workload(args)
    except WorkloadError as exc:
        raise CliError(f"bad workload: {exc}", EXIT_BAD_WORKLOAD) from None
    measured = None
    if args.from_history:
        workload, measured = _measure(core, args, workload)
    if args.save:
        save(workload, args.save)
    names = [m.strip() for m in (args.models or "").split(",") if m.strip()]
    floors = _floors(args)
    result = make_plan(
        core,
        workload,
        names,
        _discounts(args.batch_discount),
        args.current,
        measured,
        quality=_quality(core),
        min_pass_rate=floors[0],
        min_vote_share=floors[1],
    )
    if result.current and not result.moves:
        print(
            f"playground: no savings moves: {result.current} is not a priced model that fits", file=sys.stderr
        )
    data = result.data
    if args.json:
        text = export.dumps_json(data) + "\n"
    elif args.csv:
        text = export.to_csv(data)
    elif args.markdown:
        text = export.to_markdown(data)
    else:
        text = export.to_table(data)
    sys.stdout.write(text)
    return 0


def _workload(args: argparse.Namespace) -> Workload:
    """The file's fields, then the flags over them."""
    from playground.plan.workload import WorkloadError, from_data, load

    data: dict[str, Any] = load(args.file).to_data() if args.file else {"version": 1}
    if args.requests_per_day or args.requests_per_month:
        data.pop("requests_per_day", None)
    for key in ("name", "requests_per_day", "requests_per_month", "max_tokens", *_SHARE_FLAGS):
        value = getattr(args, key)
        if value is not None:
            data[key] = value
    for key in ("input_tokens", "output_tokens", "reasoning_tokens"):
        value = getattr(args, key)
        if value is not None:
            parts = value.split(":")
            if len(parts) == 1:
                data[key] = value
            elif len(parts) <= 3:  # the average (the bill is priced at it) is optional, as in a file
                data[key] = dict(zip(("p50", "p95", "mean"), parts, strict=False))
            else:
                flag = "--" + key.removesuffix("_tokens")
                raise WorkloadError(f"{flag} takes N, P50:P95 or P50:P95:AVERAGE, not {value!r}")
    if args.from_history:  # measured below: the sizes and rate need not be given
        data.pop("requests_per_month", None)
        data.setdefault("requests_per_day", 0)
        data.setdefault("input_tokens", 0)
        data.setdefault("output_tokens", 0)
    return from_data(data)


def _measure(core: Core | OfflineCore, args: argparse.Namespace, workload: Workload) -> tuple[Workload, Any]:
    from playground.cli.core import OfflineCore
    from playground.history.filters import Filters
    from playground.plan.measure import measure
    from playground.plan.workload import WorkloadError

    if isinstance(core, OfflineCore):
        raise CliError("--from-history needs the history, which cannot be opened now")
    filters = Filters(
        since=args.since,
        until=args.until,
        endpoint=args.endpoint,
        model=args.history_model,
        tag=args.tag,
        search=args.search,
        zone=core.reports.clock.zone_name(),
    )
    try:
        found = measure(core.storage.read(), filters, workload)
    except WorkloadError as exc:
        raise CliError(str(exc)) from None
    print(
        f"playground: measured {found.calls:,} calls over {found.days:,} days from History",
        file=sys.stderr,
    )
    return found.workload, found.per_model


def _discounts(rate: str | None) -> Any:
    from decimal import Decimal, InvalidOperation

    from playground.plan.discounts import DEFAULT_BATCH_DISCOUNTS, with_rate

    if rate is None:
        return DEFAULT_BATCH_DISCOUNTS
    try:
        return with_rate(DEFAULT_BATCH_DISCOUNTS, Decimal(rate))
    except (InvalidOperation, ValueError):
        raise CliError(f"--batch-discount must be a number between 0 and 1, not {rate!r}") from None


def _floors(args: argparse.Namespace) -> tuple[float | None, float | None]:
    from playground.plan.quality import parse_floor

    out: list[float | None] = []
    for flag, text in (("--min-pass-rate", args.min_pass_rate), ("--min-vote-share", args.min_vote_share)):
        try:
            out.append(None if text is None else parse_floor(text))
        except ValueError as exc:
            raise CliError(f"{flag}: {exc}", EXIT_BAD_WORKLOAD) from None
    return out[0], out[1]


def _quality(core: Core | OfflineCore) -> Any:
    """History's pass rates and vote shares (None without a history: the quality move is left out)."""
    from playground.cli.core import OfflineCore
    from playground.plan.quality import read_quality

    return None if isinstance(core, OfflineCore) else read_quality(core.storage.read())
