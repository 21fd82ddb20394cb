"""Run a test server in its own process (benchmarks: keeps its threads off the measured process's GIL).

python -m tests.servers.serve openai|anthropic [--tokens N] [--rate TOKENS_PER_S]
Prints the base URL on the first line, then serves until standard input closes.
"""

from __future__ import annotations

import argparse
import sys

from tests.servers.anthropic_server import AnthropicTestServer
from tests.servers.base import Script
from tests.servers.openai_server import OpenAITestServer


def answer_text(tokens: int) -> str:
    """Word-sized tokens in paragraphs of 40 to 120 words, like a model's answer."""
    words, paragraph = [], 0
    for i in range(tokens):
        words.append(f"w{i}")
        paragraph += 1
        if paragraph >= 40 + (i * 7919) % 80:
            words[-1] += "\n\n"
            paragraph = 0
    return " ".join(words).replace("\n\n ", "\n\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("api", choices=("openai", "anthropic"))
    parser.add_argument("--tokens", type=int, default=200)
    parser.add_argument(
        "--rate", type=float, default=0, help="tokens per second per stream (0: as fast as possible)"
    )
    args = parser.parse_args()
    server_class = OpenAITestServer if args.api == "openai" else AnthropicTestServer
    server = server_class(api_key=None)
    server.default = Script(text=answer_text(args.tokens), token_delay=1 / args.rate if args.rate else 0)
    with server:
        print(server.base_url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
