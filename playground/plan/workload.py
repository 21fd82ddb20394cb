"""A workload: how many requests, how big, and how much of it caches, batches, retries and grows.

Files are TOML or JSON with a ``version``; every number is read as Decimal (no float rounding), and a
bad file raises ``WorkloadError`` with one line that names the field.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

VERSION = 1
DAYS_PER_MONTH = Decimal(30)  # a plan's month; requests_per_month is turned into a per-day figure
_SHARES = ("cacheable_share", "cache_hit_rate", "batch_share")
# Ceilings on what a file or the form may say, far above any real workload: past them a figure is a
# typo, and the arithmetic (an int of 1e999999999 tokens, a 400-digit bill) would hang the form or
# overflow the plan instead of answering.
MAX_REQUESTS_PER_DAY = Decimal(10) ** 12
MAX_TOKENS = 10**9
MAX_RATE = Decimal(100)  # retry_rate and growth_per_month: 10,000 %
MAX_FILE_BYTES = 1_000_000


class WorkloadError(ValueError):
    """A workload that cannot be used, in one line a user can act on. ``field`` names the file field
    it is about ("input_tokens.p95"; "" for the file as a whole) and ``problem`` is the rest of the
    line, so the form can say it again with the label on screen (:meth:`said_as`)."""

    def __init__(self, message: str, field: str = "", problem: str = ""):
        super().__init__(message)
        self.field = field
        self.problem = problem

    @classmethod
    def about(cls, field: str, problem: str) -> WorkloadError:
        return cls(f"{field} {problem}", field, problem)

    def said_as(self, labels: Mapping[str, str]) -> str:
        """The message with its field as ``labels`` name it (unchanged for a field not in them)."""
        label = labels.get(self.field)
        return f"{label} {self.problem}" if label else str(self)


@dataclass(frozen=True)
class Tokens:
    """Tokens per request: the median and the 95th percentile (equal for a fixed size), and the
    average when known. Prices are linear in tokens, so the expected bill is the bill at the average
    size: with a long tail that is well above the median's."""

    p50: int
    p95: int
    mean: int | None = None  # None: not known (the bill then falls back to p50, and says so)

    @classmethod
    def fixed(cls, n: int) -> Tokens:
        return cls(n, n)

    @property
    def billed(self) -> int:
        """The size a month's bill is priced at: the average, else the median."""
        return self.p50 if self.mean is None else self.mean

    @property
    def spread(self) -> bool:
        """Sizes that vary with no average given: the median then understates the bill."""
        return self.mean is None and self.p95 > self.p50

    def less(self, cut: int) -> Tokens:
        """Every request ``cut`` tokens shorter (the average too, so a move compares like with like)."""
        p50 = self.p50 - cut
        return Tokens(p50, max(self.p95 - cut, p50), None if self.mean is None else max(self.mean - cut, 0))

    def to_data(self) -> int | dict[str, int]:
        if self.mean is not None:
            return {"p50": self.p50, "p95": self.p95, "mean": self.mean}
        return self.p50 if self.p50 == self.p95 else {"p50": self.p50, "p95": self.p95}


