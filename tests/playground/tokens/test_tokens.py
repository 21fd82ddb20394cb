import gzip
import hashlib
import time

import pytest
import tiktoken
from tiktoken_ext import openai_public

from playground.llm.request import Message
from playground.paths import resources_dir
from playground.tokens.counter import TokenCounter, chat_tokens, encoding_for
from playground.tokens.encodings import EncodingFileError, Encodings

# The OpenAI cookbook's worked example ("How to count tokens with tiktoken") and its published counts.
COOKBOOK_MESSAGES = [
    {
        "role": "system",
        "content": "You are a helpful, pattern-following assistant that translates corporate "
        "jargon into plain English.",
    },
    {"role": "system", "name": "example_user", "content": "New synergies will help drive top-line growth."},
    {
        "role": "system",
        "name": "example_assistant",
        "content": "Things working well together will increase revenue.",
    },
    {
        "role": "system",
        "name": "example_user",
        "content": "Let's circle back when we have more bandwidth to touch "
        "base on opportunities for increased leverage.",
    },
    {
        "role": "system",
        "name": "example_assistant",
        "content": "Let's talk later when we're less busy about how to do better.",
    },
    {
        "role": "user",
        "content": "This late pivot means we don't have time to boil the ocean for the client deliverable.",
    },
]


@pytest.mark.parametrize(
    ("model", "expected"), [("gpt-4o", 124), ("gpt-4o-mini", 124), ("gpt-4", 129), ("gpt-3.5-turbo", 129)]
)
def test_cookbook_example_counts(encodings, model, expected):
    name, exact = encoding_for(model)
    assert exact
    assert chat_tokens(encodings.get(name), COOKBOOK_MESSAGES) == expected


def test_shipped_encodings_tokenize_exactly_like_tiktokens_own(encodings, tmp_path, monkeypatch):
    # Feed tiktoken's own loader the same files through its cache, offline, and compare.
    urls = {
        "o200k_base": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
        "cl100k_base": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
    }
    for name, url in urls.items():
        data = gzip.decompress((resources_dir() / "tiktoken" / f"{name}.tiktoken.gz").read_bytes())
        (tmp_path / hashlib.sha1(url.encode()).hexdigest()).write_bytes(data)
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    sample = "Héllo, wörld! 12345 don't  \n\n\tcode: def f(x): return x**2 # 日本語テキスト 🙂 <|endoftext|>"
    for name in urls:
        theirs = tiktoken.Encoding(**getattr(openai_public, name)())
        assert encodings.get(name).encode_ordinary(sample) == theirs.encode_ordinary(sample)
        assert encodings.get(name).special_tokens_set == theirs.special_tokens_set


def test_damaged_encoding_file_is_refused(tmp_path):
    (tmp_path / "o200k_base.tiktoken.gz").write_bytes(gzip.compress(b"aGVsbG8= 0\n"))
    with pytest.raises(EncodingFileError, match="damaged"):
        Encodings(tmp_path).get("o200k_base")


def test_counter_marks_unknown_models_as_estimates(encodings):
    counter = TokenCounter(encodings)
    exact = counter.count_prompt("gpt-4o", "Be brief.", [Message("user", "Hello there")])
    guess = counter.count_prompt("claude-sonnet-4-6", "Be brief.", [Message("user", "Hello there")])
    assert not exact.estimated and guess.estimated
    assert exact.tokens == guess.tokens  # same o200k approximation, only the mark differs
    assert counter.count_prompt("openai/gpt-4o", "", [Message("user", "hi")]).estimated is False


def test_special_token_text_in_a_prompt_is_counted_as_text(encodings):
    counter = TokenCounter(encodings)
    assert counter.count_text("gpt-4o", "<|endoftext|>").tokens > 1


def test_a_one_megabyte_prompt_counts(encodings):
    counter = TokenCounter(encodings)
    text = ("The quick brown fox jumps over the lazy dog. " * 23_000)[:1_000_000]
    start = time.perf_counter()
    count = counter.count_text("gpt-4o", text)
    elapsed = time.perf_counter() - start
    assert 150_000 < count.tokens < 300_000
    assert elapsed < 10  # sanity only: the figure itself is measured in bench/
