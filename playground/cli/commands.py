"""What each `playground` subcommand does; loaded only when one runs."""

from __future__ import annotations

import argparse
import csv
import getpass
import json
import sys
from datetime import datetime
from decimal import Decimal

from playground import formatting
from playground.cli.bills import cmd_bills
from playground.cli.core import OfflineCore
from playground.cli.errors import CliError
from playground.cli.eval import cmd_eval
from playground.cli.input import amount, check_base_url
from playground.cli.plan import cmd_plan
from playground.cli.run import cmd_run
from playground.core import Core
from playground.history.calls import rows_to_json
from playground.history.config_store import parse_price
from playground.history.filters import Filters
from playground.keys import PRECEDENCE, key_names, label
from playground.llm.endpoints import Endpoint
from playground.llm.errors import PlaygroundError
from playground.llm.request import Request
from playground.pricing.money import Money
from playground.pricing.prices import PriceOverride

__all__ = ["COMMANDS", "CliError", "cmd_run"]
MAX_LIMIT = 1_000_000  # rows `history` lists at most (SQLite takes no larger integers anyway)


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def cmd_history(core: Core, args: argparse.Namespace) -> int:
    if not 1 <= args.limit <= MAX_LIMIT:
        raise CliError(f"--limit must be between 1 and {MAX_LIMIT:,}, not {args.limit}")
    since, until = _day_arg("since", args.since), _day_arg("until", args.until)
    if since or until:  # local days, in the zone the reports use
        days = Filters(since=since, until=until, search=args.search, zone=core.reports.clock.zone_name())
        rows = core.history.first(days, limit=args.limit)
    else:
        rows = core.history.recent(args.limit, args.search)
    if args.json:
        print(json.dumps(rows_to_json(rows), ensure_ascii=False))
        return 0
    if not rows:
        print("No calls yet." if not args.search else "No calls match.")
        return 0
    zone = core.general.zone_name()  # local times, like --since/--until
    for r in rows:
        first = (r.prompt or "").strip().splitlines()[0][:50] if (r.prompt or "").strip() else ""
        cost = formatting.usd_exact(r.cost_usd, r.cost_estimated)
        tokens_in = formatting.tokens(r.input_tokens, r.input_estimated)
        tokens_out = formatting.tokens(r.output_tokens, r.output_estimated)
        print(
            f"{r.id:>5}  {r.started_in(zone)}  {r.status:<11} "
            f"{r.endpoint}/{r.model}  {tokens_in}→{tokens_out}  {cost}  {first}"
        )
    return 0


def cmd_spend(core: Core, args: argparse.Namespace) -> int:
    since = None
    if args.since:
        try:
            since = datetime.strptime(args.since, "%Y-%m-%d").date()
        except ValueError:
            raise CliError(f"--since must be a date like 2026-01-31, not {args.since!r}") from None
    rows = core.reports.totals(since, by="model" if args.by == "model" else None)
    if args.csv:
        from playground.history.transfer import spreadsheet_safe

        writer = csv.writer(sys.stdout)
        head = [args.by, "calls", "errors", "input_tokens", "output_tokens", "cost_usd", "unpriced_calls"]
        writer.writerow([*head, "estimated_cost_usd"])  # last: scripts reading by position keep working
        for r in rows:  # cost_usd: the priced calls' sum, empty when none was priced; how much of it
            # is our estimate (stopped or cut calls), as the window's CSV says
            row = [spreadsheet_safe(r.key or r.period), r.calls, r.errors, r.input_tokens, r.output_tokens]
            writer.writerow([*row, r.cost.csv_cost(), r.cost.unpriced, r.cost.csv_estimated()])
        return 0
    if not rows:
        print("No calls in that period.")
        return 0
    for r in rows:
        print(f"{r.key or r.period:<28} {r.calls:>6} calls  {r.cost.text(exact=True):>12}")
    total = Money.sum(r.cost for r in rows)
    print(f"{'total':<28} {sum(r.calls for r in rows):>6} calls  {total.text(exact=True):>12}")
    print(f"(days are local days in {core.reports.clock.zone_name()})")
    return 0


