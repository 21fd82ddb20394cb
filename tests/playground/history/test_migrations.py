import sqlite3

from playground.history.calls import HistoryStore
from playground.history.migrations import migrate, migrations
from playground.history.storage import Storage, connect


def columns(db, table):
    return {c.name for c in db[table].columns}


def test_fresh_database_gets_every_table_and_column(tmp_path):
    db = connect(tmp_path / "h.db")
    migrate(db)
    assert {"calls", "calls_fts", "endpoints", "price_overrides"} <= set(db.table_names())
    assert {
        "status",
        "cost_usd",
        "price_source",
        "ttft_ms",
        "group_id",
        "input_estimated",
        "cache_read_tokens",
        "reasoning",
    } <= columns(db, "calls")
    assert [m.name for m in migrations.applied(db)] == [
        "m001_calls",
        "m002_calls_search",
        "m003_endpoints_and_prices",
        "m004_votes",
        "m005_compare_position",
        "m006_rollups",
        "m007_call_uid",
        "m008_settings",
        "m009_local_days",
        "m010_conversation",
        "m011_endpoint_key_env",
        "m012_bills",
        "m013_rollup_cached_reasoning",
        "m014_eval_runs",
        "m015_prompts",
        "m016_images",
        "m017_eval_grades",
        "m018_cache_index",
        "m019_not_billed_tokens",
        "m020_rollup_speed_and_nearest_rank",
        "m021_rollup_estimated_costs",
    ]
    assert "key_env" in columns(db, "endpoints")
    assert {"calls", "calls_fts", "endpoints", "price_overrides", "votes"} <= set(db.table_names())
    migrate(db)  # running again changes nothing
    assert len(migrations.applied(db)) == 21


def test_upgrade_from_the_first_version_keeps_rows_and_indexes_them(tmp_path):
    path = tmp_path / "old.db"
    db = connect(path)
    migrations.apply(db, stop_before="m002_calls_search")
    db["calls"].insert(
        {
            "started_at": "2025-01-01T00:00:00",
            "model": "gpt-4o",
            "prompt": "ancient walrus",
            "output": "",
            "status": "ok",
        }
    )
    db.conn.commit()
    db.conn.close()

    storage = Storage(path)
    history = HistoryStore(storage)
    assert [r.model for r in history.recent(search="walrus")] == ["gpt-4o"]
    storage.close()


def test_m013_counts_the_cached_and_reasoning_tokens_of_calls_made_before_it(tmp_path):
    path = tmp_path / "old.db"
    db = connect(path)
    migrations.apply(db, stop_before="m013_rollup_cached_reasoning")
    calls = [  # (UTC noon of the day, model, cached input, reasoning); the zone is UTC from m009 on here
        ("2026-03-01", "o3", 100, 40),
        ("2026-03-01", "o3", 5, 7),
        ("2026-03-01", "gpt-4o", 30, None),
        ("2026-03-02", "o3", None, 11),
    ]
    for day, model, cached, reasoning in calls:
        db["calls"].insert(
            {
                "started_at": f"{day}T12:00:00.000+00:00",
                "endpoint": "e",
                "model": model,
                "status": "ok",
                "cache_read_tokens": cached,
                "reasoning_tokens": reasoning,
            }
        )
    db.conn.commit()
    db.conn.close()

    db = connect(path)
    assert migrate(db) == []
    got = {
        (r["model"], r["c"], r["r"])
        for r in db.query(
            "select model, sum(cached_tokens) c, sum(reasoning_tokens) r, sum(calls) n from daily_stats"
            " group by model"
        )
    }
    assert got == {("o3", 105, 58), ("gpt-4o", 30, 0)}
    per_day = {r["day"]: r["n"] for r in db.query("select day, sum(calls) n from daily_stats group by day")}
    assert sum(per_day.values()) == len(calls)  # every call counted once, on its day
    db.conn.close()


