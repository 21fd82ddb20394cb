"""Estimated costs (a stopped call, a cut stream, a row priced after a crash) are summed apart in the
rollups and the History totals, so a total says how much of it is our estimate."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from playground.history.calls import CallEnd, CallStart
from playground.history.filters import Filters
from playground.history.migrations import migrate, migrations
from playground.history.rollups import from_pico, rebuild, to_pico
from playground.history.storage import connect
from playground.llm.request import Request
from playground.pricing.money import Money

# (hours after the first call, model, status, cost or None, cost estimated)
KNOWN = [
    (0, "gpt-4o", "ok", "1.50", False),
    (1, "gpt-4o", "ok", "1.80", False),
    (2, "gpt-4o", "cancelled", "0.05", True),  # stopped: priced from counted tokens
    (3, "claude-haiku-4-5", "error", "0.0125", True),  # a stream cut off
    (4, "m", "ok", None, False),
    (5, "m", "ok", None, False),
]


def write_known(core, start: datetime) -> None:
    for hours, model, status, cost, estimated in KNOWN:
        call = core.history.start_call(
            CallStart(
                Request.single("e", model, "p"), "openai", None, {}, started_at=start + timedelta(hours=hours)
            )
        )
        core.history.finish_call(
            call,
            CallEnd(
                status,
                input_tokens=100,
                output_tokens=10,
                cost_usd=None if cost is None else Decimal(cost),
                cost_estimated=estimated,
            ),
        )


def expected() -> Money:
    priced = sum((Decimal(c) for _, _, _, c, _ in KNOWN if c is not None), Decimal(0))
    estimated = sum((Decimal(c) for _, _, _, c, e in KNOWN if e), Decimal(0))
    unpriced = sum(c is None for _, _, _, c, _ in KNOWN)
    return Money(priced, unpriced, estimated)


def test_history_totals_say_how_much_is_estimated(core):
    start = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0) - timedelta(days=1)
    write_known(core, start)
    local = core.general.zone_name()
    known = expected()
    assert known == Money(Decimal("3.3625"), 2, Decimal("0.0625"))
    for filters in (Filters(), Filters(zone=local, since=(date.today() - timedelta(days=3)).isoformat())):
        totals = core.history.totals(filters)  # the calls themselves, then the daily rollups
        assert totals.cost == known, filters
        assert totals.cost.text() == "at least $3.36 (~$0.0625 estimated) · 2 calls unpriced"


def test_the_rollups_keep_the_estimated_part_as_a_recount_does(core):
    write_known(core, datetime(2026, 3, 1, 9, tzinfo=UTC))

    def read(db):
        return db.execute("select sum(estimated_pusd), sum(estimated_calls) from daily_stats").fetchone()

    pusd, calls = core.storage.writer.call(read)
    assert (from_pico(pusd), calls) == (Decimal("0.0625"), 2)

    def recount(db):
        rebuild(db)
        return read(db)

    assert core.storage.writer.call(recount) == (to_pico("0.0625"), 2)


def test_m021_fills_the_estimated_part_of_days_counted_before_it(tmp_path):
    path = tmp_path / "old.db"
    db = connect(path)
    migrations.apply(db, stop_before="m021_rollup_estimated_costs")
    for hours, model, status, cost, estimated in KNOWN:
        db["calls"].insert(
            {
                "started_at": (datetime(2026, 3, 1, 9, tzinfo=UTC) + timedelta(hours=hours)).isoformat(),
                "endpoint": "e",
                "model": model,
                "status": status,
                "cost_usd": cost,
                "cost_pusd": to_pico(cost),
                "cost_estimated": int(estimated),
            }
        )
    rebuild(db)
    db.conn.commit()
    db.conn.close()

    db = connect(path)
    assert migrate(db) == []
    got = db.execute("select sum(estimated_pusd), sum(estimated_calls) from daily_stats").fetchone()
    assert (from_pico(got[0]), got[1]) == (Decimal("0.0625"), 2)
    before = sorted(db.execute("select * from daily_stats").fetchall(), key=repr)
    rebuild(db)
    assert sorted(db.execute("select * from daily_stats").fetchall(), key=repr) == before
    db.conn.close()
