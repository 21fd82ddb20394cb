"""The Plan page's quality: pass rate and vote share columns from History (read on the Background
pool), the quality move in the moves list, the min pass rate field, all as `playground plan --json`."""

from __future__ import annotations

import json

import pytest

from tests.playground.cli.cli_proc import cli
from tests.playground.plan.test_quality import MODELS, WORKLOAD, history  # noqa: F401 (a fixture)
from ui.common.background import Background
from ui.plan.candidates_choice import Pick
from ui.plan.page import PlanPage
from ui.plan.plan_table import COLUMNS

WAIT = 20_000
HEADERS = [c for c, _ in COLUMNS]


@pytest.fixture
def page(qtbot, core):
    background = Background()
    made = PlanPage(background)
    qtbot.addWidget(made)
    made.resize(1280, 760)
    made.show()
    made.form.set_workload(WORKLOAD)
    made.candidates.pick.setCurrentText(Pick.CHOSEN)
    made.candidates.names.setText(",".join(MODELS))
    made.candidates.names.textEdited.emit(",".join(MODELS))
    yield made
    background.shutdown()


def plan(qtbot, page, core, floor: str = "") -> None:
    with qtbot.waitSignal(page.planShown, timeout=WAIT):
        page.min_pass_rate.setText(floor)
        page.set_core(core)


def test_the_page_shows_history_quality_and_the_move_as_the_command_does(qtbot, page, core, history):  # noqa: F811
    plan(qtbot, page, core, "75%")
    assert list(page.candidates.models()) == MODELS
    done = cli(
        "plan",
        "--requests-per-day",
        "1000",
        "--input",
        "1000",
        "--output",
        "100",
        "--name",
        "quality",
        "--models",
        ",".join(MODELS),
        "--min-pass-rate",
        "75%",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    assert page.data == json.loads(done.stdout)
    rates = page.table.column_texts("Pass rate")
    assert rates == {
        "openai/gpt-4o-mini": "75%",
        "openai/gpt-4o": "90%",
        "anthropic/claude-sonnet-4-5": "not measured",
    }
    assert page.table.column_texts("Vote share")["openai/gpt-4o"] == "66.7%"
    assert not page.table.isColumnHidden(HEADERS.index("Pass rate"))
    assert page.moves.lines()[-1].startswith(
        "switch to the cheapest model with pass rate ≥ 75% (openai/gpt-4o): $98.70/month — "
        "to openai/gpt-4o-mini: pass rate 90% → 75%"
    )


def test_without_quality_in_history_the_columns_hide_and_the_move_says_what_is_missing(qtbot, page, core):
    plan(qtbot, page, core)
    assert page.table.isColumnHidden(HEADERS.index("Pass rate"))
    assert page.table.isColumnHidden(HEADERS.index("Vote share"))
    assert page.table.column_texts("Pass rate")["openai/gpt-4o"] == "not measured"
    assert page.moves.lines()[-1].endswith(
        "openai/gpt-4o's pass rate is not measured (run an evaluation that includes it)"
    )


def test_a_bad_floor_says_so_and_keeps_the_last_plan(qtbot, page, core):
    plan(qtbot, page, core)
    shown = page.data
    page.min_pass_rate.setText("lots")
    page.recompute()
    assert "Min pass rate 'lots' is not a share (0.85) or a percentage (85%)" in page.status.text()
    assert page.data is shown
