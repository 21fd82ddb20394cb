"""Daily and monthly budgets: where spend stands, and whether a call could cross one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlite_utils import Database

from playground.formatting import usd
from playground.history.storage import OfflineStorage, Storage
from playground.llm.errors import ErrorKind, PlaygroundError
from playground.pricing.money import Money
from playground.spend.reports import Reports


@dataclass(frozen=True)
class Budgets:
    daily: Decimal | None = None
    monthly: Decimal | None = None


@dataclass(frozen=True)
class BudgetStatus:
    budgets: Budgets
    today: Money  # the user's local day
    month: Money  # the user's local month so far

    @property
    def crossed(self) -> list[str]:
        """Plain-words lines for each budget already crossed (for a banner); unpriced calls say 'at least'."""
        out = []
        for what, name, limit, spent in (
            ("Today's", "daily", self.budgets.daily, self.today),
            ("This month's", "monthly", self.budgets.monthly, self.month),
        ):
            if limit is not None and spent.at_least(limit):
                out.append(f"{what} spend {spent.text()} is over the {name} budget of {usd(limit)}.")
        return out

    def warning_for(self, worst_case: Decimal | None, what: str = "call") -> str | None:
        """Why a ``what`` ("call", "comparison") whose worst case is ``worst_case`` could cross a budget
        (None: it cannot)."""
        for name, limit, spent in (
            ("daily", self.budgets.daily, self.today),
            ("monthly", self.budgets.monthly, self.month),
        ):
            if limit is None:
                continue
            if spent.at_least(limit):  # already crossed: saying 'could' would understate it
                more = "has no known price" if worst_case is None else f"adds up to {usd(worst_case)} more"
                return (
                    f"The {name} budget of {usd(limit)} is over already (with {spent.text()} spent); "
                    f"this {what} {more}."
                )
            if worst_case is None:
                return f"This {what}'s price is unknown, so it could cross the {name} budget of {usd(limit)}."
            if spent.priced + worst_case > limit:
                return (
                    f"At worst this {what} costs {usd(worst_case)}: with {spent.text()} spent it could cross "
                    f"the {name} budget of {usd(limit)}."
                )
        return None


class BudgetStore:
    def __init__(self, storage: Storage | OfflineStorage, reports: Reports):
        self._storage = storage
        self._reports = reports

    def get(self) -> Budgets:
        rows = {r["key"]: r["value"] for r in self._storage.read().query("select key, value from settings")}
        return Budgets(_dec(rows.get("budget.daily")), _dec(rows.get("budget.monthly")))

    def set(self, budgets: Budgets) -> None:
        for value in (budgets.daily, budgets.monthly):
            if value is not None and value <= 0:
                raise PlaygroundError.of(ErrorKind.BAD_REQUEST, "A budget must be more than $0 (or cleared).")

        def write(db: Database) -> None:
            for key, value in (("budget.daily", budgets.daily), ("budget.monthly", budgets.monthly)):
                if value is None:
                    db.execute("delete from settings where key = ?", [key])
                else:
                    db.table("settings").upsert({"key": key, "value": str(value)}, pk="key")

        self._storage.writer.call(write)

    def status(self, today: date | None = None) -> BudgetStatus:
        """Spend of the local ``today`` (default: today in the user's zone) and of its month."""
        today = today or self._reports.clock.today()
        day = self._reports.spend(today, today, period="day", by=None)
        month = self._reports.spend(today.replace(day=1), today, period="month", by=None)
        return BudgetStatus(self.get(), Money.sum(r.cost for r in day), Money.sum(r.cost for r in month))


def parse_budget(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().lstrip("$"))
    except InvalidOperation:
        raise PlaygroundError.of(
            ErrorKind.BAD_REQUEST, f"A budget is an amount in USD, not {text!r}."
        ) from None
    return value


def _dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)
