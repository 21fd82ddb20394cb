"""The Plan page's bad-input messages name the boxes as labelled on screen and point at the table where
it is; Export is off while the figures shown are not the form's (an edit not yet planned, a form that
does not plan), its tooltip saying why, and back with the next plan."""

from __future__ import annotations

import pytest

from tests.ui.plan.conftest import WAIT
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


def test_export_is_off_while_the_figures_shown_are_not_the_forms(qtbot, page, answers, tmp_path):
    choose(qtbot, page, "gpt-4o-mini")
    csv = page.export_buttons["CSV"]
    assert csv.isEnabled() and "Save this plan as CSV" in csv.toolTip()
    page.form.requests.setText("2000")
    page.form.requests.textEdited.emit("2000")  # an edit: the plan shown is of 1,000 requests a day
    assert not any(b.isEnabled() for b in page.export_buttons.values())
    assert csv.toolTip().startswith("The form changed since this plan was made")
    with qtbot.waitSignal(page.planShown, timeout=WAIT):
        pass
    assert csv.isEnabled() and page.data["requests_per_month"] == "60000"

    page.form.shares["retry_rate"].setText("lots")
    page.recompute()
    assert not csv.isEnabled()
    assert csv.toolTip() == (
        "Not planned: Retry rate must be a number of percent, not 'lots'. "
        "Export is back once the form plans again."
    )
    page.export("CSV", "csv", "CSV (*.csv)")  # no path asked (answers["paths"] is empty), no file
    assert page.status.text() == "Not exported: the figures shown are not of the form as it is now"
    target = tmp_path / "plan.csv"
    answers["paths"].append(target)
    page.form.shares["retry_rate"].setText("")
    with qtbot.waitSignal(page.planShown, timeout=WAIT):
        page.recompute()
    csv.click()
    qtbot.waitUntil(lambda: "Exported" in page.status.text(), timeout=WAIT)
    assert target.exists()


def test_no_export_before_the_first_plan(qtbot):
    from ui.common.background import Background
    from ui.plan.page import PlanPage

    fresh = PlanPage(Background())
    qtbot.addWidget(fresh)
    assert not fresh.export_buttons["JSON"].isEnabled()
    assert fresh.export_buttons["JSON"].toolTip() == "No plan yet: export comes with the first plan."
    fresh._background.shutdown()
