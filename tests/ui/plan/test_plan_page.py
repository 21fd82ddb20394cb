"""The Plan page: its figures are `playground plan --json`'s (a real process), edits recompute, unknown
stays unknown, a too-small model is listed apart, saved workloads round-trip, files move off the GUI
thread, and the sensitivity chart passes through the table's figure."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

from playground.plan import export
from playground.plan.saved import SavedWorkloads
from playground.plan.workload import load
from tests.playground.cli.cli_proc import cli
from tests.ui.conftest import off_gui
from tests.ui.plan.conftest import WAIT
from ui.plan.candidates_choice import Pick

DATA = Path(__file__).resolve().parents[2] / "data" / "plan"
MODELS = "claude-sonnet-4-5,gpt-4o-mini,gpt-4"


def choose(qtbot, page, models: str) -> None:
    with qtbot.waitSignal(page.planShown, timeout=WAIT):
        page.candidates.pick.setCurrentText(Pick.CHOSEN)
        page.candidates.names.setText(models)
        page.candidates.names.textEdited.emit(models)


def pick_saved(qtbot, page, name: str) -> None:
    combo = page.saved_bar.combo
    with qtbot.waitSignal(page.planShown, timeout=WAIT):
        combo.setCurrentText(name)
        combo.activated.emit(combo.currentIndex())


def save_support_bot(qtbot, page, core) -> Path:
    saved = SavedWorkloads(core.home)
    path = off_gui(lambda: saved.save(load(DATA / "support_bot.toml"), "support bot"))
    with qtbot.waitSignal(page.savedChanged, timeout=WAIT):
        page._refresh_names("")
    return path


def test_the_page_shows_what_playground_plan_json_prints_for_the_saved_workload(qtbot, page, core):
    path = save_support_bot(qtbot, page, core)
    choose(qtbot, page, MODELS)
    pick_saved(qtbot, page, "support bot")
    done = cli("plan", "--file", str(path), "--models", MODELS, "--json")
    assert done.returncode == 0, done.stderr
    assert page.data == json.loads(done.stdout)
    monthly = page.table.column_texts("Monthly")
    assert monthly["anthropic/claude-sonnet-4-5"] == "$684.00"  # the hand figure (test_planner)
    assert page.table.column_texts("Writes")["anthropic/claude-sonnet-4-5"] == "$225.00"
    # gpt-4's 8,192-token window is too small for 10,500 tokens: listed apart, with the reason
    assert "openai/gpt-4" not in monthly
    assert page.unfit.lines() == [
        "openai/gpt-4: needs 10,500 tokens (p95 input + output + reasoning), context window is 8,192"
    ]
    assert page.details.tabText(1) == "Does not fit (1)"
    assert any(line.startswith("cache the shared prefix") for line in page.moves.lines())


def test_editing_a_field_recomputes_once_the_typing_pauses(qtbot, page):
    choose(qtbot, page, "gpt-4o-mini")
    before = D(page.data["models"][0]["monthly_usd"])
    requests = page.form.requests
    requests.setFocus()
    plans = []
    page.planShown.connect(lambda: plans.append(page.data))
    with qtbot.waitSignal(page.planShown, timeout=WAIT):
        requests.selectAll()
        qtbot.keyClicks(requests, "3000")
    qtbot.wait(600)  # two debounce periods: no late plans for "3", "30", "300"
    assert len(plans) == 1
    assert page.data["requests_per_month"] == "90000"
    assert D(page.data["models"][0]["monthly_usd"]) == before * 3
    # 1,000 x 30 requests x (1,000 input x $0.15 + 300 output x $0.60) / 1M = $9.90; now three times
    assert page.table.column_texts("Monthly")["openai/gpt-4o-mini"] == "$29.70"


def test_a_bad_field_says_so_and_keeps_the_last_plan(qtbot, page):
    choose(qtbot, page, "gpt-4o-mini")
    shown = page.data
    page.form.shares["cache_hit_rate"].setText("abc")
    page.recompute()
    assert "Cache hit rate must be a number of percent, not 'abc'" in page.status.text()
    assert page.data is shown and page.table.rowCount() == 1
    page.form.shares["cache_hit_rate"].setText("150")
    page.recompute()
    assert "Cache hit rate must be between 0 and 100 %, not '150'" in page.status.text()
    page.form.shares["cache_hit_rate"].setText("")
    page.form.sizes["input_tokens"][0].setText("12.5")
    page.recompute()
    assert page.status.text() == (  # the box as labelled on screen; the table is on the right
        "Not planned: Input tokens, typical (p50) must be a whole number of tokens, not '12.5'. "
        "The table on the right still shows the last plan made."
    )
    assert page.data is shown


def test_an_unpriced_model_reads_unknown_and_ranks_last(qtbot, page):
    choose(qtbot, page, "openai/no-such-model-7, gpt-4o-mini")
    monthly = page.table.column_texts("Monthly")
    assert monthly["openai/no-such-model-7"] == "unknown"
    flags = page.table.column_texts("Flags")
    assert (flags["openai/no-such-model-7"], flags["openai/gpt-4o-mini"]) == (
        "unknown model",
        "fits",
    )  # was "fits"
    assert page.table.item(page.table.rowCount() - 1, 0).text() == "openai/no-such-model-7"
    page.table.sortItems(1, page.table.horizontalHeader().sortIndicatorOrder().DescendingOrder)
    assert page.table.item(page.table.rowCount() - 1, 0).text() == "openai/no-such-model-7"


def test_save_as_load_and_delete_by_name_and_a_bad_name_is_refused(qtbot, page, core, answers):
    choose(qtbot, page, "gpt-4o-mini")
    page.form.requests.setText("2500")
    answers["names"] += ["../escape", "nightly"]
    page.saved_bar.save_as.click()
    assert "Not saved: a workload name cannot contain /" in page.status.text()
    with qtbot.waitSignal(page.savedChanged, timeout=WAIT):
        page.saved_bar.save_as.click()
    assert page.saved_bar.current == "nightly"
    folder = core.home / "workloads"
    assert off_gui(lambda: sorted(p.name for p in folder.iterdir())) == ["nightly.toml"]
    assert off_gui(lambda: load(folder / "nightly.toml")).requests_per_day == D(2500)
    page.form.requests.setText("10")
    pick_saved(qtbot, page, "nightly")
    assert page.form.requests.text() == "2500" and page.data["workload"]["name"] == "nightly"
    with qtbot.waitSignal(page.savedChanged, timeout=WAIT):
        page.saved_bar.delete.click()
    assert page.saved_bar.current == "" and off_gui(lambda: list(folder.iterdir())) == []


def test_export_writes_the_same_csv_as_the_command(qtbot, page, answers, tmp_path):
    choose(qtbot, page, "gpt-4o-mini,claude-sonnet-4-5")
    target = tmp_path / "plan.csv"
    answers["paths"].append(target)
    page.export_buttons["CSV"].click()
    qtbot.waitUntil(lambda: "Exported" in page.status.text(), timeout=WAIT)
    assert off_gui(lambda: target.read_text(encoding="utf-8")) == export.to_csv(page.data)


def test_the_sensitivity_curve_passes_through_the_tables_figure(qtbot, page):
    choose(qtbot, page, "gpt-4o-mini,claude-sonnet-4-5")
    found = page.shown.sensitivity
    for m in page.data["models"]:
        series = next(s for s in found.by_rate if s.model == m["model"])
        assert series.at(found.rate) == D(m["monthly_usd"])
    hover = page.chart.by_rate.values_at(page.chart.by_rate.to_plot(found.rate))
    assert "1k requests/day" in hover or "1,000 requests/day" in hover
    assert "openai/gpt-4o-mini: $9.90/month" in hover


def test_plan_is_a_mode_of_the_window_built_on_first_show(qtbot, make_window):
    window = make_window()
    assert window.plan is None
    window.show_mode("Plan")
    qtbot.waitUntil(lambda: window.plan is not None, timeout=WAIT)
    assert window.tabs.currentWidget() is window.plan
    qtbot.waitUntil(lambda: window.plan.data is not None, timeout=WAIT)
    assert window.plan.table.rowCount() > 3  # every chat model that fits


def test_a_seed_from_elsewhere_fills_the_form_names_its_source_and_plans(qtbot, page):
    from playground.plan.sources import PlanSeed

    seed = PlanSeed(workload=load(DATA / "support_bot.toml"), models=("gpt-4o-mini",), source="Compare")
    with qtbot.waitSignal(page.planShown, timeout=WAIT):
        page.open_seed(seed)
    assert page.source.text() == "From: Compare" and page.form.requests.text() == "1000"
    assert [m["model"] for m in page.data["models"]] == ["openai/gpt-4o-mini"]
    with qtbot.waitSignal(page.planShown, timeout=WAIT):
        page.candidates.pick.setCurrentText(Pick.COMPARE)  # no compare set here: every chat model
    assert "Compare set is empty" in page.status.text() and len(page.data["models"]) > 3


def test_a_plan_asked_for_then_left_while_it_loads_is_ready_when_shown_later(qtbot, make_window):
    """Plan is built in steps after its modules load: someone who asks for a plan and goes to
    History meanwhile finds it, with its workload, when they come back by the rail."""
    from playground.plan.sources import PlanSeed
    from playground.plan.workload import Tokens, Workload
    from ui.main_window import MODES

    window = make_window()
    seed = PlanSeed(Workload(D(1234), Tokens(500, 800), Tokens(100, 200)), None, "a test's workload")
    window.show_plan(seed)
    window.show_mode("History")
    qtbot.waitUntil(lambda: window.plan is not None, timeout=WAIT)
    assert window.tabs.currentWidget() is window.history  # not pulled back to Plan
    window.rail.picked.emit([m for m, _ in MODES].index("Plan"))
    assert window.tabs.currentWidget() is window.plan and window.plan.has_core
    assert window.plan.source.text() == "From: a test's workload"
    qtbot.waitUntil(lambda: window.plan.data is not None, timeout=WAIT)


def test_a_long_source_wraps_and_measured_figures_are_rounded_so_the_form_fits(qtbot, page):
    """Seeded from Playground, the one-line source widened the form past its pane (the p95 boxes and
    Save as… cut off) and a measured share read "94.1422594142259414225941422"."""
    from dataclasses import replace

    from playground.plan.sources import PlanSeed

    workload = replace(
        load(DATA / "support_bot.toml"),
        requests_per_day=D(20000) / D(9),
        cacheable_share=D(225) / D(239),
    )
    source = "Playground prompt: input 239 tokens (tiktoken o200k_base, exact for this model), gpt-4o-mini"
    with qtbot.waitSignal(page.planShown, timeout=WAIT):
        page.open_seed(PlanSeed(workload=workload, models=("gpt-4o-mini",), source=source))
    assert page.form.requests.text() == "2222.22"
    assert page.form.shares["cacheable_share"].text() == "94.14"
    assert D(page.data["requests_per_month"]) == D("2222.22") * 30  # planned from what is shown
    scroll = page.form.parentWidget().parentWidget().parentWidget()  # the left pane's scroll area
    qtbot.waitUntil(lambda: page.source.isVisible(), timeout=2000)
    assert page.form.parentWidget().minimumSizeHint().width() <= scroll.viewport().width()


def test_an_empty_request_count_says_so_instead_of_planning_nothing(qtbot, page):
    choose(qtbot, page, "gpt-4o-mini")
    shown = page.data
    page.form.requests.setText("")
    page.recompute()
    assert "Requests is empty: how many requests per day?" in page.status.text()
    assert page.data is shown
    page.form.requests.setText("0")  # a plan of nothing: the log-scale rate chart has no 0
    with qtbot.waitSignal(page.planShown, timeout=WAIT):
        page.recompute()
    assert page.status.text() == "" and page.data["requests_per_month"] == "0"
    assert "1 model fits" in page.summary.text()


def test_a_seed_naming_an_endpoint_no_longer_set_up_plans_the_rest_and_says_so(qtbot, page):
    from playground.plan.sources import PlanSeed

    seed = PlanSeed(load(DATA / "support_bot.toml"), ("ollama/llama3.2", "openai/gpt-4o-mini"), "History")
    with qtbot.waitSignal(page.planShown, timeout=WAIT):
        page.open_seed(seed)
    assert [m["model"] for m in page.data["models"]] == ["openai/gpt-4o-mini"]
    assert page.status.text() == (
        "Left out, as their endpoints are not in Settings ▸ Endpoints: ollama/llama3.2."
    )
