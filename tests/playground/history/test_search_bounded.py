"""A search page that stops at its time bound says where it stopped, and reading on from there gives
exactly the calls the plain query finds, in its order (substrings alone, and with indexed words)."""

import json
from datetime import UTC, datetime

import pytest

from playground.history import search
from playground.history.filters import Filters
from tests.playground.history.known_history import fill
from tests.playground.history.test_search_prefix_cjk import record

CJK = [("今天天气很好 walrus", "晴"), ("天气 otter", "weather"), ("明天", "天气预报 walrus poem")]


def plain(core, filters):
    where, args = filters.where()
    sql = f"select id from calls {where} order by started_at desc, id desc"
    return [r["id"] for r in core.storage.read().query(sql, args)]


def pages(core, filters, limit):
    """Every page read on from where the last one stopped: (ids, resume) each."""
    read, after = [], None
    for _ in range(1000):
        page = core.history.page(filters, after=after, limit=limit)
        resume = getattr(page, "resume", None)
        read.append(([r.id for r in page], resume))
        if resume is None and len(page) < limit:
            return read
        after = resume or page[-1].cursor
    raise AssertionError(f"no end: {read[-5:]}")


@pytest.mark.parametrize("imported", [False, True])
@pytest.mark.parametrize(
    "filters",
    [
        Filters(search="天气"),
        Filters(search="天气 walrus"),
        Filters(search="天气 wal"),
        Filters(search="otter 天气", model="gpt-4o"),
        Filters(search="天气", since="2026-02-25", until="2026-04-20", zone="America/Los_Angeles"),
    ],
)
def test_stopped_pages_read_on_to_the_plain_answer(core, monkeypatch, filters, imported):
    monkeypatch.setattr(search, "BUDGET_S", 0.0)  # every page stops as soon as it may
    monkeypatch.setattr(search, "CHUNK", 5)
    monkeypatch.setattr(search, "FIRST_K", 4)
    fill(core, calls=150)  # from 2026-01-01, a few hours apart: about a month
    record(core, CJK, start=datetime(2026, 3, 1, tzinfo=UTC))
    fill(core, calls=150, seed=5, start=datetime(2026, 3, 2, tzinfo=UTC))
    record(core, CJK, start=datetime(2026, 5, 1, tzinfo=UTC))
    if imported:  # older calls added last: rowids no longer follow time
        record(core, CJK, start=datetime(2026, 3, 10, tzinfo=UTC))
    expected = plain(core, filters)
    read = pages(core, filters, limit=2)
    assert expected and [i for ids, _ in read for i in ids] == expected
    assert imported or any(resume for _, resume in read), "the bound stopped some page"
    assert core.history.totals(filters).calls == len(expected)


def test_a_rare_substring_stops_at_the_bound_and_says_so(core, monkeypatch):
    monkeypatch.setattr(search, "BUDGET_S", 0.0)
    monkeypatch.setattr(search, "CHUNK", 50)
    record(core, [("天气 once", "")], start=datetime(2025, 1, 1, tzinfo=UTC))  # the oldest call
    fill(core, calls=300)
    first = core.history.page(Filters(search="天气"), limit=10)
    assert list(first) == [] and first.resume is not None  # not "no match": older calls not searched
    read = pages(core, Filters(search="天气"), limit=10)
    assert len(read) == 300 // 50 + 1 and [ids for ids, _ in read if ids] == [[1]]


def test_an_unbounded_page_is_exact_without_resume(core):
    record(core, CJK)
    page = core.history.page(Filters(search="天气"), limit=10)
    assert len(page) == 3 and page.resume is None


@pytest.mark.parametrize("dated", [False, True])
def test_the_command_line_reads_on_past_a_stopped_page(core, monkeypatch, capsys, dated):
    """`playground history --search 天气` printed a short page (or "No calls match") when the scan
    stopped at its bound: the command line has no "more below" to read on."""
    from playground.cli.entry import main

    monkeypatch.setattr(search, "BUDGET_S", 0.0)
    monkeypatch.setattr(search, "CHUNK", 5)
    monkeypatch.setattr(search, "FIRST_K", 4)
    record(core, CJK, start=datetime(2026, 3, 1, tzinfo=UTC))
    fill(core, calls=150, seed=5, start=datetime(2026, 3, 2, tzinfo=UTC))  # newer, none matching
    filters = Filters(search="天气")
    expected = plain(core, filters)
    assert core.history.page(filters, limit=10) == []  # the first page alone stopped with nothing
    assert [r.id for r in core.history.recent(10, "天气")] == expected
    days = ["--since", "2026-01-01", "--until", "2026-12-31"] if dated else []
    core.close()
    assert main(["history", "--search", "天气", "--json", *days]) == 0
    assert [c["id"] for c in json.loads(capsys.readouterr().out)] == expected
