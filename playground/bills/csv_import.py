"""The consoles' CSV exports, for users without an admin key.

Neither console documents its export's columns (OpenAI: platform.openai.com/usage ▸ Export; Anthropic:
console ▸ Cost ▸ Export, support.anthropic.com/en/articles/9534590), so we accept a documented minimal
set, by header name (case, spaces and underscores ignored), and say which one is missing:

- the day: ``date``, ``day``, ``usage_date_utc``, ``start_time`` or ``start_time_iso`` (an ISO date or
  time, or unix seconds; read as UTC);
- the model: ``model``, ``line_item`` ("gpt-4o-2024-08-06, input") or ``description``;
- the cost in US dollars: ``cost_usd``, ``amount_value``, ``amount``, ``cost`` or ``amount_usd``; or
  in cents: ``cost_cents``; a ``currency``/``amount_currency`` column, if present, must say USD;
- optional: ``provider`` (openai/anthropic; otherwise ``claude-*`` models are Anthropic's, others
  OpenAI's), ``input_tokens`` and ``output_tokens`` (stored as billed usage).

A file is stored whole or not at all: any bad row gives a message naming its line, and nothing changes.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from playground.bills.clients import _line_item_model
from playground.bills.model import BilledCost, BilledUsage, BillsError, Provider
from playground.bills.store import BillStore

MAX_BYTES = 50 * 1024 * 1024
MAX_COST = Decimal(1_000_000)  # dollars in one cell: more is a wrong column (and would overflow the sums)
MAX_TOKENS = 10**15
MAX_DAYS = 3 * 366  # an export fills every day from its first to its last
DAY = ("date", "day", "usagedateutc", "starttime", "starttimeiso")
MODEL = ("model", "lineitem", "description")
DOLLARS = ("costusd", "amountvalue", "amount", "cost", "amountusd")
CENTS = ("costcents",)
CURRENCY = ("currency", "amountcurrency")


@dataclass(frozen=True)
class CsvResult:
    providers: tuple[str, ...]
    rows: int
    first_day: str
    last_day: str
    total: Decimal


def _norm(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def _pick(header: dict[str, int], names: tuple[str, ...]) -> int | None:
    return next((header[n] for n in names if n in header), None)


def _day(text: str, line: int) -> str:
    text = text.strip()
    try:
        if text.isdigit():
            return datetime.fromtimestamp(int(text), UTC).date().isoformat()
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        raise BillsError(f"Line {line}: {text!r} is not a date (use YYYY-MM-DD).") from None
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.date().isoformat()


def _number(text: str, line: int, what: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", "").lstrip("$") or "0")
    except InvalidOperation:
        raise BillsError(f"Line {line}: {what} {text!r} is not a number.") from None
    if not value.is_finite():
        raise BillsError(f"Line {line}: {what} {text!r} is not a number.")
    if abs(value) > MAX_COST:
        raise BillsError(f"Line {line}: {what} {text!r} is out of range (more than $1,000,000).")
    return value


def _tokens(text: str, line: int) -> int:
    value = text.strip().replace(",", "") or "0"
    if not value.isdigit() or int(value) > MAX_TOKENS:
        raise BillsError(f"Line {line}: token count {text!r} is not a whole number of tokens.")
    return int(value)


def _provider(text: str | None, model: str, line: int, given: Provider | None) -> Provider:
    if text:
        try:
            return Provider(text.strip().lower())
        except ValueError:
            raise BillsError(f"Line {line}: provider {text!r} is neither openai nor anthropic.") from None
    if given is not None:
        return given
    return Provider.ANTHROPIC if model.startswith("claude") else Provider.OPENAI


def parse(
    text: str, provider: Provider | None = None
) -> tuple[dict[Provider, list[BilledCost]], dict[Provider, list[BilledUsage]]]:
    """Rows of a console export per provider; raises BillsError naming the problem (nothing partial)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        names = next(reader)
    except StopIteration:
        raise BillsError("The file is empty.") from None
    except csv.Error as exc:
        raise BillsError(f"This is not a CSV file ({exc}).") from None
    header = {_norm(n): i for i, n in enumerate(names)}
    day_col, model_col = _pick(header, DAY), _pick(header, MODEL)
    dollars, cents = _pick(header, DOLLARS), _pick(header, CENTS)
    cost_col, scale = (dollars, Decimal(1)) if dollars is not None else (cents, Decimal(100))
    found = (("a date", day_col), ("a model", model_col), ("a cost", cost_col))
    missing = [what for what, col in found if col is None]
    if day_col is None or model_col is None or cost_col is None:
        raise BillsError(
            f"Not a console cost export: no column for {' or '.join(missing)} "
            f"(found: {', '.join(names) or 'none'}). Expected date, model and cost_usd columns."
        )
    currency, prov = _pick(header, CURRENCY), header.get("provider")
    inp, out = header.get("inputtokens"), header.get("outputtokens")
    costs: dict[Provider, list[BilledCost]] = defaultdict(list)
    usage: dict[Provider, list[BilledUsage]] = defaultdict(list)
    try:
        for line, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < len(names):
                raise BillsError(f"Line {line}: {len(row)} cells, the header has {len(names)}.")
            if currency is not None and row[currency].strip() and row[currency].strip().upper() != "USD":
                raise BillsError(f"Line {line}: the cost is in {row[currency]}; only USD is supported.")
            day = _day(row[day_col], line)
            model = (
                _line_item_model(row[model_col])
                if model_col == header.get("lineitem")
                else row[model_col].strip() or "(other)"
            )
            cost = _number(row[cost_col], line, "cost") / scale
            who = _provider(row[prov] if prov is not None else None, model, line, provider)
            costs[who].append(BilledCost(day, model, cost))
            if inp is not None or out is not None:
                tokens = [_tokens(row[c], line) if c is not None else 0 for c in (inp, out)]
                usage[who].append(BilledUsage(day, model, tokens[0], 0, tokens[1], None))
    except csv.Error as exc:
        raise BillsError(f"This is not a readable CSV file ({exc}).") from None
    if not costs:
        raise BillsError("The file has a header but no rows.")
    days = sorted({c.day for rows in costs.values() for c in rows})
    span = (date.fromisoformat(days[-1]) - date.fromisoformat(days[0])).days + 1
    if span > MAX_DAYS:
        raise BillsError(
            f"The file covers {span:,} days ({days[0]} to {days[-1]}); an export covers at most "
            f"{MAX_DAYS:,}. Check its dates."
        )
    return dict(costs), dict(usage)


def import_csv(store: BillStore, path: Path, provider: Provider | None = None) -> CsvResult:
    """Read, check and store one export; the days it covers replace what was there for its providers."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise BillsError(f"{path.name} is larger than 50 MB; is it a console export?")
        raw = path.read_bytes()
    except OSError as exc:
        raise BillsError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BillsError(f"{path.name} is not UTF-8 text; is it a CSV export?") from None
    costs, usage = parse(text, provider)
    for who, rows in costs.items():
        store.replace_file(who, (c.day for c in rows), rows, usage.get(who, ()), path.name)
    days = sorted({c.day for rows in costs.values() for c in rows})
    total = sum((c.cost for rows in costs.values() for c in rows), Decimal(0))
    return CsvResult(
        tuple(sorted(p.value for p in costs)), sum(map(len, costs.values())), days[0], days[-1], total
    )
