"""Numbered schema migrations for the history database; applied names are recorded by sqlite-utils."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from playground.history.filters import USES_CACHE

migrations = Migrations("llm-playground")


@migrations()
def m001_calls(db: Database) -> None:
    db.table("calls").create(
        {
            "id": int,
            "started_at": str,
            "ended_at": str,
            "endpoint": str,
            "api": str,
            "base_url": str,
            "model": str,
            "params": str,
            "system": str,
            "messages": str,
            "prompt": str,
            "output": str,
            "reasoning": str,
            "finish_reason": str,
            "status": str,
            "error_kind": str,
            "error_message": str,
            "input_tokens": int,
            "input_estimated": int,
            "output_tokens": int,
            "output_estimated": int,
            "cache_read_tokens": int,
            "cache_write_tokens": int,
            "reasoning_tokens": int,
            "cost_usd": str,
            "cost_input_usd": str,
            "cost_output_usd": str,
            "cost_estimated": int,
            "price_source": str,
            "ttft_ms": float,
            "duration_ms": float,
            "tokens_per_s": float,
            "group_id": str,
            "tag": str,
            "retries": int,
            "pid": int,
        },
        pk="id",
    )
    db.table("calls").create_index(["started_at"])
    db.table("calls").create_index(["model", "started_at"])
    db.table("calls").create_index(["status"])
    db.table("calls").create_index(["group_id"])


@migrations()
def m002_calls_search(db: Database) -> None:
    """Full-text search over prompts and outputs, kept current by triggers."""
    db.table("calls").enable_fts(["prompt", "output"], create_triggers=True, tokenize="unicode61")


@migrations()
def m003_endpoints_and_prices(db: Database) -> None:
    db.table("endpoints").create(
        {"name": str, "api": str, "base_url": str, "key_name": str, "price_as": str}, pk="name"
    )
    db.table("price_overrides").create(
        {
            "endpoint": str,
            "model": str,
            "input_mtok": str,
            "output_mtok": str,
            "cache_read_mtok": str,
            "cache_write_mtok": str,
        },
        pk=("endpoint", "model"),
    )


@migrations()
def m004_votes(db: Database) -> None:
    """Blind-comparison votes: which of the candidates won."""
    db.table("votes").create(
        {"id": int, "created_at": str, "group_id": str, "winner": str, "candidates": str}, pk="id"
    )


@migrations()
def m005_compare_position(db: Database) -> None:
    """Which column and repeat of a comparison a call was, so a reopened comparison keeps its order."""
    db.table("calls").add_column("compare_column", int)
    db.table("calls").add_column("compare_repeat", int)


@migrations()
def m006_rollups(db: Database) -> None:
    """Exact integer costs and daily totals, so spend and latency charts never scan every call."""
    from playground.history.rollups import rebuild, to_pico

    db.table("calls").add_column("cost_pusd", int)
    rows = list(db.query("select id, cost_usd from calls where cost_usd is not null"))
    for row in rows:
        db.execute("update calls set cost_pusd = ? where id = ?", [to_pico(row["cost_usd"]), row["id"]])
    db.execute(
        "create table daily_stats (day text, endpoint text, model text, calls integer, ok integer,"
        " errors integer, input_tokens integer, output_tokens integer, cost_pusd integer, unpriced integer,"
        " duration_ms_sum real, timed_calls integer, primary key (day, endpoint, model))"
    )
    db.execute(
        "create table daily_latency (day text, model text, metric text, bucket integer, count integer,"
        " primary key (day, model, metric, bucket))"
    )
    db.table("calls").create_index(["endpoint", "started_at"])
    db.table("calls").create_index(["tag"])
    rebuild(db)


@migrations()
def m007_call_uid(db: Database) -> None:
    """A stable id per call, so exports re-imported (ours or llm's) never duplicate a call."""
    import uuid

    db.table("calls").add_column("uid", str)
    for row in list(db.query("select id from calls")):
        db.execute("update calls set uid = ? where id = ?", [uuid.uuid4().hex, row["id"]])
    db.table("calls").create_index(["uid"], unique=True)


@migrations()
def m008_settings(db: Database) -> None:
    """Small app settings that belong with the history (budgets); never keys."""
    db.table("settings").create({"key": str, "value": str}, pk="key")


@migrations()
def m009_local_days(db: Database) -> None:
    """Daily rollups per local day (they were per UTC day), unknown costs counted apart from $0; and
    the one-hour part of a call's cache writes, which is billed at its own rate."""
    from playground.history.localtime import wanted_zone
    from playground.history.rollups import rebuild

    db.table("calls").add_column("cache_write_1h_tokens", int)
    rebuild(db, wanted_zone(db))


@migrations()
def m010_conversation(db: Database) -> None:
    """Each turn of a Playground conversation names its conversation, so history can reopen it whole."""
    db.table("calls").add_column("conversation_id", str)
    db.table("calls").create_index(["conversation_id"], if_not_exists=True)


@migrations()
def m011_endpoint_key_env(db: Database) -> None:
    """An endpoint may name the environment variable its key is read from when none is saved."""
    db.table("endpoints").add_column("key_env", str)


@migrations()
def m012_bills(db: Database) -> None:
    """The providers' own bills (imported from their admin APIs or console CSVs), per UTC day and
    model, beside which days each import covered; kept apart from the calls so re-imports replace."""
    db.execute(
        "create table billed_costs (day text, provider text, model text, cost_pusd integer,"
        " primary key (day, provider, model))"
    )
    db.execute(
        "create table billed_usage (day text, provider text, model text, input_tokens integer,"
        " cached_input_tokens integer, output_tokens integer, requests integer,"
        " primary key (day, provider, model))"
    )
    db.execute(
        "create table billed_days (day text, provider text, kind text, import_id integer,"
        " primary key (day, provider, kind))"
    )
    db.execute(
        "create table bill_imports (id integer primary key, provider text, first_day text, last_day text,"
        " fetched_at text, source text, file_name text, status text, costs_done text, usage_done text)"
    )


@migrations()
def m013_rollup_cached_reasoning(db: Database) -> None:
    """Cached input and reasoning tokens in the daily rollups, so the per-model table needs no second
    pass over the calls; the latency histograms per month, and each day's median and 95th percentile,
    so a year's percentiles read a few thousand rows. Filled by one recount, then kept by the same code
    as the other sums."""
    from playground.history.rollups import rebuild

    db.execute("alter table daily_stats add column cached_tokens integer not null default 0")
    db.execute("alter table daily_stats add column reasoning_tokens integer not null default 0")
    db.execute(
        "create table monthly_latency (month text, model text, metric text, bucket integer, count integer,"
        " primary key (month, model, metric, bucket))"
    )
    db.execute(
        "create table daily_percentiles (day text, model text, metric text, p50 integer, p95 integer,"
        " primary key (day, model, metric))"
    )
    rebuild(db)


@migrations()
def m014_eval_runs(db: Database) -> None:
    """Evaluation runs, and each finished cell (case x column x repeat) linked to its call: a resumed
    run skips the cells found here, and the calls carry the run's id as their group."""
    db.execute(
        "create table eval_runs (id text primary key, suite text, fingerprint text, columns text,"
        " started_at text, status text)"
    )
    db.execute(
        "create table eval_cells (run_id text, case_index integer, column_index integer, repeat integer,"
        " call_id integer, status text, passed integer, outcomes text, cost_usd text, ttft_ms real,"
        " duration_ms real, primary key (run_id, case_index, column_index, repeat))"
    )


@migrations()
def m015_prompts(db: Database) -> None:
    """The prompt library: named prompts, their numbered versions, and which version a call ran
    (a link table keyed by the call's uid, so the calls table stays as it is)."""
    db.execute("create table prompts (id integer primary key, name text unique not null, created_at text)")
    db.execute(
        "create table prompt_versions (id integer primary key, prompt_id integer not null, version integer"
        " not null, note text, created_at text, system text, messages text, params text, endpoint text,"
        " model text, unique (prompt_id, version))"
    )
    db.execute("create table prompt_calls (call_uid text primary key, version_id integer not null)")
    db.execute("create index prompt_calls_version on prompt_calls (version_id)")


@migrations()
def m016_images(db: Database) -> None:
    """Images attached to prompts, once per content (sha256): messages keep only the reference, so a
    reopened call gets its images back and a re-sent image is not stored twice."""
    db.execute(
        "create table images (sha256 text primary key, media_type text not null, width integer,"
        " height integer, size_bytes integer, data blob not null, stored_at text)"
    )


@migrations()
def m017_eval_grades(db: Database) -> None:
    """Human grades of evaluation cells (pass/fail or a 1-5 score, with a comment): one per cell, the
    latest kept, so a regrade replaces it."""
    db.execute(
        "create table eval_grades (run_id text, case_index integer, column_index integer, repeat integer,"
        " grade text, comment text, at text, primary key (run_id, case_index, column_index, repeat))"
    )


@migrations()
def m018_cache_index(db: Database) -> None:
    """The calls that used the prompt cache, indexed apart: History's and Spend's cache figures read
    them grouped by model (a scan of every call took 1.1-1.7 s on a million). The WHERE must stay the
    text of ``Filters.where``'s cache clause, or SQLite cannot use the index."""
    db.execute(
        "create index if not exists idx_calls_cache on calls (endpoint, model, started_at, input_tokens,"
        f" cache_read_tokens, cache_write_tokens, cache_write_1h_tokens) where {USES_CACHE}"
    )


@migrations()
def m019_not_billed_tokens(db: Database) -> None:
    """A call that failed before any output was recorded with an estimate of its prompt's tokens,
    which the token totals of History and Spend then summed. Nothing was billed, so it holds none:
    its tokens are cleared and its days recounted. The source text is the one those rows carry."""
    from playground.history.rollups import rebuild_days

    where = (
        "where price_source = 'not billed: the call failed before any output'"
        " and (input_tokens > 0 or output_tokens > 0)"
    )
    days = [r[0] for r in db.execute(f"select distinct substr(started_at, 1, 10) from calls {where}")]
    if not days:
        return
    db.execute(
        "update calls set input_tokens = 0, output_tokens = 0, input_estimated = 0,"
        f" output_estimated = 0 {where}"
    )
    rebuild_days(db, days)


@migrations()
def m020_rollup_speed_and_nearest_rank(db: Database) -> None:
    """Tokens per second as Playground, Compare and History show it per call: the output tokens and the
    time after the first token of the calls that produced output, summed per day (Spend divided all
    output by all call time, first tokens and failed calls included). And each day's percentiles by
    nearest rank (the p95 of 700 and 800 ms was the 700's bucket). Filled per daily row, not by a
    recount (~1 s of CPU on a million calls, a recount ~18 s)."""
    from playground.history.rollups import fill_speed_and_percentiles

    db.execute("alter table daily_stats add column speed_tokens integer not null default 0")
    db.execute("alter table daily_stats add column speed_ms_sum real not null default 0")
    fill_speed_and_percentiles(db)


@migrations()
def m021_rollup_estimated_costs(db: Database) -> None:
    """The part of each day's cost that is our estimate (a stopped call, a cut stream, a row priced
    after a crash: ``cost_estimated``) and how many calls it is, so every total says how much of it we
    estimated. Filled from the estimated calls alone, not by a recount."""
    from playground.history.rollups import fill_estimated

    db.execute("alter table daily_stats add column estimated_pusd integer not null default 0")
    db.execute("alter table daily_stats add column estimated_calls integer not null default 0")
    fill_estimated(db)


def applied_names(db: Database) -> set[str]:
    return {m.name for m in migrations.applied(db)}


def unknown_migrations(db: Database) -> list[str]:
    """Migrations recorded in ``db`` that this version does not have: a newer version wrote it."""
    known = {m.name for m in migrations._migrations}
    return sorted(applied_names(db) - known)


def pending_migrations(db: Database) -> bool:
    """Whether this version has migrations ``db`` lacks (an older version's file)."""
    return bool(migrations.pending(db))


def migrate(db: Database) -> list[str]:
    """Apply what is pending, under the write lock taken first (many processes may start at once on
    a fresh folder: the one that waited sees what the first applied). Returns the names of unknown
    migrations, in which case nothing is applied: the file belongs to a newer version."""
    if unknown := unknown_migrations(db):
        return unknown
    if not migrations.pending(db):
        return []
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        if unknown := unknown_migrations(db):
            db.conn.execute("ROLLBACK")
            return unknown
        migrations.apply(db)
        db.conn.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    return []
