"""`playground cost` and `count`: one-line answers, so they load only pricing, counting and the
endpoints (cli.core.QuickCore), never the runner, the stores or an SDK (an Anthropic count excepted)."""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from typing import TYPE_CHECKING

from playground import formatting
from playground.cli.errors import CliError
from playground.cli.input import read_prompt, resolve_endpoint
from playground.llm.request import Message, Request
from playground.llm.usage import Usage

if TYPE_CHECKING:
    from playground.cli.core import QuickCore

QUICK = frozenset({"cost", "count"})


def cmd_count(core: QuickCore, args: argparse.Namespace) -> int:
    prompt = read_prompt(args)
    endpoint = resolve_endpoint(core, args)
    request = Request(endpoint.name, args.model, (Message("user", prompt),))
    count = core.count_input(request, endpoint)  # falls back to the estimate when offline
    tokens, estimated, method = count.tokens, count.estimated, count.method
    if count.note:
        print(f"playground: {count.note}; showing the estimate.", file=sys.stderr)
    cost = core.pricer.price(endpoint, args.model, Usage(input_tokens=tokens, input_estimated=estimated))
    if args.json:
        print(
            json.dumps(
                {
                    "model": args.model,
                    "input_tokens": tokens,
                    "estimated": estimated,
                    "method": method,
                    "note": count.note or None,
                    "input_cost_usd": _dec(cost.input),
                    "price_source": cost.source,
                }
            )
        )
    else:
        mark = " (estimate)" if estimated else ""
        print(
            f"{formatting.tokens(tokens)} input tokens{mark} [{method}]; "
            f"input cost {formatting.usd_exact(cost.input, estimated)} [{cost.source}]"
        )
    return 0


def cmd_cost(core: QuickCore, args: argparse.Namespace) -> int:
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
            f"{formatting.usd_exact(cost.total)} (input {formatting.usd_exact(cost.input)}, "
            f"output {formatting.usd_exact(cost.output)}) [{cost.source}]"
        )
    else:
        raise CliError(f"price unknown: {cost.source}. Set one with `playground prices set`.")
    return 0


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
