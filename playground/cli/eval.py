"""`playground eval SUITE`: run a test suite (ours, or a promptfoo YAML subset) and guard CI with it.

Light at import (the parser is built on every start); the evaluation modules load when it runs.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playground.cli.errors import CliError

if TYPE_CHECKING:
    from playground.core import Core

EXIT_BELOW_THRESHOLD = 1
EXIT_BAD_SUITE = 2
STOP_SIGNALS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "eval",
        help="run a test suite: cases x columns with checks, pass rates and cost per passing case",
        description="SUITE is our .toml/.json suite or a promptfoo .yaml configuration (a subset; what is "
        "not supported is listed, and the suite does not run). Every call is in History under the run's id.",
    )
    p.add_argument("suite", type=Path, help="the suite file (.toml, .json, .yaml)")
    p.add_argument("--json", action="store_true", help="one JSON object: columns and every cell")
    p.add_argument("--junit", type=Path, metavar="FILE", help="also write JUnit XML (one test per cell)")
    p.add_argument(
        "--min-pass-rate",
        type=float,
        metavar="RATE",
        help="exit 1 when a column passes less than this share of its cells (0-1, or a percentage)",
    )
    p.add_argument("--resume", metavar="RUN", help="continue run RUN: its finished cells are not sent again")
    p.add_argument("--parallel", type=int, help="calls at once (default 6)")
    p.add_argument("--per-endpoint", type=int, help="calls at once per endpoint (default 3)")
    p.add_argument(
        "--grader",
        metavar="ENDPOINT/MODEL",
        help="the model that grades rubric checks (promptfoo llm-rubric), instead of the suite's own",
    )
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="PROVIDER=ENDPOINT",
        help="promptfoo: send a provider's calls to one of our endpoints, e.g. --map openai=local",
    )


def cmd_eval(core: Core, args: argparse.Namespace) -> int:
    from dataclasses import replace

    from playground.compare.columns import Column
    from playground.compare.runner import DEFAULT_PARALLEL, DEFAULT_PER_ENDPOINT, Concurrency
    from playground.eval import report
    from playground.eval.runner import EvalRunner
    from playground.eval.store import EvalStore
    from playground.eval.suite import SuiteError, load
    from playground.eval.summary import lowest_pass_rate

    threshold = _threshold(args.min_pass_rate)
    try:
        loaded = load(args.suite, _endpoint_map(args.map))
    except SuiteError as exc:
        raise CliError(f"bad suite: {exc}", EXIT_BAD_SUITE) from None
    for line in loaded.ignored:
        print(f"playground: ignored (does not change the results): {line}", file=sys.stderr)
    if loaded.unsupported:
        for line in loaded.unsupported:
            print(f"playground: not supported: {line}", file=sys.stderr)
        count = len(loaded.unsupported)
        raise CliError(
            f"{args.suite.name} uses {count} thing(s) we do not support; nothing was sent", EXIT_BAD_SUITE
        )
    suite = loaded.suite
    if args.grader:
        endpoint, slash, model = args.grader.partition("/")
        if not slash or not endpoint or not model:
            raise CliError(f"--grader needs ENDPOINT/MODEL, not {args.grader!r}", EXIT_BAD_SUITE)
        suite = replace(suite, grader=Column(endpoint, model))
    known = {e.name for e in core.config.endpoints()}
    used = {t.endpoint for t in suite.targets} | ({suite.grader.endpoint} if suite.grader else set())
    missing = sorted(used - known)
    if missing:  # each cell would fail alike: say it once, before anything is sent or recorded
        raise CliError(
            f"no endpoint named {', '.join(map(repr, missing))} (known: {', '.join(sorted(known))}); "
            "add it with `playground endpoints add` or map a promptfoo provider with --map; nothing was sent",
            EXIT_BAD_SUITE,
        )
    concurrency = Concurrency(
        max(1, args.parallel or DEFAULT_PARALLEL), max(1, args.per_endpoint or DEFAULT_PER_ENDPOINT)
    )
    runner = EvalRunner(core.runner, EvalStore(core.storage), concurrency)

    def started(info: Any, total: int, earlier: int) -> None:
        more = f", {earlier} finished earlier" if earlier else ""
        print(f"playground: eval run {info.id}: {total} cells{more}", file=sys.stderr, flush=True)

    stopped: list[int] = []
    with _SignalsCancel(runner.cancel, stopped):
        try:
            outcome = runner.run(suite, args.resume, on_start=started)
        except SuiteError as exc:
            raise CliError(f"bad suite: {exc}", EXIT_BAD_SUITE) from None
    sys.stdout.write(report.to_json(outcome) if args.json else report.to_table(outcome))
    if args.junit:
        args.junit.write_bytes(report.to_junit(outcome))
    if outcome.cancelled:
        print(f"playground: stopped; continue with --resume {outcome.run.id}", file=sys.stderr)
        return 128 + stopped[0] if stopped else 130
    lowest = lowest_pass_rate(report.summaries(outcome))
    if threshold is not None and (lowest is None or lowest < threshold):
        shown = "no cell" if lowest is None else f"{lowest:.0%}"
        print(f"playground: a column passed {shown}, below --min-pass-rate {threshold:.0%}", file=sys.stderr)
        return EXIT_BELOW_THRESHOLD
    return 0


def _threshold(value: float | None) -> float | None:
    if value is None:
        return None
    rate = value / 100 if value > 1 else value
    if not 0 <= rate <= 1:
        raise CliError(
            f"--min-pass-rate must be between 0 and 1 (or a percentage), not {value}", EXIT_BAD_SUITE
        )
    return rate


def _endpoint_map(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        provider, sep, endpoint = item.partition("=")
        if not sep or not provider.strip() or not endpoint.strip():
            raise CliError(f"--map takes PROVIDER=ENDPOINT, not {item!r}", EXIT_BAD_SUITE)
        out[provider.strip()] = endpoint.strip()
    return out


class _SignalsCancel:
    """SIGINT, SIGTERM and SIGHUP stop the run (finished cells stay saved); a second one acts as usual."""

    def __init__(self, cancel: Any, stopped: list[int]):
        self._cancel = cancel
        self._stopped = stopped
        self._previous: dict[int, Any] = {}

    def _handle(self, signum: int, _frame: Any) -> None:
        self._stopped.append(signum)
        self._cancel()
        self._restore()

    def __enter__(self) -> None:
        if threading.current_thread() is threading.main_thread():
            for sig in STOP_SIGNALS:
                self._previous[sig] = signal.signal(sig, self._handle)

    def __exit__(self, *exc: object) -> None:
        self._restore()

    def _restore(self) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()
