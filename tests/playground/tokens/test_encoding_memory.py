"""An encoding keeps its ranks in the tokenizer only: the Python copy (26 MB for o200k) is dropped."""

import subprocess
import sys

CODE = """
import tracemalloc
from playground.paths import resources_dir
from playground.tokens.encodings import Encodings
import tiktoken  # its own import is not the encoding's memory
tracemalloc.start()
encoding = Encodings(resources_dir() / "tiktoken").get("o200k_base")
held = tracemalloc.get_traced_memory()[0]
print(held, encoding.encode("hello world"))
"""


def test_a_loaded_encoding_holds_little_python_memory_and_still_encodes():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    held, tokens = out.stdout.strip().split(" ", 1)
    assert int(held) < 2_000_000  # with tiktoken's own copy of the ranks it was ~26 MB
    assert tokens == "[24912, 2375]"  # o200k_base: "hello", " world"
