"""All chat models that fit: a server priced as OpenAI (as Settings stores it) adds no second row of
OpenAI's figures."""

from __future__ import annotations

from ui.plan.candidates_choice import Pick


def test_every_chat_model_lists_each_price_once(local_openai, page):
    """``local_openai`` comes first: the page's first plan is made with the server set up."""
    assert page.candidates.pick.currentText() == Pick.ALL
    shown = list(page.table.column_texts("Monthly"))
    assert "openai/gpt-4o-mini" in shown and not [m for m in shown if m.startswith("local/")]
    assert len(shown) == len(set(shown))
