"""The `playground` command line. Kept light: the GUI starts from here, so heavy modules load late."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from playground.cli import bills as bills_cli
from playground.cli import eval as eval_cli
from playground.cli import plan as plan_cli
from playground.llm.apis import APIS

if TYPE_CHECKING:
    from playground.cli.core import CommandLog


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="playground", description="LLM Playground: try, compare and price LLM API calls."
    )
    parser.add_argument("--smoke", action="store_true", help="open the window, report start-up time, quit")
    parser.add_argument("--debug", action="store_true", help="show the full traceback of an unexpected error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="send a prompt and stream the answer")
    _target_args(run)
    run.add_argument("-s", "--system", default="", help="system prompt")
    run.add_argument(
        "-o",
        "--option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a parameter, e.g. -o temperature=0.2 -o max_tokens=200 (repeatable); "
        "max_tokens is always sent, 1024 when not given",
    )
    run.add_argument("--tag", help="a label stored with the call")
    run.add_argument("--json", action="store_true", help="print one JSON object at the end instead of text")
    run.add_argument("-f", "--file", type=Path, help="read the prompt from a file (UTF-8)")
    run.add_argument("prompt", nargs="?", help="the prompt, or - to read it from standard input")

    count = sub.add_parser("count", help="count the prompt's tokens and its input cost")
    _target_args(count)
    count.add_argument("--json", action="store_true")
    count.add_argument("-f", "--file", type=Path, help="read the prompt from a file")
    count.add_argument("prompt", nargs="?", help="the prompt (or use -f)")

    cost = sub.add_parser("cost", help="the price of a given usage")
    cost.add_argument("-m", "--model", required=True)
    cost.add_argument("--endpoint", help="endpoint whose prices to use (default: by model name)")
    cost.add_argument("--input", type=int, required=True, help="input tokens (cached ones included)")
    cost.add_argument("--output", type=int, required=True, help="output tokens (reasoning included)")
    cost.add_argument("--cached", type=int, default=0, help="of the input, tokens read from cache")
    cost.add_argument("--cache-write", type=int, default=0, help="of the input, tokens written to cache")
    cost.add_argument("--json", action="store_true")

    history = sub.add_parser("history", help="recent calls")
    history.add_argument("--search", help="full-text search in prompts and answers")
    history.add_argument("--limit", type=int, default=20)
    history.add_argument("--json", action="store_true")
    history.add_argument("--since", help="first local day, YYYY-MM-DD")
    history.add_argument("--until", help="last local day, YYYY-MM-DD")

    spend = sub.add_parser("spend", help="spend per day or per model")
    spend.add_argument("--since", help="first day, YYYY-MM-DD")
    spend.add_argument("--by", choices=("day", "model"), default="day")
    spend.add_argument("--csv", action="store_true")

    export = sub.add_parser("export", help="write the history as JSON or CSV")
    export.add_argument("--format", choices=("json", "csv"), default="json")
    export.add_argument("--since", help="first local day, YYYY-MM-DD")
    export.add_argument("--until", help="last local day, YYYY-MM-DD")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")

    imp = sub.add_parser("import", help="import a history export (JSON) or an llm logs.db")
    imp.add_argument("file", type=Path)

    budget = sub.add_parser("budget", help="daily and monthly budgets, and where spend stands")
    budget.add_argument("--daily", help="daily budget in USD")
    budget.add_argument("--monthly", help="monthly budget in USD")
    budget.add_argument("--clear", action="store_true", help="remove both budgets")

    keys = sub.add_parser("keys", help="API keys in the system keyring")
    keys.add_argument("action", nargs="?", default="list", choices=("list", "set", "delete", "status"))
    keys.add_argument(
        "provider", nargs="?", help="key name: openai, anthropic, openai-admin, or an endpoint's key name"
    )

    endpoints = sub.add_parser("endpoints", help="OpenAI- or Anthropic-compatible servers")
    ep_sub = endpoints.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = ep_sub.add_parser("add", help="add an endpoint (--replace: change one that exists)")
    add.add_argument("name")
    add.add_argument(
        "--replace", action="store_true", help="replace the endpoint of that name if there is one"
    )
    add.add_argument("--base-url", required=True)
    add.add_argument("--api", choices=APIS, default="openai")
    add.add_argument("--key", dest="key_name", help="name of its key in the keyring (none: no key)")
    add.add_argument("--key-env", help="environment variable its key is read from when none is saved")
    add.add_argument("--price-as", help="price its calls as this genai-prices provider, e.g. openai")
    ep_sub.add_parser("list", help="list endpoints")
    rm = ep_sub.add_parser("remove", help="remove an endpoint")
    rm.add_argument("name")
    models = ep_sub.add_parser("models", help="list the models an endpoint's server offers")
    models.add_argument("name")

    prices = sub.add_parser("prices", help="your own prices for custom endpoints and models")
    pr_sub = prices.add_subparsers(dest="action", metavar="ACTION", required=True)
    pset = pr_sub.add_parser("set", help="set a price in USD per million tokens")
    pset.add_argument("endpoint")
    pset.add_argument("model", help="model name, or * for every model of the endpoint")
    pset.add_argument("--input", default="0")
    pset.add_argument("--output", default="0")
    pset.add_argument("--cached", help="cache-read price (default: the input price)")
    pset.add_argument("--free", action="store_true", help="calls cost nothing (a local server)")
    pr_sub.add_parser("list", help="the price data in use, and your price overrides")
    pr_sub.add_parser("update", help="fetch newer genai-prices data (the bundled copy stays as fallback)")
    prm = pr_sub.add_parser("remove", help="remove a price override")
    prm.add_argument("endpoint")
    prm.add_argument("model")
    bills_cli.add_parser(sub)
    plan_cli.add_parser(sub)
    eval_cli.add_parser(sub)
    _debug_everywhere(parser)
    return parser


def _debug_everywhere(parser: argparse.ArgumentParser) -> None:
    """Accept --debug after a command too (`playground run --debug ...`), without overriding it."""
    for action in parser._subparsers._group_actions if parser._subparsers else ():
        for child in getattr(action, "choices", {}).values():
            child.add_argument(
                "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
            )
            _debug_everywhere(child)


def _target_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-m", "--model", required=True)
    parser.add_argument("--endpoint", help="endpoint name (default: anthropic for claude-*, else openai)")
    parser.add_argument("--base-url", help="an ad-hoc server instead of a named endpoint")
    parser.add_argument("--api", choices=APIS, default="openai", help="API style of --base-url")
    parser.add_argument("--key", dest="key_name", help="with --base-url: name of the keyring key to send")
    parser.add_argument("--price-as", help="with --base-url: price calls as this genai-prices provider")


def main(argv: Sequence[str] | None = None, open_gui: Callable[[bool], int] | None = None) -> int:
    """Run a command; with none, open the window through ``open_gui`` (the core never imports Qt:
    the installed `playground` command is ui/launcher.py, which passes it in).

    The one catch-all of the command line: a known failure prints one line and exits non-zero; a bug
    prints one line too, its traceback goes to the log (and to stderr with --debug)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        if open_gui is None:
            parser.print_help()
            return 0
        return open_gui(args.smoke)
    with _optional_imports_hidden():  # the modules a command needs load here
        from playground.cli.core import CommandLog
        from playground.cli.errors import report
        from playground.cli.quick import QUICK

        if args.command not in QUICK:
            from playground.cli import commands  # noqa: F401

    log = CommandLog()
    try:
        return _run_command(args, log)
    except BaseException as exc:  # the one place every command's failure ends
        return report(exc, debug=args.debug)
    finally:
        log.close()


