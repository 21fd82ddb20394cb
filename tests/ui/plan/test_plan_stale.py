"""The Plan page's bad-input messages name the boxes as labelled on screen and point at the table where
it is."""

from __future__ import annotations

import pytest

from tests.ui.plan.test_plan_page import choose

KEPT = "The table on the right still shows the last plan made."


@pytest.mark.parametrize(
    ("box", "text", "said"),
    [
        (0, "12.5", "Input tokens, typical (p50) must be a whole number of tokens, not '12.5'"),
        (1, "3", "Input tokens, high (p95) must be at least the typical (p50) size, 1000, not 3"),
        (2, "-4", "Input tokens, average cannot be negative, not '-4'"),
        (2, "many", "Input tokens, average must be a number, not 'many'"),
    ],
)
def test_a_bad_size_is_named_as_on_screen_and_the_table_is_on_the_right(qtbot, page, box, text, said):
    choose(qtbot, page, "gpt-4o-mini")
    page.form.sizes["input_tokens"][box].setText(text)
    page.recompute()
    assert page.status.text() == f"Not planned: {said}. {KEPT}"
    assert "input_tokens" not in page.status.text() and "below" not in page.status.text()
