"""The Plan page under hostile input: absurd numbers get one line and the last plan stays; a failed
export keeps the file that was there; odd saved names are refused before any file is touched."""

from __future__ import annotations

import pytest

from tests.ui.plan.test_plan_page import choose


@pytest.mark.parametrize(
    ("box", "text", "said"),
    [
        ("input_tokens", "1e999999999", "input_tokens must be at most 1,000,000,000"),
        ("requests", "1e400", "requests_per_day must be at most 1,000,000,000,000"),
        ("retry_rate", "1e400", "Retry rate must be at most 10,000 %"),
    ],
)
def test_an_absurd_number_is_refused_in_one_line_and_the_last_plan_stays(qtbot, page, box, text, said):
    choose(qtbot, page, "gpt-4o-mini")
    shown = page.data
    if box == "requests":
        edit = page.form.requests
    elif box in page.form.sizes:
        edit = page.form.sizes[box][0]
    else:
        edit = page.form.shares[box]
    edit.setText(text)
    page.recompute()
    assert said in page.status.text()
    assert page.data is shown and page.table.column_texts("Monthly")["openai/gpt-4o-mini"] == "$9.90"