@contextmanager
def _optional_imports_hidden(names: tuple[str, ...] = ("numpy", "pandas")) -> Iterator[None]:
    """sqlite-utils imports numpy and pandas when installed (pyqtgraph brings numpy), only to map
    their types, which no command passes: numpy alone is ~90 ms and 15 MB of a one-line command.
    While the core loads (one thread: nothing else imports) they look absent; afterwards they
    import normally."""
    hidden = [name for name in names if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        yield
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


def _run_command(args: argparse.Namespace, log: CommandLog) -> int:
    from playground.cli.quick import QUICK

    if args.command in QUICK:
        from playground.cli import quick
        from playground.cli.core import open_quick_core

        quick_core = open_quick_core(args.command, log)
        try:
            return (
                quick.cmd_cost(quick_core, args)
                if args.command == "cost"
                else quick.cmd_count(quick_core, args)
            )
        finally:
            quick_core.close()
    from playground.cli import commands
    from playground.cli.core import open_core

    core = open_core(args.command, log)
    try:
        # open_core gives an OfflineCore only to the NEEDS_NO_HISTORY commands, which take one
        return commands.COMMANDS[args.command](core, args)  # type: ignore[arg-type]
    finally:
        core.close()


if __name__ == "__main__":
    raise SystemExit(main())
