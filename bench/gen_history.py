"""Make a history database of N calls over two years (or --days), for the history benchmarks.

python -m bench.gen_history PATH [--calls 1000000] [--days 730]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playground.history.rollups import rebuild, to_pico
from playground.history.storage import Storage

MODELS = [  # endpoint, model, input $/MTok, output $/MTok, typical latency ms
    ("openai", "gpt-4o-mini", 0.15, 0.6, 900),
    ("openai", "gpt-4o", 2.5, 10.0, 1600),
    ("openai", "o3", 2.0, 8.0, 6000),
    ("anthropic", "claude-haiku-4-5", 1.0, 5.0, 1100),
    ("anthropic", "claude-sonnet-4-6", 3.0, 15.0, 2200),
    ("ollama", "llama3.2", 0.0, 0.0, 700),
]
WORDS = [
    "summarize",
    "translate",
    "explain",
    "refactor",
    "review",
    "classify",
    "extract",
    "draft",
    "outline",
    "compare",
    "estimate",
    "invoice",
    "contract",
    "recipe",
    "poem",
    "python",
    "rust",
    "sql",
    "email",
    "meeting",
    "report",
    "budget",
    "walrus",
    "otter",
]


def call_row(
    rng: random.Random,
    started_at: datetime,
    endpoint: str,
    model: str,
    status: str,
    tokens: tuple[int, int, int, int],
    cost: float | None,
    timings: tuple[float | None, float | None],
    source: str,
) -> dict:
    """One ``calls`` row of made-up text; ``tokens`` is (in, out, cached, reasoning), ``cost`` None
    when unpriced, ``timings`` (duration_ms, ttft_ms). Shared with docs/sample_history.py."""
    tin, tout, cached, reasoning = tokens
    duration, ttft = timings
    prompt = " ".join(rng.choices(WORDS, k=8))
    return {
        "started_at": started_at.astimezone(UTC).isoformat(timespec="milliseconds"),
        "endpoint": endpoint,
        "api": "openai",
        "model": model,
        "params": "{}",
        "system": "",
        "messages": json.dumps([{"role": "user", "content": prompt}]),
        "prompt": prompt,
        "output": " ".join(rng.choices(WORDS, k=12)) if status == "ok" else "",
        "status": status,
        "input_tokens": tin,
        "output_tokens": tout,
        "cache_read_tokens": cached,
        "reasoning_tokens": reasoning,
        "input_estimated": 0,
        "output_estimated": 0,
        "cost_usd": f"{cost:.12f}" if cost is not None else None,
        "cost_pusd": to_pico(f"{cost:.12f}") if cost is not None else None,
        "duration_ms": duration,
        "ttft_ms": ttft,
        "tokens_per_s": tout / (duration / 1000) if duration else None,
        "price_source": source,
        "retries": 0,
    }


def generate(path: Path, calls: int, seed: int = 7, days: int = 730) -> None:
    rng = random.Random(seed)
    storage = Storage(path)  # creates the schema through the migrations
    storage.close()
    from playground.history.storage import connect

    db = connect(path)
    db.execute("PRAGMA synchronous=OFF")
    end = datetime.now(UTC).replace(microsecond=0)
    start = end - timedelta(days=days)
    span = (end - start).total_seconds()
    times = sorted(rng.random() * span for _ in range(calls))
    batch = []
    columns = None
    for i, offset in enumerate(times):
        endpoint, model, pin, pout, latency = rng.choices(MODELS, weights=(30, 15, 5, 20, 15, 15))[0]
        status = rng.choices(("ok", "error", "cancelled"), weights=(95, 4, 1))[0]
        tin, tout = rng.randint(20, 4000), rng.randint(1, 1500) if status == "ok" else 0
        cost = (tin * pin + tout * pout) / 1_000_000
        duration = max(50.0, rng.lognormvariate(0, 0.4) * latency) if status == "ok" else None
        ttft = duration * rng.uniform(0.1, 0.4) if duration else None
        cached = rng.choice((0, 0, tin // 2)) if status == "ok" else 0  # some prompts hit the cache
        reasoning = rng.randint(0, tout) if model == "o3" else 0
        row = call_row(
            rng,
            start + timedelta(seconds=offset),
            endpoint,
            model,
            status,
            (tin, tout, cached, reasoning),
            cost,
            (duration, ttft),
            "generated",
        )
        if columns is None:
            columns = list(row)
        batch.append(tuple(row[c] for c in columns))
        if len(batch) == 50_000 or i == calls - 1:
            with db.atomic():
                db.conn.executemany(
                    f"insert into calls ({', '.join(columns)}) values ({', '.join('?' * len(columns))})",
                    batch,
                )
            batch = []
    with db.atomic():
        rebuild(db)
    db.execute("PRAGMA optimize")
    db.conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", type=Path)
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=730, help="how many days back the calls go")
    args = parser.parse_args()
    started = time.perf_counter()
    generate(args.path, args.calls, days=args.days)
    print(
        f"{args.calls:,} calls in {args.path} ({args.path.stat().st_size / 1e6:.0f} MB) "
        f"in {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
