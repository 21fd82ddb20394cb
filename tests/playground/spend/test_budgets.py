from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from playground.cli.entry import main
from playground.history.calls import CallEnd, CallStart
from playground.llm.errors import PlaygroundError
from playground.llm.request import Request
from playground.pricing.money import Money
from playground.spend.budgets import Budgets


def spend(core, day: str, cost: str | None, hour: str = "09:00") -> None:
    when = datetime.fromisoformat(f"{day}T{hour}:00").replace(tzinfo=UTC)
    call = core.history.start_call(
        CallStart(Request.single("e", "m", "p"), "openai", None, {}, started_at=when)
    )
    core.history.finish_call(call, CallEnd("ok", cost_usd=None if cost is None else Decimal(cost)))


def test_status_counts_today_and_the_month_and_says_what_is_crossed(core):
    spend(core, "2026-11-01", "3.00")
    spend(core, "2026-11-05", "1.50")
    spend(core, "2026-11-05", "0.75")
    core.budgets.set(Budgets(daily=Decimal("2"), monthly=Decimal("10")))
    status = core.budgets.status(date(2026, 11, 5))
    assert status.today == Money(Decimal("2.25")) and status.month == Money(Decimal("5.25"))
    assert len(status.crossed) == 1 and "daily budget of $2.00" in status.crossed[0]
    assert "monthly" in status.warning_for(Decimal("5")) or "daily" in status.warning_for(Decimal("5"))
    core.budgets.set(Budgets(daily=None, monthly=Decimal("10")))
    status = core.budgets.status(date(2026, 11, 5))
    assert status.warning_for(Decimal("1")) is None
    assert "monthly budget" in status.warning_for(Decimal("5"))
    assert "unknown" in status.warning_for(None)


def test_unpriced_calls_make_the_status_at_least(core, capsys):
    spend(core, "2026-11-05", "2.50")
    spend(core, "2026-11-05", None)
    core.budgets.set(Budgets(daily=Decimal("2"), monthly=Decimal("10")))
    status = core.budgets.status(date(2026, 11, 5))
    assert status.today == Money(Decimal("2.50"), 1)
    assert status.crossed == [
        "Today's spend at least $2.50 · 1 call unpriced is over the daily budget of $2.00."
    ]
    assert "with at least $2.50 · 1 call unpriced spent" in status.warning_for(Decimal("8"))


def test_a_budget_must_be_positive(core):
    with pytest.raises(PlaygroundError):
        core.budgets.set(Budgets(daily=Decimal("0")))


def test_cli_sets_and_shows_budgets(capsys):
    assert main(["budget", "--daily", "5", "--monthly", "$50"]) == 0
    out = capsys.readouterr().out
    assert "of $5.00" in out and "of $50.00" in out
    assert main(["budget", "--clear"]) == 0
    assert "no daily budget" in capsys.readouterr().out


def test_cli_spend_shows_the_unpriced_calls_in_text_and_csv(core, capsys):
    spend(core, "2026-11-05", "2.50")
    spend(core, "2026-11-05", None)
    assert main(["spend", "--by", "day"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "at least $2.50 · 1 call unpriced" in out[0]
    assert out[-2].startswith("total") and "at least $2.50 · 1 call unpriced" in out[-2]
    assert out[-1].startswith("(days are local days in ")
    assert main(["spend", "--by", "model", "--csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].endswith("cost_usd,unpriced_calls,estimated_cost_usd") and rows[1] == "m,2,0,0,0,2.5,1,0"
    spend(core, "2026-11-06", None)
    assert main(["spend", "--by", "day", "--csv", "--since", "2026-11-06"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "2026-11-06,1,0,0,0,,1,"  # empty, not 0
