"""The command line against its floor, each baseline run in the same command, alternating:

- `playground --help`: absolute, ≤ 100 ms wall (and its CPU time beside a bare `python -c pass`)
- `playground cost`: a bare script that imports genai-prices and prices one call
- `playground count`: a bare script that loads the o200k encoding (from our bundled file, as
  tiktoken would from its cache) and encodes the prompt; and (info) the same script also pricing the
  input with genai-prices, as `count` prints the input cost
- `playground run`: the `llm` CLI (pip install -e ".[bench]") and a bare OpenAI SDK script, all
  against the same local test server; and the peak RSS of both CLIs

Run: python -m bench.bench_cli [--repeat 7]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.table import INFO, Figure, ProcessCost, alternate, median, print_table, run_process

PY = sys.executable
ROOT = Path(__file__).resolve().parent.parent
PROMPT = "Write one sentence about the sea."

BARE_COST = """
from genai_prices import Usage, calc_price
price = calc_price(Usage(input_tokens=1000, output_tokens=500), model_ref="gpt-4o", provider_id="openai")
print(price.total_price)
"""
BARE_COUNT = """
import sys
import tiktoken
print(len(tiktoken.get_encoding("o200k_base").encode(sys.argv[1])))
"""
# What `count` also does: price the input (genai-prices), so its floor is both libraries, not tiktoken alone.
BARE_COUNT_PRICED = (
    BARE_COUNT
    + """
from genai_prices import Usage, calc_price
print(calc_price(Usage(input_tokens=14), model_ref="gpt-4o", provider_id="openai").input_price)
"""
)
O200K_URL = "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken"
BARE_SDK = """
import sys
from openai import OpenAI
client = OpenAI(base_url=sys.argv[1], api_key="sk-local")
stream = client.chat.completions.create(
    model="gpt-4o", messages=[{"role": "user", "content": sys.argv[2]}], stream=True, max_tokens=1024
)
for chunk in stream:
    if chunk.choices and chunk.choices[0].delta.content:
        sys.stdout.write(chunk.choices[0].delta.content)
print()
"""


def _cmd(*args: str) -> list[str]:
    return [PY, "-m", "ui.launcher", *args]


def _pair(ours: Sequence[str], base: Sequence[str], env: dict[str, str], repeat: int):
    return alternate(lambda: run_process(ours, env), lambda: run_process(base, env), repeat)


def _cpu(runs: list[ProcessCost]) -> float:
    return median([r.cpu_s for r in runs])


def bench(repeat: int) -> list[Figure]:
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "PLAYGROUND_HOME": str(Path(tmp) / "home"),
            "LLM_USER_PATH": str(Path(tmp) / "llm"),
        }
        env["PYTHONPATH"] = str(ROOT)
        ours, bare = _pair(_cmd("--help"), [PY, "-c", "pass"], env, repeat)
        figures.append(
            Figure("playground --help, wall", median([r.wall_s for r in ours]) * 1000, None, "ms", 100, False)
        )
        figures.append(
            Figure(
                "playground --help vs python -c pass, CPU",
                _cpu(ours) * 1000,
                _cpu(bare) * 1000,
                "ms",
                INFO,
            )
        )

        cost_args = ["cost", "-m", "gpt-4o", "--input", "1000", "--output", "500"]
        ours, bare = _pair(_cmd(*cost_args), [PY, "-c", BARE_COST], env, repeat)
        figures.append(
            Figure(
                "playground cost vs bare genai-prices, CPU", _cpu(ours) * 1000, _cpu(bare) * 1000, "ms", 1.2
            )
        )

        env["TIKTOKEN_CACHE_DIR"] = _tiktoken_cache(Path(tmp) / "tiktoken")
        ours, bare = _pair(_cmd("count", "-m", "gpt-4o", PROMPT), [PY, "-c", BARE_COUNT, PROMPT], env, repeat)
        figures.append(
            Figure("playground count vs bare tiktoken, CPU", _cpu(ours) * 1000, _cpu(bare) * 1000, "ms", 1.2)
        )
        ours, both = _pair(
            _cmd("count", "-m", "gpt-4o", PROMPT), [PY, "-c", BARE_COUNT_PRICED, PROMPT], env, repeat
        )
        figures.append(
            Figure(
                "playground count vs bare tiktoken + genai-prices, CPU",
                _cpu(ours) * 1000,
                _cpu(both) * 1000,
                "ms",
                INFO,
            )
        )

        figures += _bench_run(env, Path(tmp), repeat)
    return figures


def _tiktoken_cache(folder: Path) -> str:
    """tiktoken's own cache holding o200k (our bundled copy, unzipped), so the bare script never
    downloads: its floor is reading the file and building the encoding, as ours is."""
    folder.mkdir(parents=True, exist_ok=True)
    data = gzip.decompress((ROOT / "resources" / "tiktoken" / "o200k_base.tiktoken.gz").read_bytes())
    (folder / hashlib.sha1(O200K_URL.encode()).hexdigest()).write_bytes(data)
    return str(folder)


def _bench_run(env: dict[str, str], tmp: Path, repeat: int) -> list[Figure]:
    server = subprocess.Popen(
        [PY, "-m", "tests.servers.serve", "openai", "--tokens", "200"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        llm_dir = tmp / "llm"
        llm_dir.mkdir(parents=True, exist_ok=True)
        (llm_dir / "extra-openai-models.yaml").write_text(
            f'- model_id: local-gpt-4o\n  model_name: gpt-4o\n  api_base: "{url}"\n'
        )
        llm_bin = Path(PY).with_name("llm")
        ours_cmd = _cmd("run", "-m", "gpt-4o", "--base-url", url, PROMPT)
        llm_cmd = [str(llm_bin), "-m", "local-gpt-4o", "-o", "max_tokens", "1024", PROMPT]
        sdk_cmd = [PY, "-c", BARE_SDK, url, PROMPT]
        if not llm_bin.exists():
            return [
                Figure(
                    "playground run vs llm CLI",
                    0,
                    None,
                    "ms",
                    1.1,
                    note="llm not installed: pip install -e '.[bench]'",
                )
            ]
        ours, llm = _pair(ours_cmd, llm_cmd, env, repeat)
        ours2, sdk = _pair(ours_cmd, sdk_cmd, env, repeat)
        return [
            Figure("playground run vs llm CLI, CPU", _cpu(ours) * 1000, _cpu(llm) * 1000, "ms", 1.1),
            Figure(
                "playground run vs llm CLI, wall",
                median([r.wall_s for r in ours]) * 1000,
                median([r.wall_s for r in llm]) * 1000,
                "ms",
                1.1,
            ),
            Figure(
                "playground run vs bare SDK script, CPU",
                _cpu(ours2) * 1000,
                _cpu(sdk) * 1000,
                "ms",
                INFO,
            ),
            Figure(
                "playground run peak RSS vs llm",
                median([r.peak_rss_mb for r in ours]),
                median([r.peak_rss_mb for r in llm]),
                "MB",
                1.3,
            ),
        ]
    finally:
        server.stdin.close()  # type: ignore[union-attr]
        server.wait(timeout=10)


def figures(quick: bool) -> list[Figure]:
    """For `python -m bench`: 3 alternating repeats when quick, else 7."""
    return bench(3 if quick else 7)


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    figures = bench(args.repeat)
    print_table(figures)
    return figures


if __name__ == "__main__":
    main()
