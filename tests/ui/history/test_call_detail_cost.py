"""A call's cost line in History's detail: the split into input and output when it was recorded, and
a plain word when only the total was (imported calls): never "input unknown + output unknown" beside a
known total."""

from decimal import Decimal

from playground.history.calls import CallEnd, CallStart
from playground.history.filters import Filters
from playground.llm.request import Request
from tests.ui.conftest import off_gui
from ui.history.call_detail import render


def recorded(core, **cost):
    return off_gui(lambda: _record(core, **cost))  # tests under ui/ keep SQL off the GUI thread


def _record(core, **cost):
    call = core.history.start_call(CallStart(Request.single("openai", "gpt-4o", "hi"), "openai", None, {}))
    core.history.finish_call(
        call, CallEnd("ok", input_tokens=10, output_tokens=5, price_source="test", **cost)
    )
    core.history.flush()
    return core.history.page(Filters(), limit=1)[0]


def test_a_split_cost_shows_both_parts(core):
    row = recorded(
        core, cost_usd=Decimal("0.003"), cost_input_usd=Decimal("0.001"), cost_output_usd=Decimal("0.002")
    )
    assert "= input $0.001 + output $0.002" in render(row)


def test_a_total_alone_says_so_instead_of_two_unknowns(core):
    text = render(recorded(core, cost_usd=Decimal("0.0231")))
    assert "$0.0231 (no input/output split recorded)" in text and "unknown" not in text