def cmd_keys(core: Core | OfflineCore, args: argparse.Namespace) -> int:
    pairs = [(e.key_name, e.key_env) for e in core.config.endpoints()]
    envs = key_names(pairs)
    if args.action == "list":
        for name, env in envs.items():
            status = core.keys.status(name, env)
            masked = f" ({status.masked})" if status.present else ""
            print(f"{name:<18} {status.describe()}{masked}  [{label(name)}]")
        print(PRECEDENCE)
        if core.keys.problem:
            print(f"playground: {core.keys.problem}", file=sys.stderr)
        return 0
    name = args.provider
    if name is None:
        raise CliError(f"name the key: playground keys {args.action} NAME (one of {', '.join(envs)})")
    if args.action == "status":
        status = core.keys.status(name, envs.get(name))
        print(f"{name}: {status.describe()} {status.masked}".rstrip())
        if not status.present and status.env:
            print(f"Set it with `playground keys set {name}` or the environment variable {status.env}.")
        if core.keys.problem:
            print(f"playground: {core.keys.problem}", file=sys.stderr)
        return 0 if status.present else 1
    if args.action == "delete":
        removed = core.keys.delete(name)
        print(f"{name}: key deleted" if removed else f"{name}: there was no key in the keyring")
        return 0
    if not core.keys.persistent:
        raise CliError(core.keys.problem or "no system keyring")
    key = (
        getpass.getpass(f"API key for {name} (input hidden): ")
        if sys.stdin.isatty()
        else sys.stdin.readline()
    )
    try:
        where = core.keys.set(name, key)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    if where != "keyring":
        raise CliError(core.keys.problem or "the key could not be saved")
    print(f"{name}: key saved in the system keyring")
    return 0


def cmd_endpoints(core: Core, args: argparse.Namespace) -> int:
    if args.action == "add":
        check_base_url(args.base_url)
        taken = any(e.name == args.name and not e.builtin for e in core.config.endpoints())
        if taken and not args.replace:  # it replaced the endpoint silently, base URL, key and all
            raise CliError(
                f"an endpoint named {args.name!r} exists; use "
                f"`playground endpoints add {args.name} --replace ...` to change it",
                code=2,
            )
        core.config.add_endpoint(
            Endpoint(
                args.name,
                args.api,
                args.base_url.rstrip("/"),
                args.key_name or (args.name if args.key_env else None),
                args.price_as,
                key_env=args.key_env,
            )
        )
        print(f"endpoint {args.name} {'replaced' if taken else 'saved'}")
    elif args.action == "remove":
        if not core.config.remove_endpoint(args.name):
            raise CliError(f"no custom endpoint named {args.name!r}")
        print(f"endpoint {args.name} removed")
    elif args.action == "models":
        endpoint = core.config.endpoint(args.name)
        request = Request(endpoint.name, "-", ())
        setup = core.runner.setup(request, endpoint, need_key=False)
        for model in core.runner.provider(setup).list_models():
            print(model)
    else:
        for e in core.config.endpoints():
            where = e.base_url or "(provider default)"
            key = (
                f"{e.key_name} ({core.keys.status(e.key_name, e.key_env).describe()})"
                if e.key_name
                else "no key"
            )
            builtin = " built-in" if e.builtin else ""
            print(f"{e.name:<16} {e.api:<16} {where:<40} key: {key}{builtin}")
    return 0


