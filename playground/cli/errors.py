"""How a failed command ends: one line on stderr and a non-zero exit, never a traceback (unless --debug)."""

from __future__ import annotations

import os
import sys
import traceback
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # `--help` imports this module: what it needs only on failure loads then
    from playground.llm.errors import CallError

PREFIX = "playground: error: "
EXIT_SIGPIPE = 141  # what a shell reports for a command killed by a closed pipe


class CliError(Exception):
    """A one-line reason for failing, printed to stderr with a non-zero exit."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def one_line(error: CallError, key_name: str = "openai") -> str:
    advice = error.advice(key_name)
    text = f"{error.kind}: {error.message}" + (f" {advice}" if advice else "")
    return " ".join(text.split())


def say(message: str) -> None:
    """Print one line to stderr, even if stderr itself is a closed pipe."""
    from playground.llm.errors import redact

    try:
        print(PREFIX + " ".join(redact(message).split()), file=sys.stderr)
    except (BrokenPipeError, OSError):
        pass


def report(exc: BaseException, debug: bool = False) -> int:
    """The exit code for ``exc``, after telling the user in one line (the caller's only except)."""
    import sqlite3

    from playground.llm.errors import PlaygroundError
    from playground.llm.providers import ProviderFailure

    if isinstance(exc, SystemExit):
        return exc.code if isinstance(exc.code, int) else 1
    if isinstance(exc, KeyboardInterrupt):
        return 130
    if isinstance(exc, BrokenPipeError):
        _silence_stdout()
        return EXIT_SIGPIPE
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, CliError):
        say(str(exc))
        return exc.code
    if isinstance(exc, PlaygroundError):
        say(one_line(exc.error))
        return 2
    if isinstance(exc, ProviderFailure):
        say(one_line(exc.error))
        return 1
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        say(f"the history database is busy ({exc}); another program is writing to it, try again")
        return 1
    if isinstance(exc, OSError) and exc.strerror:  # the system said no: a full disk, a permission...
        say(f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror)
        return 1
    import logging  # only a failure needs it: `--help` imports this module

    if logging.getLogger().handlers:  # without a log file, Python would print the record to stderr
        logging.getLogger("playground.cli.entry").error("unexpected error in the command line", exc_info=exc)
    where = "" if debug else "; run with --debug for details"
    say(f"unexpected {type(exc).__name__}: {exc}{where}")
    return 1


def _silence_stdout() -> None:
    """The reader went away (`playground history | head -1`): drop the rest instead of a message at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
