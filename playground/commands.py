"""What each `playground` subcommand does; loaded only when one runs."""

from __future__ import annotations

import argparse
import csv
import getpass
import json
import signal
import sys
import threading
from datetime import datetime
from decimal import Decimal
from typing import Any

from playground import formatting
from playground.cancel import CancelToken
from playground.config_store import parse_price
from playground.core import Core
from playground.endpoints import Endpoint
from playground.errors import CallError
from playground.events import Failed, ReasoningDelta, Retrying, TextDelta
from playground.history import rows_to_json
from playground.money import Money
from playground.pricing import PriceOverride
from playground.request import Message, Request
from playground.usage import Usage


class CliError(Exception):
    """A one-line reason for failing, printed to stderr with a non-zero exit."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def one_line(error: CallError, key_name: str = "openai") -> str:
    advice = error.advice(key_name)
    text = f"{error.kind}: {error.message}" + (f" {advice}" if advice else "")
    return " ".join(text.split())


def resolve_endpoint(core: Core, args: argparse.Namespace) -> Endpoint:
    if getattr(args, "base_url", None):
        if args.endpoint:
            raise CliError("give --endpoint or --base-url, not both")
        return Endpoint(args.base_url, args.api, args.base_url, args.key_name, args.price_as)
    name = args.endpoint or ("anthropic" if args.model.lower().startswith("claude") else "openai")
    return core.config.endpoint(name)


def parse_options(pairs: list[str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise CliError(f"option {pair!r} must look like name=value")
        name = name.strip()
        if name in ("stop", "stop_sequences"):
            params.setdefault("stop", []).append(value)
        else:
            params[name] = value
    return params


def cmd_run(core: Core, args: argparse.Namespace) -> int:
    endpoint = resolve_endpoint(core, args)
    prompt = sys.stdin.read() if args.prompt == "-" else args.prompt
    request = Request(
        endpoint.name, args.model, (Message("user", prompt),), args.system, parse_options(args.option)
    )
    cancel = CancelToken()
    stream_text = not args.json
    at_line_start = [True]

    def on_event(event: Any) -> None:
        if isinstance(event, TextDelta) and stream_text:
            sys.stdout.write(event.text)
            sys.stdout.flush()
            at_line_start[0] = event.text.endswith("\n")
        elif isinstance(event, ReasoningDelta) and stream_text:
            sys.stderr.write(event.text)
            sys.stderr.flush()
        elif isinstance(event, Retrying):
            print(
                f"playground: {event.error.kind}, retrying in {event.delay:.1f} s "
                f"(attempt {event.attempt + 1})",
                file=sys.stderr,
            )
        elif isinstance(event, Failed):
            pass

    result_box: list = []
    worker = threading.Thread(
        target=lambda: result_box.append(
            core.runner.run(request, endpoint=endpoint, on_event=on_event, cancel=cancel, tag=args.tag)
        ),
        daemon=True,
    )
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, lambda *_: cancel.cancel())
    try:
        worker.start()
        while worker.is_alive():
            worker.join(0.1)
    finally:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, previous)
    result = result_box[0]
    for name, reason in result.dropped_params.items():
        print(f"playground: {name} was not sent: {reason}", file=sys.stderr)
    if stream_text and result.text and not at_line_start[0]:
        sys.stdout.write("\n")
    if args.json:
        print(json.dumps(_result_json(result, args.model)))
    if result.status == "cancelled":
        print("playground: cancelled; the partial answer is kept in history", file=sys.stderr)
        return 130
    if result.status != "ok":
        print(f"playground: {one_line(result.error, endpoint.key_name or 'openai')}", file=sys.stderr)
        return 1
    return 0


def _result_json(result, model: str) -> dict[str, Any]:
    usage: Usage = result.usage
    cost = result.cost
    return {
        "id": result.call_id,
        "status": result.status,
        "model": model,
        "text": result.text,
        "finish_reason": result.finish_reason,
        "input_tokens": usage.input_tokens,
        "output_tokens": usage.output_tokens,
        "cached_tokens": usage.cache_read_tokens,
        "reasoning_tokens": usage.reasoning_tokens,
        "input_estimated": usage.input_estimated,
        "output_estimated": usage.output_estimated,
        "cost_usd": str(cost.total) if cost and cost.total is not None else None,
        "price_source": cost.source if cost else None,
        "ttft_ms": _round(result.ttft_ms),
        "duration_ms": _round(result.duration_ms),
        "tokens_per_s": _round(result.tokens_per_s),
        "retries": result.retries,
        "error_kind": str(result.error.kind) if result.error else None,
        "error": result.error.message if result.error else None,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def cmd_count(core: Core, args: argparse.Namespace) -> int:
    if args.file:
        try:
            prompt = args.file.read_text(encoding="utf-8")
        except OSError as exc:
            raise CliError(f"cannot read {args.file}: {exc.strerror}") from None
    elif args.prompt is not None:
        prompt = sys.stdin.read() if args.prompt == "-" else args.prompt
    else:
        raise CliError("give a prompt or -f FILE")
    endpoint = resolve_endpoint(core, args)
    request = Request(endpoint.name, args.model, (Message("user", prompt),))
    count = core.runner.estimate_input(request)
    tokens, estimated, method = count.tokens, count.estimated, count.method
    if endpoint.api == "anthropic":
        setup = core.runner.setup(request, endpoint, need_key=False)
        if setup.key:
            exact = core.runner.provider(setup).count_tokens(request)
            if exact is not None:
                tokens, estimated, method = exact, False, "anthropic count_tokens"
    cost = core.pricer.price(endpoint, args.model, Usage(input_tokens=tokens, input_estimated=estimated))
    if args.json:
        print(
            json.dumps(
                {
                    "model": args.model,
                    "input_tokens": tokens,
                    "estimated": estimated,
                    "method": method,
                    "input_cost_usd": _dec(cost.input),
                    "price_source": cost.source,
                }
            )
        )
    else:
        mark = " (estimate)" if estimated else ""
        print(
            f"{formatting.tokens(tokens)} input tokens{mark} [{method}]; "
            f"input cost {formatting.usd(cost.input, estimated)} [{cost.source}]"
        )
    return 0


def cmd_cost(core: Core, args: argparse.Namespace) -> int:
    if min(args.input, args.output, args.cached, args.cache_write) < 0:
        raise CliError("token counts cannot be negative")
    if args.cached + args.cache_write > args.input:
        raise CliError("--cached and --cache-write are part of --input and cannot exceed it")
    name = args.endpoint or ("anthropic" if args.model.lower().startswith("claude") else "openai")
    endpoint = core.config.endpoint(name)
    usage = Usage(args.input, args.output, args.cached, args.cache_write)
    cost = core.pricer.price(endpoint, args.model, usage)
    if args.json:
        print(
            json.dumps(
                {
                    "model": args.model,
                    "endpoint": endpoint.name,
                    "cost_usd": _dec(cost.total),
                    "input_usd": _dec(cost.input),
                    "output_usd": _dec(cost.output),
                    "price_source": cost.source,
                }
            )
        )
    elif cost.known:
        print(
            f"{formatting.usd(cost.total)} (input {formatting.usd(cost.input)}, "
            f"output {formatting.usd(cost.output)}) [{cost.source}]"
        )
    else:
        raise CliError(f"price unknown: {cost.source}. Set one with `playground prices set`.")
    return 0


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def cmd_history(core: Core, args: argparse.Namespace) -> int:
    rows = core.history.recent(args.limit, args.search)
    if args.json:
        print(json.dumps(rows_to_json(rows), ensure_ascii=False))
        return 0
    if not rows:
        print("No calls yet." if not args.search else "No calls match.")
        return 0
    for r in rows:
        first = (r["prompt"] or "").strip().splitlines()[0][:50] if (r["prompt"] or "").strip() else ""
        cost = formatting.usd(r["cost_usd"], bool(r["cost_estimated"]))
        tokens_in = formatting.tokens(r["input_tokens"], bool(r["input_estimated"]))
        tokens_out = formatting.tokens(r["output_tokens"], bool(r["output_estimated"]))
        print(
            f"{r['id']:>5}  {r['started_at'][:19].replace('T', ' ')}  {r['status']:<11} "
            f"{r['endpoint']}/{r['model']}  {tokens_in}→{tokens_out}  {cost}  {first}"
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
        writer = csv.writer(sys.stdout)
        writer.writerow(
            [args.by, "calls", "errors", "input_tokens", "output_tokens", "cost_usd", "unpriced_calls"]
        )
        for r in rows:  # cost_usd: the priced calls' sum, empty when none was priced
            row = [r.key or r.period, r.calls, r.errors, r.input_tokens, r.output_tokens]
            writer.writerow([*row, r.cost.csv_cost(), r.cost.unpriced])
        return 0
    if not rows:
        print("No calls in that period.")
        return 0
    for r in rows:
        print(f"{r.key or r.period:<28} {r.calls:>6} calls  {r.cost.text():>12}")
    total = Money.sum(r.cost for r in rows)
    print(f"{'total':<28} {sum(r.calls for r in rows):>6} calls  {total.text():>12}")
    return 0


def cmd_keys(core: Core, args: argparse.Namespace) -> int:
    name = args.provider
    if args.action == "status":
        status = core.keys.status(name)
        print(f"{name}: {status.source} {status.masked}" if status.present else f"{name}: no key")
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
        core.config.add_endpoint(
            Endpoint(args.name, args.api, args.base_url.rstrip("/"), args.key_name, args.price_as)
        )
        print(f"endpoint {args.name} saved")
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
            key = e.key_name or "no key"
            builtin = " built-in" if e.builtin else ""
            print(f"{e.name:<16} {e.api:<10} {where:<40} key: {key}{builtin}")
    return 0


def cmd_prices(core: Core, args: argparse.Namespace) -> int:
    if args.action == "set":
        core.config.endpoint(args.endpoint)  # must exist
        if args.free:
            override = PriceOverride(
                args.endpoint, args.model, Decimal(0), Decimal(0), Decimal(0), Decimal(0)
            )
        else:
            cached = parse_price(args.cached, "--cached") if args.cached else None
            override = PriceOverride(
                args.endpoint,
                args.model,
                parse_price(args.input, "--input"),
                parse_price(args.output, "--output"),
                cached,
            )
        core.config.set_price(override)
        print(f"price for {args.endpoint}/{args.model} saved")
    elif args.action == "remove":
        if not core.config.remove_price(args.endpoint, args.model):
            raise CliError(f"no price override for {args.endpoint}/{args.model}")
        print("price override removed")
    elif args.action == "update":
        from playground import price_data

        try:
            print(price_data.update(core.home).describe())
        except price_data.UpdateFailed as exc:
            raise CliError(str(exc)) from None
    else:
        from playground import price_data

        print(price_data.current(core.home).describe())
        overrides = core.config.price_overrides()
        if not overrides:
            print("No price overrides.")
        for o in overrides:
            label = "free" if o.free else f"input ${o.input_mtok}/MTok, output ${o.output_mtok}/MTok"
            print(f"{o.endpoint}/{o.model}: {label}")
    return 0


def cmd_export(core: Core, args: argparse.Namespace) -> int:
    from playground.transfer import export_rows, to_csv, to_json

    if args.since:
        try:
            datetime.strptime(args.since, "%Y-%m-%d")
        except ValueError:
            raise CliError(f"--since must be a date like 2026-01-31, not {args.since!r}") from None
    rows = export_rows(core.storage, args.since)
    text = to_json(rows) if args.format == "json" else to_csv(rows)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"{len(rows)} calls written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_import(core: Core, args: argparse.Namespace) -> int:
    from playground.transfer import import_file

    if not args.file.is_file():
        raise CliError(f"no such file: {args.file}")
    result = import_file(core.storage, args.file, core.pricer)
    print(f"{result.added} calls imported, {result.skipped} already in history")
    return 0


def cmd_budget(core: Core, args: argparse.Namespace) -> int:
    from playground.budgets import Budgets, parse_budget

    if args.clear:
        core.budgets.set(Budgets())
    elif args.daily or args.monthly:
        current = core.budgets.get()
        core.budgets.set(
            Budgets(
                parse_budget(args.daily) if args.daily else current.daily,
                parse_budget(args.monthly) if args.monthly else current.monthly,
            )
        )
    status = core.budgets.status()
    b = status.budgets
    daily = f" of {formatting.usd(b.daily)}" if b.daily is not None else " (no daily budget)"
    monthly = f" of {formatting.usd(b.monthly)}" if b.monthly is not None else " (no monthly budget)"
    print(f"today {status.today.text()}{daily}; this month {status.month.text()}{monthly}")
    for line in status.crossed:
        print(f"playground: {line}", file=sys.stderr)
    return 0


COMMANDS = {
    "run": cmd_run,
    "count": cmd_count,
    "cost": cmd_cost,
    "history": cmd_history,
    "spend": cmd_spend,
    "keys": cmd_keys,
    "endpoints": cmd_endpoints,
    "prices": cmd_prices,
    "export": cmd_export,
    "import": cmd_import,
    "budget": cmd_budget,
}
