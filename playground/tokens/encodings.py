"""tiktoken encodings built from the files shipped in resources/, never fetched from the network."""

from __future__ import annotations

import binascii
import gzip
import hashlib
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playground.memory import give_back

if TYPE_CHECKING:  # imported when an encoding is first built: a call whose usage is reported needs none
    import tiktoken

ENDOFTEXT = "<|endoftext|>"
ENDOFPROMPT = "<|endofprompt|>"

# The published definitions of the two encodings (tiktoken_ext/openai_public.py). A test checks
# that what we build here tokenizes exactly like tiktoken's own registry does.
_SPECS: dict[str, dict[str, Any]] = {
    "o200k_base": {
        "sha256": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        "pat_str": "|".join(
            [
                r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
                r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
                r"""\p{N}{1,3}""",
                r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
                r"""\s*[\r\n]+""",
                r"""\s+(?!\S)""",
                r"""\s+""",
            ]
        ),
        "special_tokens": {ENDOFTEXT: 199999, ENDOFPROMPT: 200018},
    },
    "cl100k_base": {
        "sha256": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        "pat_str": r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s""",
        "special_tokens": {
            ENDOFTEXT: 100257,
            "<|fim_prefix|>": 100258,
            "<|fim_middle|>": 100259,
            "<|fim_suffix|>": 100260,
            ENDOFPROMPT: 100276,
        },
    },
}

ENCODING_NAMES = tuple(_SPECS)


class EncodingFileError(RuntimeError):
    """A shipped encoding file is missing or damaged: the install is broken."""


class Encodings:
    """Loads each encoding once, on first use, from ``folder`` (thread-safe)."""

    def __init__(self, folder: Path):
        self._folder = folder
        self._cache: dict[str, tiktoken.Encoding] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> tiktoken.Encoding:
        with self._lock:
            if name not in self._cache:
                self._cache[name] = self._load(name)
            return self._cache[name]

    def _load(self, name: str) -> tiktoken.Encoding:
        spec = _SPECS[name]
        path = self._folder / f"{name}.tiktoken.gz"
        try:
            data = gzip.decompress(path.read_bytes())
        except (OSError, EOFError) as exc:
            raise EncodingFileError(f"Cannot read the tokenizer file {path}: {exc}") from exc
        if hashlib.sha256(data).hexdigest() != spec["sha256"]:
            raise EncodingFileError(
                f"The tokenizer file {path} is damaged (sha256 mismatch); reinstall the app."
            )
        # "token rank" lines: decoded in C (map), half the time of a Python loop over each line
        import tiktoken

        fields = data.split()
        ranks = dict(zip(map(binascii.a2b_base64, fields[0::2]), map(int, fields[1::2]), strict=True))
        encoding = tiktoken.Encoding(
            name, pat_str=spec["pat_str"], mergeable_ranks=ranks, special_tokens=spec["special_tokens"]
        )
        # The Rust tokenizer holds its own copy; tiktoken keeps the Python dict (26 MB for o200k) only
        # to pickle the encoding, which nothing here does (each process loads its own).
        encoding._mergeable_ranks = {}
        del fields, ranks, data
        give_back()  # the 400,000 objects just freed: their pages back to the system
        return encoding