def test_a_damaged_database_is_kept_aside_and_a_new_one_started(tmp_path):
    path = tmp_path / "history.db"
    path.write_bytes(b"this is not a sqlite database at all" * 100)
    storage = Storage(path)
    assert storage.warning and "kept as" in storage.warning
    kept = [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    assert kept and kept[0].read_bytes().startswith(b"this is not")
    assert HistoryStore(storage).count() == 0
    storage.close()
    assert sqlite3.connect(path).execute("pragma journal_mode").fetchone()[0] == "wal"


def test_m019_clears_the_estimated_tokens_of_calls_that_were_not_billed(tmp_path):
    """Such a call held an estimate of its prompt, summed into the token totals; nothing was billed."""
    from playground.history.rollups import rebuild
    from playground.llm.call_log import NOT_BILLED

    path = tmp_path / "old.db"
    db = connect(path)
    migrations.apply(db, stop_before="m019_not_billed_tokens")
    calls = [  # (UTC noon of the day, input, output, estimated, price source)
        ("2026-03-01", 120, 30, 0, "genai-prices"),
        ("2026-03-01", 8, 0, 1, NOT_BILLED.source),
        ("2026-03-02", 9, 0, 1, NOT_BILLED.source),
        ("2026-03-02", 50, 5, 1, "genai-prices (estimated)"),  # a cut stream: estimated, and billed
    ]
    for day, tin, tout, estimated, source in calls:
        db["calls"].insert(
            {
                "started_at": f"{day}T12:00:00.000+00:00",
                "endpoint": "e",
                "model": "gpt-4o",
                "status": "error" if source == NOT_BILLED.source else "ok",
                "input_tokens": tin,
                "output_tokens": tout,
                "input_estimated": estimated,
                "output_estimated": estimated,
                "price_source": source,
            }
        )
    rebuild(db)  # the rollups as the old version kept them
    db.conn.commit()
    db.conn.close()

    db = connect(path)
    assert migrate(db) == []
    per_day = {
        r["day"]: (r["n"], r["i"], r["o"])
        for r in db.query(
            "select day, sum(calls) n, sum(input_tokens) i, sum(output_tokens) o"
            " from daily_stats group by day"
        )
    }
    assert per_day == {"2026-03-01": (2, 120, 30), "2026-03-02": (2, 50, 5)}  # calls still counted
    rows = list(db.query("select input_tokens, input_estimated from calls order by id"))
    assert [(r["input_tokens"], r["input_estimated"]) for r in rows] == [(120, 0), (0, 0), (0, 0), (50, 1)]
    db.conn.close()


def test_m020_sums_the_speed_of_calls_made_before_it_and_sets_their_percentiles_by_nearest_rank(tmp_path):
    """Tokens per second after the first token, over the calls that produced output; each day's p95 by
    nearest rank. The migration fills the rows it finds as a recount would."""
    from playground.history.rollups import bucket, percentile_bucket, rebuild

    path = tmp_path / "old.db"
    db = connect(path)
    migrations.apply(db, stop_before="m020_rollup_speed_and_nearest_rank")
    calls = [  # (UTC noon of the day, endpoint, status, output tokens, duration ms, first token ms)
        ("2026-03-01", "e", "ok", 100, 2000.0, 500.0),
        ("2026-03-01", "e", "ok", 200, 3000.0, 600.0),
        ("2026-03-01", "e", "error", 0, 30000.0, None),
        ("2026-03-01", None, "ok", 50, 700.0, 200.0),  # no endpoint name
        ("2026-03-02", "e", "error", 0, 5000.0, None),
        ("2026-03-02", "e", "ok", 10, None, None),  # untimed
    ]
    for day, endpoint, status, tout, ms, ttft in calls:
        db["calls"].insert(
            {
                "started_at": f"{day}T12:00:00.000+00:00",
                "endpoint": endpoint,
                "model": "gpt-4o",
                "status": status,
                "output_tokens": tout,
                "duration_ms": ms,
                "ttft_ms": ttft,
            }
        )
    rebuild(db)  # the rollups and percentiles as the old version kept them
    db.conn.commit()
    db.conn.close()

    db = connect(path)
    assert migrate(db) == []
    got = {
        (r["day"], r["endpoint"]): (r["speed_tokens"], r["speed_ms_sum"])
        for r in db.query("select day, endpoint, speed_tokens, speed_ms_sum from daily_stats")
    }
    assert got == {
        ("2026-03-01", "e"): (300, 1500.0 + 2400.0),
        ("2026-03-01", None): (50, 500.0),
        ("2026-03-02", "e"): (0, 0.0),
    }
    durations = {"2026-03-01": [2000.0, 3000.0, 700.0]}  # the OK timed calls' own durations
    (p50, p95) = db.execute(
        "select p50, p95 from daily_percentiles where day = '2026-03-01' and metric = 'duration_ms'"
    ).fetchone()
    assert p95 == bucket(max(durations["2026-03-01"]))  # the nearest-rank p95 of 3 values: the largest
    assert p50 == bucket(2000.0) == percentile_bucket({bucket(v): 1 for v in durations["2026-03-01"]}, 0.5)
    before = sorted(db.execute("select * from daily_stats").fetchall(), key=repr)
    percentiles = sorted(db.execute("select * from daily_percentiles").fetchall(), key=repr)
    rebuild(db)
    assert sorted(db.execute("select * from daily_stats").fetchall(), key=repr) == before
    assert sorted(db.execute("select * from daily_percentiles").fetchall(), key=repr) == percentiles
    db.conn.close()
