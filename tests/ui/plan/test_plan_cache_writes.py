"""The Writes column, its tooltips and the caching move say the same thing: the written tokens at the
cache-write price, which for OpenAI is the plain input price (no premium) and for Anthropic 1.25x."""

from __future__ import annotations

from decimal import Decimal as D

from playground.plan.sources import PlanSeed
from playground.plan.workload import Tokens, Workload
from tests.ui.plan.conftest import WAIT
from ui.plan.plan_table import COLUMNS

W = Workload(
    D(500), Tokens.fixed(4000), Tokens.fixed(200), cacheable_share=D("0.75"), cache_hit_rate=D("0.6")
)
MODELS = ("openai/gpt-4o-mini", "anthropic/claude-sonnet-4-5")


def _cell(page, header: str, model: str):
    col = [c for c, _ in COLUMNS].index(header)
    row = next(r for r in range(page.table.rowCount()) if page.table.item(r, 0).text() == model)
    return page.table.item(row, col)


def test_the_writes_column_and_the_caching_move_agree(qtbot, page):
    with qtbot.waitSignal(page.planShown, timeout=WAIT):
        page.open_seed(PlanSeed(W, MODELS, "test"))
    header = page.table.horizontalHeaderItem([c for c, _ in COLUMNS].index("Writes")).toolTip()
    assert "in full at the cache-write price" in header and "the write premium)" not in header
    # 18M prefix tokens a month written on misses: at $0.15/MTok (OpenAI) and $3.75/MTok (Anthropic)
    openai, anthropic = _cell(page, "Writes", MODELS[0]), _cell(page, "Writes", MODELS[1])
    assert (openai.text(), anthropic.text()) == ("$2.70", "$67.50")
    assert openai.toolTip() == "Written at the plain input price: no write premium"
    assert anthropic.toolTip() == "Written at 1.25× the plain input price"
    cache = next(line for line in page.moves.lines() if "cache the shared prefix" in line)
    assert "billed at the plain input price (no write premium)" in cache  # the moves are for gpt-4o-mini
    assert "costs nothing extra" not in cache
