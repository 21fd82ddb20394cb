"""The consoles' CSV exports: the sample files import to known sums; a bad file imports nothing."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from playground.bills.model import BillsError

DATA = Path(__file__).parents[2] / "data" / "bills"
NOV1, NOV7 = date(2026, 11, 1), date(2026, 11, 7)


def totals(bills) -> dict[tuple[str, str, str], Decimal]:
    return {(b.day, b.provider, b.model): b.cost for b in bills.store.billed(NOV1, NOV7)}


def test_the_sample_exports_import_to_their_sums_and_reconcile(history, bills):
    openai = bills.import_csv(DATA / "openai_costs.csv")
    anthropic = bills.import_csv(DATA / "anthropic_cost.csv")
    assert (openai.providers, openai.rows, openai.total) == (("openai",), 7, Decimal("7.35"))
    assert (anthropic.providers, anthropic.total) == (("anthropic",), Decimal("4.45"))
    assert totals(bills) == {
        ("2026-11-01", "openai", "gpt-4o-mini-2024-07-18"): Decimal("1.50"),
        ("2026-11-02", "openai", "gpt-4o-mini-2024-07-18"): Decimal("2.25"),
        ("2026-11-03", "openai", "gpt-4o-2024-08-06"): Decimal("3.20"),
        ("2026-11-05", "openai", "gpt-4o-mini-2024-07-18"): Decimal("0.40"),
        ("2026-11-02", "anthropic", "claude-sonnet-4-20250514"): Decimal("4.10"),
        ("2026-11-04", "anthropic", "claude-haiku-4-5-20251001"): Decimal("0.35"),
    }
    rows = {(r.day, r.model): r for r in bills.rows(NOV1, NOV7)}
    assert rows[("2026-11-02", "gpt-4o-mini")].difference == Decimal("1.25")
    assert rows[("2026-11-02", "claude-sonnet-4")].difference == Decimal(0)
    log = bills.imports()[0]
    assert (log.source, log.file_name) == ("csv", "anthropic_cost.csv")
    # The export covers Nov 1-5: a day inside without rows was billed $0; a day after it is unknown.
    covered = bills.store.covered(NOV1, NOV7)
    assert ("openai", "2026-11-04") in covered and ("openai", "2026-11-06") not in covered
    assert rows[("2026-11-06", "gpt-4o-mini")].billed is None


def test_the_same_file_twice_counts_once(bills, tmp_path):
    bills.import_csv(DATA / "openai_costs.csv")
    bills.import_csv(DATA / "openai_costs.csv")
    assert sum(totals(bills).values()) == Decimal("7.35")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad_cost.csv", "Line 3: cost 'twelve' is not a number"),
        ("not_an_export.csv", "no column for a date or a model or a cost"),
    ],
)
def test_a_bad_file_says_why_and_imports_nothing(bills, name, message):
    with pytest.raises(BillsError, match=message):
        bills.import_csv(DATA / name)
    assert bills.store.billed(NOV1, NOV7) == [] and bills.imports() == []


def test_unreadable_files_say_so(bills, tmp_path):
    binary = tmp_path / "export.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(BillsError, match="not UTF-8"):
        bills.import_csv(binary)
    with pytest.raises(BillsError, match="Cannot read"):
        bills.import_csv(tmp_path / "missing.csv")
    empty = tmp_path / "empty.csv"
    shutil.copy(DATA / "openai_costs.csv", empty)
    empty.write_text(empty.read_text().splitlines()[0] + "\n")
    with pytest.raises(BillsError, match="no rows"):
        bills.import_csv(empty)


def test_migration_12_makes_the_bill_tables(tmp_path):
    from playground.history.db_open import connect
    from playground.history.migrations import migrate

    db = connect(tmp_path / "h.db")
    migrate(db)
    assert {"billed_costs", "billed_usage", "billed_days", "bill_imports"} <= set(db.table_names())
    assert {"day", "provider", "model", "cost_pusd"} == set(db.table("billed_costs").columns_dict)
    db.close()


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("2026-11-01,gpt-4o,1e999999,1,1", "Line 2: cost '1e999999' is out of range"),
        ("2026-11-01,gpt-4o,99999999999,1,1", "Line 2: cost '99999999999' is out of range"),
        ("2026-11-01,gpt-4o,1.00,1e30,1", "Line 2: token count '1e30' is not a whole number"),
        ("2026-11-01,gpt-4o,1.00,-7,1", "Line 2: token count '-7' is not a whole number"),
        ("2026-11-01,gpt-4o,1.00,1,5.5", "Line 2: token count '5.5' is not a whole number"),
        ("0001-01-01,gpt-4o,1.00,1,1\n9999-12-31,gpt-4o,1.00,1,1", "covers 3,652,059 days"),
    ],
)
def test_absurd_numbers_and_dates_say_which_line_and_import_nothing(bills, tmp_path, rows, message):
    export = tmp_path / "export.csv"
    export.write_text("date,model,cost_usd,input_tokens,output_tokens\n" + rows + "\n")
    with pytest.raises(BillsError, match=message):
        bills.import_csv(export)
    assert bills.imports() == []
