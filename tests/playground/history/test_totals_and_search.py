"""Totals of what the filters show, date presets, and search pages read from the newest matches."""

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from playground.history.calls import CallEnd, CallStart
from playground.history.filters import DatePreset, Filters, preset_days
from playground.history.records import CallStatus
from playground.llm.request import Request
from playground.pricing.money import Money
from tests.playground.history.known_history import fill

FILTERS = [
    Filters(),
    Filters(model="gpt-4o"),
    Filters(status="ok", endpoint="openai"),
    Filters(search="walrus"),
    Filters(search="otter poem", since="2026-01-10", until="2026-02-20", zone="America/Los_Angeles"),
    Filters(model="m"),  # never priced
]


def every_row(store, filters):
    rows, after = [], None
    while page := store.page(filters, after=after, limit=7):
        rows += page
        after = page[-1].cursor
    return rows


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("local", [False, True])  # True: days in the rollups' zone (read from them)
def test_totals_equal_the_sum_of_the_rows_shown(core, filters, local):
    fill(core)
    if local:
        filters = replace(filters, zone=core.general.zone_name())
    rows = every_row(core.history, filters)
    totals = core.history.totals(filters)
    assert rows, "the known history has calls for every filter"
    assert totals.calls == len(rows)
    assert totals.input_tokens == sum(r.input_tokens or 0 for r in rows)
    assert totals.output_tokens == sum(r.output_tokens or 0 for r in rows)
    assert totals.cost == Money.of_costs(r.cost_usd for r in rows if r.status != CallStatus.RUNNING)
    assert totals.running == sum(r.status == CallStatus.RUNNING for r in rows)


def test_a_running_call_is_counted_as_running_not_as_unpriced(core):
    """A call still streaming has a price, only not a final cost: 'at least $0.01 · 1 call unpriced'
    read as if a model had no price."""
    request = Request.single("openai", "gpt-4o", "hi")
    done = core.history.start_call(CallStart(request, "openai", None, {}))
    core.history.finish_call(
        done, CallEnd("ok", input_tokens=100, output_tokens=10, cost_usd=Decimal("0.01"))
    )
    core.history.start_call(CallStart(request, "openai", None, {}))
    for filters in (Filters(), Filters(zone=core.general.zone_name(), since=date.today().isoformat())):
        totals = core.history.totals(filters)
        assert (totals.calls, totals.running) == (2, 1)
        assert totals.cost == Money(Decimal("0.01")) and totals.cost.text() == "$0.01"


def test_unpriced_calls_are_counted_never_zero(core):
    fill(core)
    totals = core.history.totals(Filters(model="m"))
    assert totals.cost.priced == 0 and totals.cost.unpriced == totals.calls - totals.running > 0
    assert totals.cost.exact is None and "unpriced" in totals.cost.text()


@pytest.mark.parametrize(
    ("preset", "today", "expected"),
    [
        (DatePreset.TODAY, date(2026, 3, 31), (date(2026, 3, 31), date(2026, 3, 31))),
        (DatePreset.LAST_7, date(2026, 3, 3), (date(2026, 2, 25), date(2026, 3, 3))),
        (DatePreset.THIS_MONTH, date(2026, 2, 28), (date(2026, 2, 1), date(2026, 2, 28))),
        (DatePreset.LAST_MONTH, date(2026, 1, 15), (date(2025, 12, 1), date(2025, 12, 31))),
        (DatePreset.LAST_MONTH, date(2024, 3, 31), (date(2024, 2, 1), date(2024, 2, 29))),
        (DatePreset.ALL, date(2026, 1, 15), None),
        (DatePreset.CUSTOM, date(2026, 1, 15), None),
    ],
)
def test_presets_are_local_day_ranges(preset, today, expected):
    assert preset_days(preset, today) == expected


def test_a_preset_day_selects_the_calls_of_that_local_day(core):
    # 2026-03-02 05:00Z is still March 1 in Los Angeles: "today" there on March 1 includes it.
    when = datetime(2026, 3, 2, 5, tzinfo=UTC)
    call = core.history.start_call(
        CallStart(Request.single("e", "m", "late"), "openai", None, {}, started_at=when)
    )
    core.history.finish_call(call, CallEnd("ok"))
    first, last = preset_days(DatePreset.TODAY, date(2026, 3, 1))
    la = Filters(since=first.isoformat(), until=last.isoformat(), zone="America/Los_Angeles")
    utc = Filters(since=first.isoformat(), until=last.isoformat(), zone="UTC")
    assert [r.prompt for r in core.history.page(la)] == ["late"]
    assert core.history.page(utc) == []


def plain_page(core, filters, after, limit):
    """The page as the plain query orders it (every match read, then sorted)."""
    where, args = filters.where()
    if after is not None:
        where = f"{where} {'and' if where else 'where'} (started_at, id) < (?, ?)"
        args = [*args, *after]
    sql = f"select id from calls {where} order by started_at desc, id desc limit ?"
    return [r["id"] for r in core.storage.read().query(sql, [*args, limit])]


@pytest.mark.parametrize("imported", [False, True])
@pytest.mark.parametrize("filters", [f for f in FILTERS if f.search])
def test_search_pages_equal_the_plain_query(core, filters, imported, monkeypatch):
    from playground.history import search

    monkeypatch.setattr(search, "FIRST_K", 4)  # force the "read more matches" rounds on a small history
    fill(core, calls=300)
    if imported:  # older calls added last: rowids no longer follow time
        fill(core, calls=40, seed=9, start=datetime(2025, 12, 1, tzinfo=UTC))
    shortcut = []
    real = search.search_page
    monkeypatch.setattr(
        "playground.history.calls.search_page", lambda *a: shortcut.append(r := real(*a)) or r
    )
    after = None
    for _ in range(6):
        page = core.history.page(filters, after=after, limit=9)
        assert [r.id for r in page] == plain_page(core, filters, after, 9)
        if not page:
            break
        after = page[-1].cursor
    assert shortcut and (imported or None not in shortcut)  # time-ordered rowids: never the slow query
