"""Plan these models…: enabled once the run has results, it emits the columns' models and the token
sizes the run measured."""

import pytest

from playground.compare.columns import Column
from playground.plan.workload import Tokens
from tests.servers.base import Script
from tests.ui.compare.test_compare_view import compare, run_all  # noqa: F401  (fixture)

pytestmark = pytest.mark.gui


def test_plan_these_models_after_a_run(qtbot, window, compare, local_openai):  # noqa: F811
    compare.add_column(Column("local", "gpt-4o"))
    compare.add_column(Column("local", "gpt-4o-mini"))
    plan = compare.toolbar.plan_button
    assert not plan.isEnabled()  # nothing measured yet
    local_openai.by_model = {  # the server reports these prompt sizes; each word is one output token
        "gpt-4o": Script(text="one two three", prompt_tokens=40),
        "gpt-4o-mini": Script(text="one two three four five", prompt_tokens=60),
    }
    run_all(qtbot, window)
    assert plan.isEnabled()
    with qtbot.waitSignal(compare.planRequested, timeout=5000) as signal:
        plan.click()
    seed = signal.args[0]
    assert seed.models == ("local/gpt-4o", "local/gpt-4o-mini")
    # two calls: nearest-rank p50 is the smaller, p95 the larger, the average between
    assert seed.workload.input == Tokens(40, 60, 50)
    assert seed.workload.output == Tokens(3, 5, 4)


def test_no_plan_while_blind(qtbot, window, compare, local_openai):  # noqa: F811
    """A plan names the models and their costs: not before the vote."""
    compare.add_column(Column("local", "gpt-4o"))
    compare.add_column(Column("local", "gpt-4o-mini"))
    compare.blind.setChecked(True)
    run_all(qtbot, window)
    assert not compare.toolbar.plan_button.isEnabled()
    with qtbot.waitSignal(window.compare_session.voted, timeout=5000):  # saved off the GUI thread
        compare.columns[0].vote_button.click()
    assert compare.toolbar.plan_button.isEnabled()
