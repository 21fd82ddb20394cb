"""A deterministic 90-day sample history for the Spend and History screenshots: weekday-heavy use of
six models (prices and latencies from bench.gen_history), a few errors and unpriced local calls.

python -m docs.sample_history HOME   (adds the sample to HOME's history.db)
"""

from __future__ import annotations

import random
import sys
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.gen_history import MODELS, call_row
from playground.history.rollups import rebuild

DAYS = 90
WEIGHTS = (30, 15, 5, 20, 15, 15)


def sample_rows(now: datetime, zone: str, days: int = DAYS, seed: int = 11) -> list[dict]:
    """The calls, oldest first, none after ``now`` (today's so far); the days before today are the
    same for the same day and ``zone``."""
    rng = random.Random(seed)
    tz = ZoneInfo(zone)
    today = now.astimezone(tz).date()
    rows = []
    for back in range(days - 1, -1, -1):
        day = today - timedelta(days=back)
        busy = 6 if day.weekday() >= 5 else 22 + 6 * ((days - back) // 30)  # use grows month by month
        for _ in range(rng.randint(busy // 2, busy)):
            endpoint, model, pin, pout, latency = rng.choices(MODELS, weights=WEIGHTS)[0]
            when = datetime.combine(day, time(8), tz) + timedelta(seconds=rng.randint(0, 11 * 3600))
            status = rng.choices(("ok", "error"), weights=(96, 4))[0]
            tin = rng.randint(200, 6000)
            tout = rng.randint(40, 1200) if status == "ok" else 0
            cached = rng.choice((0, 0, tin // 2)) if endpoint != "ollama" else 0
            priced = endpoint != "ollama"  # a local model without a price: counted, never as $0
            cost = (tin * pin + tout * pout) / 1_000_000
            ttft = rng.lognormvariate(0, 0.35) * latency / 3
            speed = rng.uniform(40, 160)  # output tokens per second once the first token is out
            duration = ttft + tout / speed * 1000 if status == "ok" else None
            reasoning = tout // 3 if model == "o3" else 0
            if when > now:  # later today: not made yet (drawn, so the days before stay the same)
                continue
            rows.append(
                call_row(
                    rng,
                    when,
                    endpoint,
                    model,
                    status,
                    (tin, tout, cached, reasoning),
                    cost if priced else None,
                    (duration, ttft if duration else None),
                    "sample",
                )
            )
    return rows


def add_sample(core, days: int = DAYS) -> int:
    """Insert the sample into ``core``'s history (on its writer) and recount the rollups."""
    zone = core.reports.clock.zone_name()
    rows = sample_rows(datetime.now(ZoneInfo(zone)), zone, days)

    def write(db) -> None:
        columns = list(rows[0])
        db.conn.executemany(
            f"insert into calls ({', '.join(columns)}) values ({', '.join('?' * len(columns))})",
            [tuple(r[c] for c in columns) for r in rows],
        )
        rebuild(db, zone)

    core.storage.writer.call(write)
    return len(rows)


def main() -> None:
    from playground.core import build_core

    core = build_core(Path(sys.argv[1]), keyring_backend=None)
    try:
        print(f"added {add_sample(core):,} calls")
    finally:
        core.close()


if __name__ == "__main__":
    main()
