"""Importing through the real clients against the admin test servers: pagination, resume, faults."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from playground.bills.model import BillsError, Cancelled, Provider
from tests.playground.bills.conftest import ANTHROPIC_BILL, OPENAI_BILL
from tests.servers.admin_base import Fault

NOV1, NOV7 = date(2026, 11, 1), date(2026, 11, 7)


def billed_by_day(bills, provider: str) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for b in bills.store.billed(NOV1, NOV7):
        if b.provider == provider:
            out[b.day] = out.get(b.day, Decimal(0)) + b.cost
    return out


def expected(lines) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for line in lines:
        out[line.day] = out.get(line.day, Decimal(0)) + line.cost
    return out


@pytest.mark.parametrize("provider", list(Provider))
def test_a_range_is_imported_across_pages_and_sums_to_the_bill(
    bills, openai_admin, anthropic_admin, provider
):
    server, lines = (
        (openai_admin, OPENAI_BILL) if provider is Provider.OPENAI else (anthropic_admin, ANTHROPIC_BILL)
    )
    url = server.api_base if provider is Provider.OPENAI else server.base_url
    result = bills.import_api(provider, NOV1, NOV7, base_url=url)
    assert result.pages == 6  # 7 days in pages of 3: 3 pages of costs, 3 of usage
    assert billed_by_day(bills, provider.value) == expected(lines)
    paged = [params.get("page", [None])[0] for _, params, _ in server.requests]
    assert paged.count(None) == 2 and len(paged) == 6  # the cursor was followed, never invented
    first_day = {b.model: b for b in bills.store.billed(NOV1, NOV7) if b.day == lines[0].day}
    assert list(first_day) == [lines[0].model]  # costs (by line item) and usage (by model) on one row
    row = first_day[lines[0].model]
    assert (row.cost, row.input_tokens, row.output_tokens) == (
        lines[0].cost,
        lines[0].input_tokens,
        lines[0].output_tokens,
    )
    log = bills.imports()[0]
    assert (log.provider, log.first_day, log.last_day, log.source, log.status) == (
        provider.value,
        "2026-11-01",
        "2026-11-07",
        "api",
        "done",
    )


def test_the_key_goes_only_in_its_header_and_is_never_stored(bills, core, openai_admin, anthropic_admin):
    bills.import_api(Provider.OPENAI, NOV1, NOV7, base_url=openai_admin.api_base)
    bills.import_api(Provider.ANTHROPIC, NOV1, NOV7, base_url=anthropic_admin.base_url)
    sent = [
        {k.lower(): v for k, v in h.items()} for _, _, h in openai_admin.requests + anthropic_admin.requests
    ]
    assert all(h.get("authorization") == f"Bearer {openai_admin.admin_key}" for h in sent[:6])
    assert all(h.get("x-api-key") == anthropic_admin.admin_key for h in sent[6:])
    assert all(h.get("anthropic-version") == "2023-06-01" for h in sent[6:])
    core.history.flush()
    raw = (core.home / "history.db").read_bytes() + (core.home / "history.db-wal").read_bytes()
    assert openai_admin.admin_key.encode() not in raw and anthropic_admin.admin_key.encode() not in raw


def test_importing_the_same_range_again_replaces_it(bills, openai_admin):
    bills.import_api(Provider.OPENAI, NOV1, NOV7, base_url=openai_admin.api_base)
    openai_admin.lines[0] = openai_admin.lines[0].__class__(
        "2026-11-01", "gpt-4o-mini-2024-07-18", Decimal("1.75")
    )
    bills.import_api(Provider.OPENAI, NOV1, NOV7, base_url=openai_admin.api_base)
    by_day = billed_by_day(bills, "openai")
    assert by_day["2026-11-01"] == Decimal("1.75")
    assert sum(by_day.values()) == Decimal("1.75") + Decimal("2.25") + Decimal("3.20") + Decimal("0.40")


@pytest.mark.parametrize("provider", list(Provider))
def test_an_interrupted_import_resumes_after_the_last_stored_day(
    bills, openai_admin, anthropic_admin, provider
):
    server = openai_admin if provider is Provider.OPENAI else anthropic_admin
    url = server.api_base if provider is Provider.OPENAI else server.base_url
    server.fail_after_pages = 2  # costs for Nov 1-6 arrive, then the server goes down
    with pytest.raises(BillsError):
        bills.import_api(provider, NOV1, NOV7, base_url=url)
    assert bills.imports()[0].status == "failed"
    kept = billed_by_day(bills, provider.value)
    assert set(kept) <= {"2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06"}
    server.fail_after_pages = None
    server.requests.clear()
    result = bills.import_api(provider, NOV1, NOV7, base_url=url)
    assert result.resumed
    first_cost_request = server.requests[0][1]
    start = first_cost_request.get("start_time") or first_cost_request.get("starting_at")
    nov7 = datetime(2026, 11, 7, tzinfo=UTC)
    assert start[0] in (str(int(nov7.timestamp())), "2026-11-07T00:00:00Z")  # right after the stored days
    lines = OPENAI_BILL if provider is Provider.OPENAI else ANTHROPIC_BILL
    assert billed_by_day(bills, provider.value) == expected(lines)  # nothing counted twice
    assert [log.status for log in bills.imports()].count("done") == 1


def test_a_rejected_key_says_it_is_not_an_admin_key(core, openai_admin, anthropic_admin):
    from playground.bills.service import Bills

    core.keys.set("openai-admin", "sk-proj-an-ordinary-key-000000")
    core.keys.set("anthropic-admin", "sk-ant-api03-ordinary-000000")
    bills = Bills(core.storage, core.keys, environ={})
    for provider, url in (
        (Provider.OPENAI, openai_admin.api_base),
        (Provider.ANTHROPIC, anthropic_admin.base_url),
    ):
        with pytest.raises(BillsError, match="not an admin key") as info:
            bills.import_api(provider, NOV1, NOV7, base_url=url)
        assert "ordinary" not in str(info.value)
    assert bills.store.billed(NOV1, NOV7) == []


def test_no_admin_key_says_where_to_put_one(core):
    from playground.bills.service import Bills

    with pytest.raises(BillsError, match=r"openai-admin.*OPENAI_ADMIN_KEY"):
        Bills(core.storage, core.keys, environ={}).import_api(Provider.OPENAI, NOV1, NOV7)
    environ_key = Bills(core.storage, core.keys, environ={"ANTHROPIC_ADMIN_KEY": "sk-ant-admin-env"})
    with pytest.raises(
        BillsError, match="Could not reach"
    ):  # the variable is used: it got as far as the network
        environ_key.import_api(Provider.ANTHROPIC, NOV1, NOV7, base_url="http://127.0.0.1:9")


@pytest.mark.parametrize("provider", list(Provider))
def test_a_429_waits_the_retry_after_then_continues(bills, openai_admin, anthropic_admin, provider):
    server = openai_admin if provider is Provider.OPENAI else anthropic_admin
    url = server.api_base if provider is Provider.OPENAI else server.base_url
    server.faults.append(
        Fault(429, {"retry-after": "1"}, {"error": {"type": "rate_limit_error", "message": "slow"}})
    )
    began = time.monotonic()
    bills.import_api(provider, NOV1, NOV7, base_url=url)
    assert time.monotonic() - began >= 1.0
    assert len(server.requests) == 7  # the refused one, then six pages


def test_a_429_that_asks_too_long_a_wait_gives_up_with_a_clear_message(bills, anthropic_admin):
    anthropic_admin.faults.append(Fault(429, {"retry-after": "600"}))
    began = time.monotonic()
    with pytest.raises(BillsError, match="rate-limiting"):
        bills.import_api(Provider.ANTHROPIC, NOV1, NOV7, base_url=anthropic_admin.base_url)
    assert time.monotonic() - began < 5


def test_a_cancel_stops_between_pages_and_keeps_what_was_stored(bills, anthropic_admin):
    cancel = threading.Event()
    seen = []

    def progress(p):
        seen.append(p)
        cancel.set()  # cancel after the first page

    with pytest.raises(Cancelled):
        bills.import_api(
            Provider.ANTHROPIC,
            NOV1,
            NOV7,
            base_url=anthropic_admin.base_url,
            progress=progress,
            cancel=cancel,
        )
    assert len(seen) == 1 and seen[0].done_through == "2026-11-03"
    assert billed_by_day(bills, "anthropic") == {"2026-11-02": Decimal("4.10")}
