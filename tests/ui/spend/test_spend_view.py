"""Spend on a known history: every bar, card and table cell is checked against sums computed here from
the rows this test inserts (never from the app's own queries)."""

import csv
import io
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from playground.history.calls import CallEnd, CallStart
from playground.llm.request import Request
from tests.ui.conftest import off_gui
from tests.ui.spend.known_history import KNOWN, bar_sums, load_known, local_day, noon, open_spend, record

pytestmark = pytest.mark.gui


def test_each_bar_is_its_days_sum_and_no_legend_covers_the_data(qtbot, make_window, core):
    rows = load_known(core)
    view = open_spend(make_window, qtbot)
    expected: dict[date, Decimal] = defaultdict(Decimal)
    for day, _model, cost, *_ in rows:
        expected[day] += cost or 0
    drawn = bar_sums(view)
    assert drawn.keys() == expected.keys()
    for day, total in expected.items():
        assert drawn[day] == pytest.approx(float(total), abs=1e-9), day
        tops = [
            y0 + h
            for item in view.bar_items
            for x, h, y0 in zip(item.opts["x"], item.opts["height"], item.opts["y0"], strict=True)
            if date.fromtimestamp(x) == day
        ]
        assert max(tops) == pytest.approx(float(total), abs=1e-9)  # stacked: the top is the sum
    qtbot.waitUntil(lambda: view.spend_panel.legend.isVisible())
    checked = 0
    for panel in view.panels:
        if panel.is_empty or not panel.legend.text():
            continue
        vb = panel.plot.getPlotItem().vb
        data_rect = panel.plot.mapFromScene(vb.sceneBoundingRect()).boundingRect()
        data_global = data_rect.translated(panel.plot.mapToGlobal(data_rect.topLeft()) - data_rect.topLeft())
        legend_global = panel.legend.rect().translated(
            panel.legend.mapToGlobal(panel.legend.rect().topLeft())
        )
        assert not legend_global.intersects(data_global), panel.name
        checked += 1
    assert checked == len(view.panels)  # every chart has data and a legend here
    hover = view.spend_panel.values_at(view.spend_panel.series[0][1][-1])
    assert hover.startswith(max(expected).isoformat())


def test_cards_are_the_ranges_sums(qtbot, make_window, core):
    rows = load_known(core)
    view = open_spend(make_window, qtbot, "7 days")
    first = view.data.until - timedelta(days=6)
    inside = [r for r in rows if first <= r[0] <= view.data.until]
    priced = sum((r[2] for r in inside if r[2] is not None), Decimal(0))
    unpriced = sum(1 for r in inside if r[2] is None)
    assert view.cards["Spend"].text() == f"<b>at least ${priced:.2f} · {unpriced} call unpriced</b>"
    assert view.cards["Calls"].text() == f"{len(inside):,}"
    tin, tout = sum(r[3] for r in inside), sum(r[4] for r in inside)
    assert view.cards["Tokens in / out"].text() == f"{tin:,} / {tout:,}"
    assert view.cards["Cached input"].text() == f"{sum(r[5] for r in inside):,}"
    assert "projected" in view.cards["Month end (projected)"].accessibleName()
    assert view.cards["Month end (projected)"].text().startswith("~")


