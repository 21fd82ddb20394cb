from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from playground.budgets import Budgets
from playground.cli import main
from playground.errors import PlaygroundError
from playground.history import CallEnd, CallStart
from playground.request import Request


def spend(core, day: str, cost: str) -> None:
    when = datetime.fromisoformat(f"{day}T09:00:00").replace(tzinfo=UTC)
    call = core.history.start_call(
        CallStart(Request.single("e", "m", "p"), "openai", None, {}, started_at=when)
    )
    core.history.finish_call(call, CallEnd("ok", cost_usd=Decimal(cost)))


def test_status_counts_today_and_the_month_and_says_what_is_crossed(core):
    spend(core, "2026-11-01", "3.00")
    spend(core, "2026-11-05", "1.50")
    spend(core, "2026-11-05", "0.75")
    core.budgets.set(Budgets(daily=Decimal("2"), monthly=Decimal("10")))
    status = core.budgets.status(date(2026, 11, 5))
    assert status.today == Decimal("2.25") and status.month == Decimal("5.25")
    assert len(status.crossed) == 1 and "daily budget of $2.00" in status.crossed[0]
    assert "monthly" in status.warning_for(Decimal("5")) or "daily" in status.warning_for(Decimal("5"))
    core.budgets.set(Budgets(daily=None, monthly=Decimal("10")))
    status = core.budgets.status(date(2026, 11, 5))
    assert status.warning_for(Decimal("1")) is None
    assert "monthly budget" in status.warning_for(Decimal("5"))
    assert "unknown" in status.warning_for(None)


def test_a_budget_must_be_positive(core):
    with pytest.raises(PlaygroundError):
        core.budgets.set(Budgets(daily=Decimal("0")))


def test_cli_sets_and_shows_budgets(capsys):
    assert main(["budget", "--daily", "5", "--monthly", "$50"]) == 0
    out = capsys.readouterr().out
    assert "of $5.00" in out and "of $50.00" in out
    assert main(["budget", "--clear"]) == 0
    assert "no daily budget" in capsys.readouterr().out
