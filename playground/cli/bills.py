"""`playground bills`: import the providers' own bills and show them beside what was recorded here.

Light at import (the parser is built on every start); the work imports playground.bills lazily.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from playground.cli.errors import CliError

if TYPE_CHECKING:
    from playground.bills.importer import Progress
    from playground.bills.reconcile import Row
    from playground.core import Core


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    bills = sub.add_parser("bills", help="the providers' own bills beside the calls recorded here")
    actions = bills.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = actions.add_parser("import", help="fetch daily costs and usage with an admin key (resumable)")
    imp.add_argument("--provider", choices=("openai", "anthropic"), required=True)
    imp.add_argument("--from", dest="first", required=True, help="first UTC day, YYYY-MM-DD")
    imp.add_argument("--to", dest="last", required=True, help="last UTC day, YYYY-MM-DD")
    imp.add_argument("--base-url", help="a compatible server instead of the provider's (a proxy, a test)")
    csv = actions.add_parser("import-csv", help="import a console's cost export (CSV)")
    csv.add_argument("file")
    csv.add_argument("--provider", choices=("openai", "anthropic"), help="default: by model name")
    show = actions.add_parser("show", help="billed, recorded here and the difference, per UTC day")
    show.add_argument("--from", dest="first", help="first UTC day (default: the 1st of this month)")
    show.add_argument("--to", dest="last", help="last UTC day (default: today, UTC)")
    show.add_argument("--by", choices=("day", "model"), default="day")


def cmd_bills(core: Core, args: argparse.Namespace) -> int:
    from pathlib import Path

    from playground.bills.model import BillsError, Provider
    from playground.bills.service import Bills

    bills = Bills(core.storage, core.keys)
    try:
        if args.action == "import":
            first, last = _day("from", args.first), _day("to", args.last)
            result = bills.import_api(
                Provider(args.provider), first, last, base_url=args.base_url, progress=_progress
            )
            again = " (resumed)" if result.resumed else ""
            print(f"Imported {Provider(args.provider).label} {first} to {last}{again}: {result.pages} pages.")
            return 0
        if args.action == "import-csv":
            provider = Provider(args.provider) if args.provider else None
            done = bills.import_csv(Path(args.file), provider)
            print(
                f"Imported {done.rows} rows ({', '.join(done.providers)}),"
                f" {done.first_day} to {done.last_day}, ${done.total:,.2f} in all."
            )
            return 0
    except BillsError as exc:
        raise CliError(str(exc)) from None
    today = datetime.now(UTC).date()
    first = _day("from", args.first) if args.first else today.replace(day=1)
    last = _day("to", args.last) if args.last else today
    _show(bills.rows(first, last, args.by), args.by)
    return 0


def _show(rows: list[Row], by: str) -> None:
    from playground import formatting
    from playground.bills.report import totals, totals_text

    if not rows:
        print("Nothing billed or recorded in that range (days are UTC days).")
        return
    print(
        f"{'day' if by == 'day' else '':<11}{'provider':<10}{'model':<28}{'billed':>11}{'recorded':>12}"
        f"{'difference':>12}  why"
    )
    for r in rows:
        billed = formatting.usd_exact(r.billed) if r.billed is not None else "unknown"
        diff = r.difference
        diff_text = formatting.signed_usd(diff, exact=True)
        recorded = r.recorded.text(exact=True)
        print(
            f"{r.day or '':<11}{r.provider:<10}{r.model[:27]:<28}{billed:>11}{recorded:>12}"
            f"{diff_text:>12}  {r.explanation}"
        )
    print(totals_text(totals(rows), exact=True))
    print("Days are UTC days, as the providers bill them.")


def _progress(p: Progress) -> None:
    print(f"  {p.kind} stored through {p.done_through} ({p.fraction:.0%})", file=sys.stderr, flush=True)


def _day(name: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CliError(f"--{name} must be a date like 2026-11-30, not {value!r}") from None
