"""Checks on what a user types, so bad input is one clear line before anything is sent or written."""

from __future__ import annotations

import argparse
import math
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playground.cli.errors import CliError
from playground.llm.endpoints import Endpoint, public_url, url_problem

if TYPE_CHECKING:
    from playground.cli.core import OfflineCore, QuickCore
    from playground.core import Core


def resolve_endpoint(core: Core | OfflineCore | QuickCore, args: argparse.Namespace) -> Endpoint:
    if getattr(args, "base_url", None):
        if args.endpoint:
            raise CliError("give --endpoint or --base-url, not both")
        check_base_url(args.base_url)
        # named by its URL, which is recorded: without a password
        return Endpoint(public_url(args.base_url), args.api, args.base_url, args.key_name, args.price_as)
    name = args.endpoint or ("anthropic" if args.model.lower().startswith("claude") else "openai")
    return core.config.endpoint(name)


def check_base_url(url: str) -> str:
    """An http(s) URL with a host (and a valid port), or a one-line refusal naming it (the Settings
    form asks the same, in ``url_problem``)."""
    if problem := url_problem(url):
        raise CliError(f"--base-url: {problem}")
    return url


def parse_options(pairs: list[str]) -> dict[str, Any]:
    """`-o name=value` pairs; numbers must be finite (nan and inf pass every range check otherwise)."""
    params: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise CliError(f"option {pair!r} must look like name=value")
        name = name.strip()
        if name in ("stop", "stop_sequences"):
            params.setdefault("stop", []).append(value)
            continue
        if _non_finite(value):
            raise CliError(f"option {name} must be a finite number, not {value!r}")
        params[name] = value
    return params


def _non_finite(text: str) -> bool:
    try:
        return not math.isfinite(float(text))
    except ValueError:
        return False


def amount(text: str, what: str) -> str:
    """A non-negative, finite amount of USD (budgets and prices), checked before it is stored."""
    try:
        value = Decimal(text.strip().lstrip("$"))
    except InvalidOperation:
        raise CliError(f"{what} must be an amount in USD, not {text!r}") from None
    if not value.is_finite() or value < 0:
        raise CliError(f"{what} must be a finite amount of at least 0, not {text!r}")
    return text


def read_prompt(args: argparse.Namespace) -> str:
    """The prompt from -f FILE, standard input (-) or the argument; text that is not UTF-8 is named."""
    path: Path | None = getattr(args, "file", None)
    if path is not None:
        if args.prompt is not None:
            raise CliError("give a prompt or -f FILE, not both")
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise CliError(f"{path} is not UTF-8 text (byte {exc.start}: {exc.reason})") from None
        except OSError as exc:
            raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None
    if args.prompt is None:
        raise CliError("give a prompt, - to read standard input, or -f FILE")
    if args.prompt != "-":
        try:
            args.prompt.encode("utf-8")
        except UnicodeEncodeError:
            raise CliError("the prompt argument is not UTF-8 text") from None
        return str(args.prompt)
    try:
        return sys.stdin.buffer.read().decode("utf-8") if hasattr(sys.stdin, "buffer") else sys.stdin.read()
    except UnicodeDecodeError as exc:
        raise CliError(f"standard input is not UTF-8 text (byte {exc.start}: {exc.reason})") from None