@dataclass(frozen=True)
class Workload:
    """What runs every day. Shares are fractions (0.3 = 30 %); ``max_tokens`` is the cap sent today."""

    requests_per_day: Decimal
    input: Tokens
    output: Tokens
    reasoning: Tokens = field(default_factory=lambda: Tokens(0, 0))
    cacheable_share: Decimal = Decimal(0)  # of the input, the prefix every request shares
    cache_hit_rate: Decimal = Decimal(0)  # of the requests, those that find that prefix cached
    batch_share: Decimal = Decimal(0)  # of the requests, those that can wait for a batch API
    retry_rate: Decimal = Decimal(0)  # extra billed attempts per request (0.02 = 2 %)
    growth_per_month: Decimal = Decimal(0)
    max_tokens: int | None = None
    name: str = ""

    def __post_init__(self) -> None:
        if self.requests_per_day < 0:
            raise WorkloadError.about("requests_per_day", "cannot be negative")
        for label, tokens in (("input", self.input), ("output", self.output), ("reasoning", self.reasoning)):
            name = f"{label}_tokens"
            if tokens.p50 < 0:
                raise WorkloadError.about(f"{name}.p50", f"cannot be negative, not {tokens.p50}")
            if tokens.p95 < tokens.p50:
                raise WorkloadError.about(
                    f"{name}.p95", f"must be at least the typical (p50) size, {tokens.p50}, not {tokens.p95}"
                )
            _at_most(f"{name}.p95", tokens.p95, MAX_TOKENS)
            if tokens.mean is not None:
                if tokens.mean < 0:
                    raise WorkloadError.about(f"{name}.mean", f"cannot be negative, not {tokens.mean}")
                _at_most(f"{name}.mean", tokens.mean, MAX_TOKENS)
        for name in _SHARES:
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise WorkloadError.about(name, f"must be between 0 and 1, not {value}")
        if self.retry_rate < 0:
            raise WorkloadError.about("retry_rate", f"cannot be negative, not {self.retry_rate}")
        if self.growth_per_month <= -1:
            raise WorkloadError.about("growth_per_month", f"must be above -1, not {self.growth_per_month}")
        _at_most("retry_rate", self.retry_rate, MAX_RATE)
        _at_most("growth_per_month", self.growth_per_month, MAX_RATE)
        if self.max_tokens is not None and self.max_tokens <= 0:
            raise WorkloadError.about("max_tokens", f"must be positive, not {self.max_tokens}")

    @property
    def requests_per_month(self) -> Decimal:
        return self.requests_per_day * DAYS_PER_MONTH

    def to_data(self) -> dict[str, Any]:
        """The file's fields, in a stable order (the JSON of a saved workload, and the TOML's keys)."""
        data: dict[str, Any] = {"version": VERSION, "name": self.name}
        data["requests_per_day"] = self.requests_per_day
        data["input_tokens"] = self.input.to_data()
        data["output_tokens"] = self.output.to_data()
        data["reasoning_tokens"] = self.reasoning.to_data()
        for name in (*_SHARES, "retry_rate", "growth_per_month"):
            data[name] = getattr(self, name)
        if self.max_tokens is not None:
            data["max_tokens"] = self.max_tokens
        return data


def from_data(data: object) -> Workload:
    """A workload from a file's parsed fields (numbers as Decimal or int)."""
    if not isinstance(data, dict):
        raise WorkloadError("a workload file holds one table of fields")
    data = dict(data)
    version = data.pop("version", None)
    if version != VERSION:
        raise WorkloadError(f"version must be {VERSION}, not {version!r}")
    unknown = set(data) - _KNOWN
    if unknown:
        raise WorkloadError(f"unknown field {sorted(unknown)[0]!r} (known: {', '.join(sorted(_KNOWN))})")
    per_day, per_month = data.get("requests_per_day"), data.get("requests_per_month")
    if (per_day is None) == (per_month is None):
        raise WorkloadError("give one of requests_per_day or requests_per_month")
    if per_day is not None:
        rpd = _number("requests_per_day", per_day, MAX_REQUESTS_PER_DAY)
    else:
        rpd = _number("requests_per_month", per_month, MAX_REQUESTS_PER_DAY * DAYS_PER_MONTH) / DAYS_PER_MONTH
    if "input_tokens" not in data or "output_tokens" not in data:
        raise WorkloadError("input_tokens and output_tokens are required")
    max_tokens = data.get("max_tokens")
    name = data.get("name", "")
    if not isinstance(name, str):
        raise WorkloadError.about("name", "must be text")
    return Workload(
        rpd,
        tokens("input_tokens", data["input_tokens"]),
        tokens("output_tokens", data["output_tokens"]),
        tokens("reasoning_tokens", data.get("reasoning_tokens", 0)),
        cacheable_share=_number("cacheable_share", data.get("cacheable_share", 0)),
        cache_hit_rate=_number("cache_hit_rate", data.get("cache_hit_rate", 0)),
        batch_share=_number("batch_share", data.get("batch_share", 0)),
        retry_rate=_number("retry_rate", data.get("retry_rate", 0), MAX_RATE),
        growth_per_month=_number("growth_per_month", data.get("growth_per_month", 0), MAX_RATE),
        max_tokens=_integer("max_tokens", max_tokens) if max_tokens is not None else None,
        name=name,
    )


