"""The Plan page's average sizes: a measured seed fills the "average" boxes and the bill uses them
(gpt-4o-mini: $0.15 input / $0.60 output per MTok); emptied, the bill is at p50 and the summary and the
notes say it is likely low. The details are Sections, the chart under its own tab."""

from __future__ import annotations

from decimal import Decimal as D

from playground.plan.sources import PlanSeed
from playground.plan.workload import Tokens, Workload
from tests.ui.plan.conftest import WAIT

MTOK = D(1_000_000)
SEED = PlanSeed(
    Workload(D(10), Tokens(100, 10_000, 1090), Tokens(10, 1000, 109), name="from history"),
    ("openai/gpt-4o-mini",),
    "History: 10 finished calls over 1 day",
)


def test_a_measured_average_fills_its_box_and_the_bill_uses_it(qtbot, page):
    with qtbot.waitSignal(page.planShown, timeout=WAIT):
        page.open_seed(SEED)
    p50, p95, mean = page.form.sizes["input_tokens"]
    assert (p50.text(), p95.text(), mean.text()) == ("100", "10000", "1090")
    assert page.form.sizes["output_tokens"][2].text() == "109"
    assert page.form.sizes["reasoning_tokens"][2].text() == ""  # no reasoning measured
    # a fixed size's average is its p50 (it read "unknown" beside a reasoning size of 0 = p50)
    assert page.form.sizes["reasoning_tokens"][2].placeholderText() == "= p50"
    assert page.form.sizes["input_tokens"][2].placeholderText() == "unknown"  # p95 given
    # 300 requests a month of the average request: 1,090 x $0.15 + 109 x $0.60 per MTok
    assert D(page.data["models"][0]["monthly_usd"]) == 300 * (1090 * D("0.15") + 109 * D("0.60")) / MTOK
    assert "billed at the average request sizes" in page.summary.text()
    assert "the bill uses the average request sizes" in " ".join(page.notes.lines())

    for key in ("input_tokens", "output_tokens"):
        page.form.sizes[key][2].setText("")
    with qtbot.waitSignal(page.planShown, timeout=WAIT):
        page.recompute()
    assert D(page.data["models"][0]["monthly_usd"]) == 300 * (100 * D("0.15") + 10 * D("0.60")) / MTOK
    assert "billed at the median (p50) input and output sizes: likely low" in page.summary.text()
    assert any("the real bill is likely higher" in line for line in page.notes.lines())


def test_an_average_typed_in_the_form_is_saved_and_planned(qtbot, page, answers):
    with qtbot.waitSignal(page.planShown, timeout=WAIT):
        page.open_seed(SEED)
    page.form.sizes["input_tokens"][2].setText("2000")
    with qtbot.waitSignal(page.planShown, timeout=WAIT):
        page.recompute()
    assert page.data["workload"]["input_tokens"] == {"p50": 100, "p95": 10_000, "mean": 2000}
    assert page.form.workload().input == Tokens(100, 10_000, 2000)
    page.form.sizes["input_tokens"][1].setText("")  # no p95: the average still counts, p95 = p50
    assert page.form.workload().input == Tokens(100, 100, 2000)


def test_the_details_are_sections_with_the_chart_under_its_tab(qtbot, page):
    from ui.common.sections import Sections

    assert isinstance(page.details, Sections)
    assert [page.details.tabText(i) for i in range(page.details.count())] == [
        "Savings moves",
        "Does not fit (0)",
        "Sensitivity",
        "Notes",
    ]
    page.details.setCurrentWidget(page.chart)  # as docs/scenes.py shows it
    assert page.details.currentIndex() == 2 and page.details.currentWidget() is page.chart
