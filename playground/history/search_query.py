"""What the search box's text asks for, as SQL over a call's prompt and output (light: no sqlite-utils).

Words go through the full-text index (unicode61: case and accents folded, whole words), each quoted
so no typed character is FTS syntax. The last word is a prefix while it is being typed (the text
does not end in a space or a closing quote): "tempera" finds "temperature". Quoted phrases stay exact.

unicode61 keeps a run of Chinese, Japanese, Thai... (scripts written without spaces) as one token,
so "天气" is not a word of "今天天气很好": a word with such characters is matched as a substring of
the prompt or the output instead (LIKE: ASCII case folded; these scripts have no case).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from playground.history.records import CallRecord

# Scripts written without spaces between words: Thai, Lao, Tibetan, Myanmar, Khmer, CJK ideographs
# (with their extensions and compatibility forms), kana (full and half width), Bopomofo.
_UNSPACED = re.compile(
    "[\u0e00-\u0fff\u1000-\u109f\u1780-\u17ff\u3005-\u3007\u3021-\u3029\u3040-\u30ff"
    "\u3100-\u312f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0003134f]"
)
_TOKEN = re.compile(r"[^\W_]+")  # what unicode61 keeps of a word: letters and digits
MIN_PREFIX = 3  # a shorter last word stays whole: one or two letters start a large share of the index
NOTHING = '""'  # an FTS query that matches no call: text with no letter or digit in it


def unspaced(text: str) -> bool:
    """Does ``text`` hold characters of a script written without spaces?"""
    return _UNSPACED.search(text) is not None


@dataclass(frozen=True)
class SearchQuery:
    """What a search asks for: every FTS5 phrase of ``words``, ``prefix`` (the word being typed) as
    the start of a word, and each of ``substrings`` in the call's prompt or output."""

    words: tuple[str, ...] = ()  # FTS5 strings, quoted
    prefix: str | None = None  # the word (or "phrase) being typed, as typed
    substrings: tuple[str, ...] = ()

    @property
    def fts(self) -> str:
        """The FTS5 query of the words and the prefix ("" when no word goes through the index)."""
        return " ".join([*self.words, f"{quoted(self.prefix)}*"] if self.prefix else self.words)

    def clauses(self) -> tuple[list[str], list[Any]]:
        """The WHERE clauses (ANDed) and their arguments: the one definition of a search's calls."""
        clauses: list[str] = []
        args: list[Any] = []
        if self.fts:
            clauses.append("id in (select rowid from calls_fts where calls_fts match ?)")
            args.append(self.fts)
        for text in self.substrings:
            clauses.append(SUBSTRING)
            args += [like_pattern(text)] * 2
        return clauses, args


SUBSTRING = "(prompt like ? escape '\\' or output like ? escape '\\')"


def like_pattern(text: str) -> str:
    """``text`` anywhere, its LIKE wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def parse(text: str) -> SearchQuery:
    """The query the search box's ``text`` asks for (typed text: never a syntax error)."""
    words: list[str] = []
    prefix: str | None = None
    substrings: list[str] = []
    for item, typing in _items(text):
        if unspaced(item):
            substrings.append(item)
        elif _TOKEN.search(item):
            if typing and len(_TOKEN.findall(item)[-1]) >= MIN_PREFIX:
                prefix = item
            else:
                words.append(quoted(item))
    if text.strip() and not (words or prefix or substrings):
        words.append(NOTHING)  # only punctuation: as before, no call matches
    return SearchQuery(tuple(words), prefix, tuple(substrings))


def prefix_token(prefix: str) -> str | None:
    """The start of an index word ``prefix`` asks for, folded as unicode61 folds it, when that is sure:
    one word of ASCII letters and digits (lower case); else None."""
    tokens = _TOKEN.findall(prefix)
    return tokens[0].lower() if len(tokens) == 1 and tokens[0].isascii() else None


def quoted(words: str) -> str:
    """An FTS5 string: every character inside is text, never syntax."""
    return '"' + words.replace('"', '""') + '"'


def _items(text: str) -> list[tuple[str, bool]]:
    """The words and "quoted phrases" of ``text``, each with whether it is still being typed: it
    ends the text, which ends neither in a space nor in the phrase's closing quote."""
    items: list[tuple[str, bool]] = []
    for match in re.finditer(r'"([^"]*)("?)|([^\s"]+)', text):
        phrase, close, word = match.groups()
        words = word if word is not None else phrase.strip()
        if words:
            typing = match.end() == len(text) and not close and not text[-1].isspace()
            items.append((words, typing))
    return items


class SearchPage(list[CallRecord]):
    """A page of calls, newest first. ``resume`` is set when the search stopped at its bound before
    the page was full: calls older than ``resume`` (started_at, id) were not searched yet, and the
    next page reads from there (the page may then be short, even empty)."""

    def __init__(self, rows: Iterable[CallRecord] = (), resume: tuple[str, int] | None = None):
        super().__init__(rows)
        self.resume = resume