def cmd_prices(core: Core, args: argparse.Namespace) -> int:
    if args.action == "set":
        core.config.endpoint(args.endpoint)  # must exist
        if args.free:
            override = PriceOverride(
                args.endpoint, args.model, Decimal(0), Decimal(0), Decimal(0), Decimal(0)
            )
        else:
            cached = parse_price(amount(args.cached, "--cached"), "--cached") if args.cached else None
            override = PriceOverride(
                args.endpoint,
                args.model,
                parse_price(amount(args.input, "--input"), "--input"),
                parse_price(amount(args.output, "--output"), "--output"),
                cached,
            )
        core.config.set_price(override)
        print(f"price for {args.endpoint}/{args.model} saved")
    elif args.action == "remove":
        if not core.config.remove_price(args.endpoint, args.model):
            raise CliError(f"no price override for {args.endpoint}/{args.model}")
        print("price override removed")
    elif args.action == "update":
        from playground.pricing import price_data

        try:
            print(price_data.update(core.home).describe())
        except price_data.UpdateFailed as exc:
            raise CliError(str(exc)) from None
    else:
        from playground.pricing import price_data

        print(price_data.current(core.home).describe())
        overrides = core.config.price_overrides()
        if not overrides:
            print("No price overrides.")
        for o in overrides:
            label = "free" if o.free else f"input ${o.input_mtok}/MTok, output ${o.output_mtok}/MTok"
            print(f"{o.endpoint}/{o.model}: {label}")
    return 0


def cmd_export(core: Core, args: argparse.Namespace) -> int:
    from playground.files import write_whole
    from playground.history.transfer import export_rows, to_csv, to_json

    days = Filters(
        since=_day_arg("since", args.since),
        until=_day_arg("until", args.until),
        zone=core.reports.clock.zone_name(),
    )
    rows = export_rows(core.storage, filters=days)
    text = to_json(rows) if args.format == "json" else to_csv(rows)
    if args.output:
        try:
            write_whole(args.output, text)
        except OSError as exc:
            raise CliError(f"cannot write {args.output}: {exc.strerror or exc}") from None
        print(f"{len(rows)} calls written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_import(core: Core, args: argparse.Namespace) -> int:
    from playground.history.transfer import import_file

    if args.file.is_dir():
        raise CliError(f"{args.file} is a folder; give an export file or an llm logs.db")
    if not args.file.is_file():
        raise CliError(f"no such file: {args.file}")
    try:
        result = import_file(core.storage, args.file, core.pricer)
    except PlaygroundError as exc:
        raise CliError(f"nothing imported: {exc.error.message}") from None
    print(f"{result.added} calls imported, {result.skipped} already in history")
    return 0


def cmd_budget(core: Core, args: argparse.Namespace) -> int:
    from playground.spend.budgets import Budgets, parse_budget

    if args.clear:
        core.budgets.set(Budgets())
    elif args.daily or args.monthly:
        current = core.budgets.get()
        core.budgets.set(
            Budgets(
                parse_budget(amount(args.daily, "--daily")) if args.daily else current.daily,
                parse_budget(amount(args.monthly, "--monthly")) if args.monthly else current.monthly,
            )
        )
    status = core.budgets.status()
    b = status.budgets
    daily = f" of {formatting.usd_exact(b.daily)}" if b.daily is not None else " (no daily budget)"
    monthly = f" of {formatting.usd_exact(b.monthly)}" if b.monthly is not None else " (no monthly budget)"
    print(
        f"today {status.today.text(exact=True)}{daily}; this month {status.month.text(exact=True)}{monthly}"
    )
    for line in status.crossed:
        print(f"playground: {line}", file=sys.stderr)
    return 0


COMMANDS = {
    "run": cmd_run,
    "history": cmd_history,
    "spend": cmd_spend,
    "keys": cmd_keys,
    "endpoints": cmd_endpoints,
    "prices": cmd_prices,
    "export": cmd_export,
    "import": cmd_import,
    "budget": cmd_budget,
    "bills": cmd_bills,
    "plan": cmd_plan,
    "eval": cmd_eval,
}


def _day_arg(name: str, value: str | None) -> str | None:
    """A --since/--until day (YYYY-MM-DD, the user's local day), checked."""
    if not value:
        return None
    try:
        datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        raise CliError(f"--{name} must be a date like 2026-01-31, not {value!r}") from None
    return value