_KNOWN = {
    "name",
    "requests_per_day",
    "requests_per_month",
    "input_tokens",
    "output_tokens",
    "reasoning_tokens",
    *_SHARES,
    "retry_rate",
    "growth_per_month",
    "max_tokens",
}


def tokens(name: str, value: object) -> Tokens:
    """``1200`` (fixed) or ``{p50 = 1200, p95 = 3000}``, with the average if known (``mean = 1900``)."""
    if isinstance(value, dict):
        if not {"p50", "p95"} <= set(value) <= {"p50", "p95", "mean"}:
            raise WorkloadError.about(name, "must be a number or a table of p50, p95 and (if known) mean")
        mean = _count(f"{name}.mean", value["mean"]) if "mean" in value else None
        return Tokens(_count(f"{name}.p50", value["p50"]), _count(f"{name}.p95", value["p95"]), mean)
    return Tokens.fixed(_count(name, value))


def _at_most(name: str, value: Decimal | int, limit: Decimal | int) -> None:
    if value > limit:
        raise WorkloadError.about(name, f"must be at most {limit:,}, not {value}")


def _said(value: object) -> str:
    """A value as the file or the box said it: 1.5, not Decimal('1.5'); text in quotes."""
    return str(value) if isinstance(value, Decimal | int) else repr(value)


def _number(name: str, value: object, limit: Decimal | int | None = None) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise WorkloadError.about(name, f"must be a number, not {_said(value)}")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise WorkloadError.about(name, f"must be a number, not {_said(value)}") from None
    if not number.is_finite():
        raise WorkloadError.about(name, f"must be a finite number, not {_said(value)}")
    if limit is not None and not -limit <= number <= limit:  # compared before any arithmetic on it
        raise WorkloadError.about(name, f"must be at most {limit:,}, not {_said(value)}")
    return number


def _integer(name: str, value: object) -> int:
    number = _number(name, value, MAX_TOKENS)
    if number != number.to_integral_value():
        raise WorkloadError.about(name, f"must be a whole number of tokens, not {_said(value)}")
    return int(number)


def _count(name: str, value: object) -> int:
    """A token count: whole and not negative (checked here, so the message names the part)."""
    count = _integer(name, value)
    if count < 0:
        raise WorkloadError.about(name, f"cannot be negative, not {_said(value)}")
    return count


def load(path: Path) -> Workload:
    """A workload from a .toml or .json file."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:  # a workload is a dozen lines: reading a huge file only stalls
            raise WorkloadError(f"{path.name} is {size:,} bytes; a workload file is at most 1 MB")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkloadError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        if path.suffix.lower() == ".json":
            data: object = json.loads(text, parse_float=Decimal)
        else:
            data = tomllib.loads(text, parse_float=Decimal)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise WorkloadError(f"{path.name} is not valid {_kind(path)}: {exc}") from None
    try:
        return from_data(data)
    except WorkloadError as exc:
        raise WorkloadError(f"{path.name}: {exc}") from None


def dumps_json(workload: Workload) -> str:
    return json.dumps(workload.to_data(), default=str, indent=2) + "\n"


def dumps_toml(workload: Workload) -> str:
    """A small TOML by hand (the standard library reads TOML but does not write it)."""
    lines = []
    for key, value in workload.to_data().items():
        if isinstance(value, dict):
            lines.append(f"{key} = {{ {', '.join(f'{k} = {v}' for k, v in value.items())} }}")
        elif isinstance(value, str):
            lines.append(f"{key} = {_toml_string(value)}")
        elif isinstance(value, Decimal):
            lines.append(f"{key} = {value:f}")  # never "2E+4", which TOML does not read
        else:
            lines.append(f"{key} = {value}")
    return "\n".join(lines) + "\n"


def _toml_string(value: str) -> str:
    """A TOML basic string: JSON's, but with emoji as themselves (JSON's surrogate-pair escapes are not
    TOML) and DEL escaped (TOML refuses it raw)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def save(workload: Workload, path: Path) -> None:
    text = dumps_json(workload) if path.suffix.lower() == ".json" else dumps_toml(workload)
    path.write_text(text, encoding="utf-8")


def _kind(path: Path) -> str:
    return "JSON" if path.suffix.lower() == ".json" else "TOML"
