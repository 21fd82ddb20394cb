"""Search while typing: the last word is a prefix, and scripts written without spaces (Chinese,
Japanese, Thai) are found as substrings; the table, its totals and every other user of a search agree."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from playground.history.calls import CallEnd, CallStart
from playground.history.filters import Filters, fts_query
from playground.history.search_query import parse
from playground.llm.request import Request
from tests.playground.history.known_history import fill

CALLS = (  # prompt, output
    ("What is the temperature in Paris?", "About 18 degrees."),
    ("One more attempt at the poem", "Roses are red."),
    ("今天天气很好", "The WEATHER is fine today."),
    ("今天天气很好吗", "不知道"),
    ("The weather report", "Sunny."),
    ("今日は天気がいいですね", "そうですね"),
    ("สวัสดีครับ อากาศดีไหม", "ดีครับ"),
    ("Order an iPhone手机 case", "Done."),
    ("Café crème, s'il vous plaît", "Voilà."),
)


def record(core, calls=CALLS, start=datetime(2026, 2, 1, tzinfo=UTC)):
    ids = []
    for i, (prompt, output) in enumerate(calls):
        when = start + timedelta(minutes=i)
        call = core.history.start_call(
            CallStart(Request.single("openai", "gpt-4o", prompt), "openai", None, {}, started_at=when)
        )
        core.history.finish_call(
            call, CallEnd("ok", output=output, input_tokens=10 + i, output_tokens=i, cost_usd=Decimal(i))
        )
        ids.append(call)
    return ids


def prompts(core, text):
    """The prompts a search shows, every page read (through where a bounded page stopped)."""
    return {r.prompt for r in every_row(core.history, Filters(search=text))}


def every_row(store, filters, limit=7):
    rows, after = [], None
    while True:
        page = store.page(filters, after=after, limit=limit)
        rows += page
        resume = getattr(page, "resume", None)
        if resume is None and len(page) < limit:
            return rows
        after = resume or page[-1].cursor


@pytest.mark.parametrize("text", ["tempera", "temp", "the tempera", "TEMPERA", "Temperatur"])
def test_the_last_word_typed_is_a_prefix(core, text):
    record(core)
    assert prompts(core, text) == {"What is the temperature in Paris?"}
    assert [r.prompt for r in core.history.recent(search=text)] == ["What is the temperature in Paris?"]


@pytest.mark.parametrize("listed", [True, False])  # the words a prefix starts listed, or not
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("crè", {"Café crème, s'il vous plaît"}),  # accents folded, as the index does
        ("CREM", {"Café crème, s'il vous plaît"}),
        ("the temperatu", {"What is the temperature in Paris?"}),
        ("temperature par", {"What is the temperature in Paris?"}),
        ("t3mp", set()),
        ("today", {"今天天气很好"}),  # in the output
        ("zzz", set()),  # no word starts so
        ("the zzz", set()),
    ],
)
def test_a_prefix_folds_case_and_accents_as_the_index_does(core, monkeypatch, text, expected, listed):
    from playground.history import search

    if not listed:  # more words start so than the page lists: FTS5's own prefix query
        monkeypatch.setattr(search, "MAX_TERMS", 0)
    record(core)
    assert prompts(core, text) == expected
    assert core.history.totals(Filters(search=text)).calls == len(expected)


def test_a_prefix_is_the_start_of_a_word_not_any_part_of_it(core):
    record(core)
    assert "One more attempt at the poem" not in prompts(core, "tempera")
    assert prompts(core, "tempt") == set()  # "attempt" holds "tempt", but does not start with it
    assert prompts(core, "attem") == {"One more attempt at the poem"}


def test_earlier_words_finished_words_and_closed_phrases_stay_whole(core):
    record(core)
    assert prompts(core, "temperature pari") == {"What is the temperature in Paris?"}
    assert prompts(core, "temp paris") == set()  # "temp" is not the last word: a whole word, no match
    assert prompts(core, "tempera ") == set()  # a space ends the word
    assert prompts(core, '"tempera"') == set()  # so does a closing quote
    assert prompts(core, '"the tempera') == {"What is the temperature in Paris?"}  # a phrase being typed
    assert prompts(core, '"the temperature"') == {"What is the temperature in Paris?"}
    assert prompts(core, '"temperature the"') == set()  # a phrase is exact: these words in this order


def test_chinese_is_found_inside_a_run_of_characters(core):
    record(core)
    assert prompts(core, "天气") == {"今天天气很好", "今天天气很好吗"}
    assert prompts(core, "很好吗") == {"今天天气很好吗"}
    assert prompts(core, "知道") == {"今天天气很好吗"}  # in the output
    assert prompts(core, "天") == {"今天天气很好", "今天天气很好吗", "今日は天気がいいですね"}


def test_japanese_and_thai_are_found_inside_a_sentence(core):
    record(core)
    assert prompts(core, "天気") == {"今日は天気がいいですね"}
    assert prompts(core, "いい") == {"今日は天気がいいですね"}
    assert prompts(core, "อากาศ") == {"สวัสดีครับ อากาศดีไหม"}


def test_mixed_queries_need_every_part_and_fold_latin_case(core):
    record(core)
    assert prompts(core, "天气 weather") == {"今天天气很好"}  # not the weather without 天气, nor 天气 alone
    assert prompts(core, "Weather 天气") == {"今天天气很好"}
    assert prompts(core, "天气 Weath") == {"今天天气很好"}
    assert prompts(core, "天气 WEATHER") == {"今天天气很好"}
    assert prompts(core, "iphone手机") == {"Order an iPhone手机 case"}  # one word of both: a substring


@pytest.mark.parametrize("text", ["tempera", "wal", "otter poe", "天气", "天气 weath", "天"])
def test_totals_count_the_rows_the_table_shows(core, text):
    fill(core)
    record(core, start=datetime(2026, 1, 5, tzinfo=UTC))  # among the known calls
    filters = Filters(search=text)
    rows = every_row(core.history, filters)
    totals = core.history.totals(filters)
    assert rows, "the known history has calls for every search"
    assert totals.calls == len(rows) == len({r.id for r in rows})
    assert totals.input_tokens == sum(r.input_tokens or 0 for r in rows)
    assert totals.output_tokens == sum(r.output_tokens or 0 for r in rows)


def test_a_prefix_finds_the_whole_words_calls(core):
    fill(core)
    whole = every_row(core.history, Filters(search="walrus "))
    assert whole and [r.id for r in every_row(core.history, Filters(search="wal"))] == [r.id for r in whole]
    assert core.history.totals(Filters(search="walr")).calls == len(whole)


TYPED = [
    '"',
    '""',
    "*",
    "-",
    "-walrus",
    ":",
    "a:b",
    "prompt:walrus",
    "(",
    ")",
    "(walrus",
    "NEAR(walrus otter)",
    "NEAR",
    "AND",
    "walrus AND",
    "OR otter",
    "NOT",
    '"unbalanced AND (',
    "^walrus",
    "wal*",
    '天气"',
    '"天气',
    '"天气 weather"',
    "100%",
    "under_score",
    "天%气",
    "\\",
]


@pytest.mark.parametrize("text", TYPED)
def test_typed_punctuation_never_raises(core, text):
    fill(core, calls=30)
    record(core)
    filters = Filters(search=text)
    assert core.history.totals(filters).calls == len(every_row(core.history, filters))
    core.history.recent(search=text)


def test_like_wildcards_are_literal(core):
    record(core, calls=(("天%气", "x"), ("天_气", "y"), ("天气", "z")))
    assert prompts(core, "天%气") == {"天%气"}
    assert prompts(core, "天_气") == {"天_气"}


@pytest.mark.parametrize(
    ("text", "fts", "substrings"),
    [
        ("tempera", '"tempera"*', ()),
        ("the tempera", '"the" "tempera"*', ()),
        ("the tempera ", '"the" "tempera"', ()),
        ("te", '"te"', ()),  # too short a prefix: one or two letters start much of the index
        ('"the tempera"', '"the tempera"', ()),
        ('"the tempera', '"the tempera"*', ()),
        ('say "hi" tempera', '"say" "hi" "tempera"*', ()),
        ("天气 weather", '"weather"*', ("天气",)),
        ("weather 天气", '"weather"', ("天气",)),
        ("(", '""', ()),  # nothing to look for: no call, as before
        ('a"b', '"a" "b"', ()),
        ('"', '""', ()),
    ],
)
def test_what_the_text_asks_for(text, fts, substrings):
    query = parse(text)
    assert (query.fts, query.substrings) == (fts, substrings)


def test_the_recent_list_quotes_every_word():
    assert fts_query('walrus "AND" (') == '"walrus" "AND"'
    assert fts_query("天气") == '"天气"'