def test_model_table_is_the_independent_sums_and_its_csv_is_the_table(
    qtbot, make_window, core, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QFileDialog

    rows = load_known(core)
    view = open_spend(make_window, qtbot, "30 days")
    by_model: dict[str, list] = defaultdict(list)
    for r in rows:
        by_model[r[1]].append(r)
    shown = {line[0]: line for line in view.table.shown()}
    assert shown.keys() == by_model.keys()
    for model, mine in by_model.items():
        line = shown[model]
        assert line[1] == f"{len(mine):,}"
        assert line[3] == f"{sum(r[3] for r in mine):,}" and line[4] == f"{sum(r[4] for r in mine):,}"
        assert line[5] == f"{sum(r[5] for r in mine):,}"
        costs = [r[2] for r in mine if r[2] is not None]
        if costs:
            assert line[7] == f"${sum(costs, Decimal(0)):.2f}"
        else:
            assert line[7] == "unknown"  # the whole ("unknown · 1 call unpriced") in its tooltip
            row = next(i for i in range(view.table.proxy.rowCount()) if view.table.shown()[i][0] == model)
            assert view.table.proxy.index(row, 7).data(Qt.ItemDataRole.ToolTipRole) == (
                "unknown · 1 call unpriced"
            )
    path = tmp_path / "table.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    view.save_table_csv()
    qtbot.waitUntil(lambda: view.status.text().startswith("Saved"), timeout=5000)
    written = list(csv.DictReader(io.StringIO(path.read_text())))
    assert [w["model"] for w in written] == [r.model for r in view.table.rows]
    for w in written:
        line = shown[w["model"]]
        assert f"{int(w['calls']):,}" == line[1] and f"{int(w['input_tokens']):,}" == line[3]
        mine = [r[2] for r in by_model[w["model"]] if r[2] is not None]
        assert (Decimal(w["cost_usd"]) if w["cost_usd"] else None) == (
            sum(mine, Decimal(0)) if mine else None
        )


def test_the_model_filter_lists_every_model_of_the_history(qtbot, make_window, core):
    """Read with the page's first answer (open_spend's refresh supersedes set_core's: the list still
    comes), and kept when the range changes."""
    load_known(core)
    view = open_spend(make_window, qtbot)
    listed = [view.model.itemText(i) for i in range(view.model.count())]
    assert listed == ["all models", *sorted({call[1] for call in KNOWN})]
    view.range.setCurrentText("7 days")
    qtbot.waitUntil(lambda: view.data is not None and not view.drawing, timeout=10_000)
    assert [view.model.itemText(i) for i in range(view.model.count())] == listed


def test_a_table_click_filters_the_charts_and_a_bar_click_filters_the_table(qtbot, make_window, core):
    load_known(core)
    view = open_spend(make_window, qtbot)
    view.pick_model("claude-haiku-4-5")  # what a click on its row does
    qtbot.waitUntil(lambda: [r.model for r in view.table.rows] == ["claude-haiku-4-5"], timeout=5000)
    assert {item.opts["name"] for item in view.bar_items} == {"claude-haiku-4-5"}
    view.model.setCurrentIndex(0)
    qtbot.waitUntil(lambda: len(view.table.rows) == 3, timeout=5000)
    item = next(i for i in view.bar_items if i.opts["name"] == "gpt-4o")
    x, y0, h = item.opts["x"][0], item.opts["y0"][0], item.opts["height"][0]
    view._bar_clicked(x, y0 + h / 2)
    qtbot.waitUntil(lambda: [r.model for r in view.table.rows] == ["gpt-4o"], timeout=5000)


def test_an_empty_range_says_so_and_the_report_is_one_page(qtbot, make_window, core, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    record(core, noon(60), "gpt-4o", "0.40")
    view = open_spend(make_window, qtbot, "7 days")
    assert view.spend_panel.is_empty and view.latency_panel.is_empty
    assert view.spend_panel.empty.text() == "No calls in this range"
    assert view.cards["Calls"].text() == "0"
    path = tmp_path / "report.html"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    view.report_sections.append(lambda first, last: ("Provider bill", f"<p>{first} to {last}</p>"))
    view.save_report()
    qtbot.waitUntil(lambda: view.status.text().startswith("Saved"), timeout=10_000)
    text = path.read_text()
    assert text.count("data:image/png;base64,") == len(view.panels)
    assert "<h2>Provider bill</h2>" in text and "Spend report" in text


def test_unpriced_calls_show_as_at_least_on_the_cards_and_charts(qtbot, make_window, core):
    record(core, noon(0), "gpt-4o", "0.50")
    record(core, noon(0), "my-local-model", None)
    view = open_spend(make_window, qtbot)
    assert "at least $0.50 · 1 call unpriced" in view.cards["Spend"].text()
    assert "1 unpriced not shown" in view.spend_panel.legend.text()
    spent = next(s for s in view.month_panel.series if s[0] == "spent")
    assert spent[2][-1] == pytest.approx(0.5)  # the priced part only, never a made-up $0 for the other
    assert "1 unpriced" in view.month_panel.values_at(spent[1][-1])


def test_latency_is_one_models_median_with_its_p95_and_speed(qtbot, make_window, core):
    record(core, noon(0), "gpt-4o", "0.10", tout=50, ms=1000)  # 50 output tokens in 1 s; first token 250 ms
    record(core, noon(0), "claude-haiku-4-5", "0.10", tout=50, ms=400)
    view = open_spend(make_window, qtbot)
    view.latency_model.setCurrentText("claude-haiku-4-5")  # its three charts are drawn one per frame
    qtbot.waitUntil(lambda: not view.drawing, timeout=5000)
    names = [s[0] for s in view.latency_panel.series]
    assert names == ["claude-haiku-4-5 p50", "claude-haiku-4-5 p95"]
    assert abs(view.latency_panel.series[0][2][-1] - 400) / 400 < 0.1
    assert abs(view.ttft_panel.series[0][2][-1] - 100) / 100 < 0.1
    assert view.speed_panel.series[0][2][-1] == pytest.approx(
        50 / ((400 - 400 / 4) / 1000)
    )  # after the first token


# (days back, model, cached input tokens, reasoning tokens) of a history brought in by an import
IMPORTED = [
    (0, "o3", 40, 300),
    (1, "o3", 0, 120),
    (2, "gpt-4o", 70, 0),
    (5, "gpt-4o", 25, 0),
    (40, "o3", 999, 999),  # outside "30 days"
]


def test_cached_and_reasoning_columns_are_the_sums_after_an_import_and_a_new_call(
    qtbot, make_window, core, tmp_path
):
    from playground.history.calls import HistoryStore
    from playground.history.filters import Filters
    from playground.history.storage import Storage
    from playground.history.transfer import export_file, import_file

    def make_export() -> None:  # another history's calls, exported as a user would
        other = Storage(tmp_path / "other" / "history.db")
        store = HistoryStore(other)
        for back, model, cached, reasoning in IMPORTED:
            call = store.start_call(
                CallStart(Request.single("e", model, "p"), "openai", None, {}, started_at=noon(back))
            )
            store.finish_call(
                call,
                CallEnd(
                    "ok",
                    input_tokens=500,
                    output_tokens=400,
                    cache_read_tokens=cached,
                    reasoning_tokens=reasoning,
                    duration_ms=800,
                ),
            )
        export_file(other, Filters(), tmp_path / "export.json", as_csv=False)
        other.close()

    (tmp_path / "other").mkdir()
    off_gui(make_export)
    assert off_gui(lambda: import_file(core.storage, tmp_path / "export.json", core.pricer)).added == 5
    view = open_spend(make_window, qtbot, "30 days")
    first = view.data.until - timedelta(days=29)

    def expected(calls) -> dict[str, list[str]]:
        sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for back, model, cached, reasoning in calls:
            if local_day(core, noon(back)) >= first:
                sums[model][0] += cached
                sums[model][1] += reasoning
        return {m: [f"{c:,}", f"{r:,}"] for m, (c, r) in sums.items()}

    def shown() -> dict[str, list[str]]:
        return {line[0]: line[5:7] for line in view.table.shown()}

    assert shown() == expected(IMPORTED)
    assert view.cards["Cached input"].text() == f"{40 + 70 + 25:,}"
    assert "…" not in {cell for line in view.table.shown() for cell in line}  # no column left to count

    def new_call() -> None:  # a call made here after the import, through finish_call
        call = core.history.start_call(
            CallStart(Request.single("e", "o3", "p"), "openai", None, {}, started_at=noon(0))
        )
        core.history.finish_call(
            call, CallEnd("ok", input_tokens=10, output_tokens=90, cache_read_tokens=8, reasoning_tokens=64)
        )

    off_gui(new_call)
    view.refresh()
    after = expected([*IMPORTED, (0, "o3", 8, 64)])
    qtbot.waitUntil(lambda: shown() == after, timeout=10_000)
    assert after["o3"] == [f"{40 + 8:,}", f"{300 + 120 + 64:,}"]


def test_a_card_taking_a_second_line_leaves_the_charts_where_they_are(qtbot, make_window, core):
    """Cards going from "–" to a line that wraps (a long budget line) do not re-lay the page: that moved
    and repainted all six charts in one frame, 70-80 ms of GUI time on a million-call first open."""
    load_known(core)
    view = open_spend(make_window, qtbot)
    for card in view.cards.values():
        card.setText("–")  # as before the first answer
    qtbot.wait(50)
    before = [panel.plot.geometry() for panel in view.panels]
    budget = view.cards["Budget"]
    budget.setText("$12.50 of $10.00 · is over by $2.50 · set in Settings")
    qtbot.wait(50)
    assert budget.heightForWidth(budget.width()) > budget.fontMetrics().lineSpacing()  # it did wrap
    assert [panel.plot.geometry() for panel in view.panels] == before


def test_spend_asked_for_before_the_core_is_up_is_built_with_it_and_draws(qtbot, make_window, core):
    """Ctrl+4 during start-up: the slot says Loading until the core arrives (before, Spend was built
    without a core, logged a failure and never drew); then the page is built with it and draws."""
    rows = load_known(core)
    window = make_window(attach=False)
    window.tabs.show_mode("Spend")  # as Ctrl+4 does (the action is off until the core is up)
    qtbot.wait(300)
    assert window.spend is None and window.tabs.is_placeholder(window.tabs.currentWidget())
    assert window.tabs.currentWidget().findChild(QLabel).text() == "Loading Spend…"
    with qtbot.waitSignal(window.session.coreReady, timeout=10_000):
        window.session.attach(core)
    qtbot.waitUntil(lambda: window.spend is not None, timeout=10_000)
    view = window.spend
    assert window.tabs.currentWidget() is view
    qtbot.waitUntil(lambda: view.data is not None and not view.drawing, timeout=10_000)
    assert view.cards["Calls"].text() == str(len(rows))


def test_a_model_with_calls_but_no_spend_says_so_and_its_month_end_is_its_own(qtbot, make_window, core):
    """Picked alone, a model priced $0 showed an empty chart on the last model's dollar axis, and the
    Month end card kept all models' projection beside a month chart saying $0."""
    record(core, noon(0), "gpt-4o", "2.00")
    record(core, noon(1), "my-free-model", "0")
    view = open_spend(make_window, qtbot)
    all_models = view.cards["Month end (projected)"].text()
    view.pick_model("my-free-model")
    qtbot.waitUntil(
        lambda: view.data is not None and [r.model for r in view.data.models] == ["my-free-model"],
        timeout=10_000,
    )
    qtbot.waitUntil(lambda: not view.drawing, timeout=10_000)
    assert view.spend_panel.legend.text() == "No priced spend in this range: every call here cost $0"
    assert view.spend_panel.plot.getPlotItem().vb.viewRange()[1][1] <= 1.5  # not the $2 axis of before
    month_end = view.cards["Month end (projected)"].text()
    assert month_end != all_models and "$0" in month_end


@pytest.mark.parametrize("period", ["day", "week"])
def test_the_period_still_running_is_drawn_as_a_part_so_far(qtbot, make_window, core, period):
    """Today's bar and this week's read as a fall: they are drawn paler (dashed for tokens) and
    their legends say so; the heights stay the sums."""
    record(core, noon(0), "gpt-4o", "0.10")
    record(core, noon(8), "gpt-4o", "0.90")
    view = open_spend(make_window, qtbot)
    view.period.setCurrentText(period)
    view.refresh()
    qtbot.waitUntil(lambda: view.data is not None and view.data.period == period and not view.drawing)
    (bars,) = view.bar_items
    veil = view.spend_panel.veil.rect()  # a translucent cover over the last bar, and only it
    last_x, width = bars.opts["x"][-1], bars.opts["width"]
    assert (veil.left(), veil.right()) == pytest.approx((last_x - width / 2, last_x + width / 2))
    assert (veil.top(), veil.bottom()) == pytest.approx((0, bars.opts["height"][-1]))
    assert view.spend_panel.veil.brush().color().alpha() < 255
    assert bars.opts["height"][-1] == pytest.approx(0.10)  # still the sum so far
    words = {"day": "today so far", "week": "this week so far"}[period]
    assert view.spend_panel.legend.text().endswith(f"(paler: {words})")
    assert view.tokens_panel.legend.text().endswith(f"(dashed: {words})")


def test_on_the_first_open_each_chart_is_painted_once(qtbot, core):
    """One paint per chart as the page first draws (one frame each). A plot placed only at its paint
    asked for a second one in the next frame (the month chart; all six after their warm-up render),
    doubling the GUI time of a first open (bench/bench_spend_gui.py)."""
    from PySide6.QtCore import QEvent, QObject

    from ui.common.background import Background
    from ui.spend.view import SpendView

    load_known(core)
    background = Background()
    view = SpendView(background)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(100)
    paints = {panel.name: 0 for panel in view.panels}

    class Count(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint:
                paints[watched.parent().accessibleName()] += 1
            return False

    counter = Count()
    for panel in view.panels:
        panel.plot.viewport().installEventFilter(counter)
    view.set_core(core)
    qtbot.waitUntil(lambda: view.data is not None and not view.drawing, timeout=10_000)
    qtbot.wait(300)  # a second paint would come in a later frame
    assert all(not panel.is_empty for panel in view.panels)  # all six drawn with data
    assert paints == {panel.name: 1 for panel in view.panels}
    background.shutdown()
