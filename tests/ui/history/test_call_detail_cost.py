"""A call's cost line in History's detail: the split into input and output when it was recorded, and
a plain word when only the total was (imported calls): never "input unknown + output unknown" beside a
known total. A call that failed before any output says "not billed" there and in its row."""

from decimal import Decimal

from playground.history.calls import CallEnd, CallStart
from playground.history.filters import Filters
from playground.llm.request import Request
from tests.servers.base import Script
from tests.ui.conftest import off_gui
from ui.history.call_detail import render
from ui.history.model import cell


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


def test_a_call_that_failed_before_any_output_says_not_billed_not_zero_reported(core, local_openai):
    """An HTTP 500 on every attempt: the provider reported nothing and billed nothing. The detail said
    'input 0 (reported) · output 0 (reported)' and '$0 = input $0 + output $0'."""
    from playground.llm.endpoints import Endpoint

    endpoint = Endpoint("local", "openai", local_openai.base_url, "local", price_as="openai")
    for _ in range(4):
        local_openai.push(Script(status=500, error_message="boom"))

    def run_and_read():
        result = core.runner.run(Request.single("local", "gpt-4o-mini", "Hi"), endpoint=endpoint)
        core.history.flush()
        return result, core.history.page(Filters(), limit=1)[0]

    result, row = off_gui(run_and_read)
    assert result.status == "error" and row.unbilled == "not billed"
    text = render(row)
    assert "<b>usage</b> none (the call failed before any output)" in text
    assert "<b>cost</b> not billed" in text
    assert "(reported)" not in text and "$0" not in text
    assert (cell(row, 4), cell(row, 5)) == ("–", "not billed")  # the History row said "0 → 0", "$0"
