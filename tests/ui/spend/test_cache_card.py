"""Spend's "Cache savings" card on a known history: the savings of the range's calls, worked out by hand
from Anthropic's published rates for claude-haiku-4-5 (per million tokens: input $1, 5-minute write $1.25,
read $0.10); a call outside the range and a call without cache use change nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest

from playground.history.calls import CallEnd, CallStart
from playground.llm.request import Request
from tests.ui.conftest import off_gui
from tests.ui.spend.known_history import noon, open_spend

pytestmark = pytest.mark.gui
M = Decimal(1_000_000)
# (days back, input, read, write)
CALLS = [(0, 10_000, 8000, 0), (1, 3000, 0, 2000), (2, 500, 0, 0), (9, 9000, 8000, 0)]


def load(core):
    def write():
        for back, tin, read, written in CALLS:
            when = noon(back) + timedelta(minutes=1)
            call = core.history.start_call(
                CallStart(
                    Request.single("anthropic", "claude-haiku-4-5", "p"),
                    "anthropic",
                    None,
                    {},
                    started_at=when,
                )
            )
            end = CallEnd(
                "ok",
                input_tokens=tin,
                output_tokens=10,
                cache_read_tokens=read,
                cache_write_tokens=written,
                cost_usd=Decimal("0.01"),
            )
            core.history.finish_call(call, end)

    off_gui(write)


def test_the_card_shows_the_ranges_cache_savings(qtbot, make_window, core):
    load(core)
    view = open_spend(make_window, qtbot, "7 days")
    card = view.cards["Cache savings"]
    qtbot.waitUntil(lambda: view.cache_card.totals is not None, timeout=10_000)
    saved = 8000 * (1 - Decimal("0.10")) / M - 2000 * (Decimal("1.25") - 1) / M  # $0.0072 - $0.0005
    assert view.cache_card.totals.saved.priced == saved and view.cache_card.totals.calls == 2
    assert card.text() == "saved $0.0067"
    assert (
        "plain input" in card.toolTip()
        and "2 calls used the cache · 8,000 read · 2,000 written" in card.toolTip()
    )
