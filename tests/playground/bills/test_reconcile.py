"""Billed beside recorded, per UTC day and model: the figures against known sums, and the reasons."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from playground.bills.model import Provider
from playground.pricing.money import Money

NOV1, NOV7 = date(2026, 11, 1), date(2026, 11, 7)
LATER = date(2026, 12, 1)


def table(bills, by="day", today=LATER):
    return {(r.day, r.provider, r.model): r for r in bills._reconciler.rows(NOV1, NOV7, by, today=today)}


def test_each_day_and_model_shows_billed_recorded_and_the_difference(
    history, bills, openai_admin, anthropic_admin
):
    bills.import_api(Provider.OPENAI, NOV1, NOV7, base_url=openai_admin.api_base)
    bills.import_api(Provider.ANTHROPIC, NOV1, NOV7, base_url=anthropic_admin.base_url)
    rows = table(bills)
    figures = {k: (r.billed, r.recorded, r.difference) for k, r in rows.items()}
    assert figures == {
        ("2026-11-01", "openai", "gpt-4o-mini"): (Decimal("1.50"), Money(Decimal("1.50")), Decimal(0)),
        ("2026-11-02", "openai", "gpt-4o-mini"): (Decimal("2.25"), Money(Decimal("1.00")), Decimal("1.25")),
        ("2026-11-03", "openai", "gpt-4o"): (Decimal("3.20"), Money(), Decimal("3.20")),
        ("2026-11-05", "openai", "gpt-4o-mini"): (Decimal("0.40"), Money(), Decimal("0.40")),
        ("2026-11-06", "openai", "gpt-4o-mini"): (Decimal(0), Money(Decimal("0.30")), Decimal("-0.30")),
        ("2026-11-02", "anthropic", "claude-sonnet-4"): (Decimal("4.10"), Money(Decimal("4.10")), Decimal(0)),
        ("2026-11-04", "anthropic", "claude-haiku-4-5"): (Decimal("0.35"), Money(Decimal(0), 1), None),
    }
    # The call to the local server is not OpenAI's, however it was priced.
    assert sum(r.recorded.priced for r in rows.values() if r.provider == "openai") == Decimal("2.80")
    why = {k: r.explanation for k, r in rows.items()}
    assert why[("2026-11-01", "openai", "gpt-4o-mini")] == "matches"
    assert (
        why[("2026-11-03", "openai", "gpt-4o")]
        == "$3.20 billed that this app did not record: calls made elsewhere"
    )
    assert why[("2026-11-02", "openai", "gpt-4o-mini")].startswith("$1.25 more billed than recorded")
    assert "prices differ" in why[("2026-11-06", "openai", "gpt-4o-mini")]
    assert "1 call(s) here have no price" in why[("2026-11-04", "anthropic", "claude-haiku-4-5")]


def test_the_last_day_recorded_but_not_billed_is_explained_as_lag(history, bills, openai_admin):
    bills.import_api(Provider.OPENAI, NOV1, NOV7, base_url=openai_admin.api_base)
    row = table(bills, today=date(2026, 11, 7))[("2026-11-06", "openai", "gpt-4o-mini")]
    assert row.explanation == "$0.30 recorded here but not billed yet: the provider's data lags up to a day"


def test_without_an_import_the_bill_is_unknown_never_zero(history, bills):
    rows = table(bills)
    assert rows[("2026-11-01", "openai", "gpt-4o-mini")].billed is None
    assert rows[("2026-11-01", "openai", "gpt-4o-mini")].difference is None
    assert rows[("2026-11-01", "openai", "gpt-4o-mini")].explanation == "no bill imported for this day"


def test_per_model_sums_the_days(history, bills, openai_admin):
    bills.import_api(Provider.OPENAI, NOV1, NOV7, base_url=openai_admin.api_base)
    rows = table(bills, by="model")
    mini = rows[(None, "openai", "gpt-4o-mini")]
    assert (mini.billed, mini.recorded, mini.difference) == (
        Decimal("4.15"),
        Money(Decimal("2.80")),
        Decimal("1.35"),
    )
    assert rows[(None, "anthropic", "claude-sonnet-4")].billed is None  # Anthropic's bill not imported


def sums(t):
    return t.billed, t.recorded, t.unbilled, t.difference


def test_the_totals_cover_the_billed_rows_and_count_the_rest(history, bills, openai_admin):
    from playground.bills.report import totals

    bills.import_api(Provider.OPENAI, NOV1, NOV7, base_url=openai_admin.api_base)
    rows = bills._reconciler.rows(NOV1, NOV7, "day", today=LATER)
    t = totals(rows)
    billed = [r for r in rows if r.billed is not None]
    assert (t.billed_rows, t.billed) == (len(billed), Decimal("7.35"))  # the OpenAI bill, Nov 1 to 6
    assert t.recorded == Money(Decimal("2.80")) and t.difference == Decimal("4.55")
    # Anthropic's bill is not imported: its rows are counted apart, their unknown price kept
    assert t.unbilled_rows == 2 and t.unbilled == Money(Decimal("4.10"), 1)
    per_model = bills._reconciler.rows(NOV1, NOV7, "model", today=LATER)
    assert {r.explanation for r in per_model if r.billed is None} == {"no bill imported for any of its days"}
    assert sums(totals(per_model)) == sums(t)  # the same range, by model: the same totals


def test_a_model_billed_on_some_days_keeps_its_bill_in_the_totals_by_model(history, bills):
    """One day of calls with no bill (Nov 6, past the console file's Nov 1-5) made the whole model
    unknown by model: its $4.15 of bill left the totals, which then differed from the per-day ones."""
    from pathlib import Path

    from playground.bills.report import totals

    bills.import_csv(Path(__file__).parents[2] / "data" / "bills" / "openai_costs.csv")
    by_day = totals(bills._reconciler.rows(NOV1, NOV7, "day", today=LATER))
    by_model = bills._reconciler.rows(NOV1, NOV7, "model", today=LATER)
    assert sums(totals(by_model)) == sums(by_day)
    assert by_day.billed == Decimal("7.35") and by_day.recorded == Money(Decimal("2.50"))
    mini = [r for r in by_model if r.model == "gpt-4o-mini"]
    assert [(r.billed, r.recorded) for r in mini] == [
        (Decimal("4.15"), Money(Decimal("2.50"))),  # Nov 1, 2 and 5: billed
        (None, Money(Decimal("0.30"))),  # Nov 6: no bill imported
    ]
    assert mini[1].explanation == "no bill imported for 1 of its 4 days"


def test_the_totals_sentence_matches_within_half_a_cent_and_keeps_every_digit_for_the_cli():
    from playground.bills.report import Totals, covered_text

    close = Totals(1, Decimal("0.1234"), Money(Decimal("0.1204")), 0, Money())
    assert covered_text(close).endswith("; they match.")  # as its row says, within the tolerance
    assert covered_text(close, exact=True) == (
        "Where a bill is imported: billed $0.1234, recorded here $0.1204; they match."
    )
    apart = Totals(1, Decimal("0.1234"), Money(Decimal("0.0204")), 0, Money())
    assert (
        covered_text(apart)
        == "Where a bill is imported: billed $0.123, recorded here $0.0204; difference +$0.103."
    )
