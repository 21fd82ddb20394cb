"""A known bill on both test servers and a known local history beside it (UTC days of November 2026)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from playground.bills.service import Bills
from playground.history.calls import CallEnd, CallStart
from playground.llm.request import Request
from tests.servers.admin_base import Line
from tests.servers.anthropic_admin_server import AnthropicAdminServer
from tests.servers.openai_admin_server import OpenAIAdminServer

OPENAI_BILL = [
    Line("2026-11-01", "gpt-4o-mini-2024-07-18", Decimal("1.50"), 1000, 200, 300, 4),
    Line("2026-11-02", "gpt-4o-mini-2024-07-18", Decimal("2.25"), 2000, 0, 500, 6),
    Line("2026-11-03", "gpt-4o-2024-08-06", Decimal("3.20"), 800, 0, 100, 2),
    Line("2026-11-05", "gpt-4o-mini-2024-07-18", Decimal("0.40"), 100, 0, 50, 1),
]
ANTHROPIC_BILL = [
    Line("2026-11-02", "claude-sonnet-4-20250514", Decimal("4.10"), 5000, 1000, 700),
    Line("2026-11-04", "claude-haiku-4-5-20251001", Decimal("0.35"), 900, 0, 90),
]


def record(core, endpoint: str, model: str, when: str, cost: str | None, base_url: str | None = None) -> None:
    started = datetime.fromisoformat(when).replace(tzinfo=UTC)
    api = "anthropic" if endpoint == "anthropic" else "openai"
    call = core.history.start_call(
        CallStart(Request.single(endpoint, model, "p"), api, base_url, {}, started_at=started)
    )
    core.history.finish_call(call, CallEnd("ok", cost_usd=None if cost is None else Decimal(cost)))


@pytest.fixture
def history(core):
    """Calls recorded here: some match the bill, some are missing from it, some are extra."""
    record(core, "openai", "gpt-4o-mini", "2026-11-01T10:00:00", "1.50")
    record(core, "openai", "gpt-4o-mini", "2026-11-02T23:30:00", "1.00")  # 23:30 UTC: Nov 2 (UTC)
    record(core, "openai", "gpt-4o-mini", "2026-11-06T08:00:00", "0.30")  # not on the bill
    record(core, "local", "gpt-4o-mini", "2026-11-01T11:00:00", "9.00", "http://127.0.0.1:1/v1")  # not OpenAI
    record(core, "anthropic", "claude-sonnet-4-0", "2026-11-02T12:00:00", "4.10")
    record(core, "anthropic", "claude-haiku-4-5", "2026-11-04T12:00:00", None)  # no price known
    core.history.flush()
    return core


@pytest.fixture
def openai_admin():
    with OpenAIAdminServer(OPENAI_BILL) as server:
        yield server


@pytest.fixture
def anthropic_admin():
    with AnthropicAdminServer(ANTHROPIC_BILL) as server:
        yield server


@pytest.fixture
def bills(core, openai_admin, anthropic_admin):
    core.keys.set("openai-admin", openai_admin.admin_key)
    core.keys.set("anthropic-admin", anthropic_admin.admin_key)
    return Bills(core.storage, core.keys, environ={})
