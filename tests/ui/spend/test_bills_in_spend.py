"""The provider bill is a section of the Spend page: it follows the page's range and joins its report."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from playground.bills.service import Bills
from tests.playground.bills.conftest import record
from tests.ui.conftest import off_gui
from tests.ui.spend.known_history import open_spend

DATA = Path(__file__).parents[2] / "data" / "bills"


def open_spend_with_a_bill(qtbot, make_window, core):
    """Spend over "All", with one call recorded on 2026-11-01 and OpenAI's sample bill imported."""

    def prepare() -> None:
        record(core, "openai", "gpt-4o-mini", "2026-11-01T10:00:00", "1.50")
        core.history.flush()
        Bills(core.storage, core.keys).import_csv(DATA / "openai_costs.csv")

    off_gui(prepare)
    return open_spend(make_window, qtbot, "All")


def test_the_bill_tab_follows_the_range_and_its_figures_reach_the_report(
    qtbot, make_window, core, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QFileDialog

    view = open_spend_with_a_bill(qtbot, make_window, core)
    titles = [view.sections.tabText(i) for i in range(view.sections.count())]
    assert "Provider bill" in titles
    bills = view.sections.widget(titles.index("Provider bill"))
    qtbot.waitUntil(lambda: (bills.first, bills.last) == (view.data.since, view.data.until), timeout=5000)
    assert str(view.data.since) == "2026-11-01"  # "All" starts at the first recorded call

    def shown() -> dict[tuple[str, str], list[str]]:
        t = bills.table
        rows = [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]
        return {(row[0], row[2]): row[3:] for row in rows}

    assert bills.table.rowCount() == 0  # hidden behind "Recorded here": read once it is shown
    view.sections.setCurrentIndex(titles.index("Provider bill"))
    qtbot.waitUntil(lambda: ("2026-11-01", "gpt-4o-mini") in shown(), timeout=5000)
    assert shown()[("2026-11-01", "gpt-4o-mini")] == ["$1.50", "$1.50", "$0", "matches"]
    assert shown()[("2026-11-03", "gpt-4o")][:3] == ["$3.20", "$0", "+$3.20"]  # billed, not recorded here

    path = tmp_path / "report.html"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    view.save_report()
    qtbot.waitUntil(lambda: view.status.text().startswith("Saved"), timeout=10_000)
    text = path.read_text()
    # The report is this month's; the imported bill is November's, so the section says there is none.
    assert "<h2>Provider bill (UTC days)</h2><p>No provider bill imported for this range" in text
    title, fragment = off_gui(lambda: bills.report_section(date(2026, 11, 1), date(2026, 11, 30)))
    assert title == "Provider bill (UTC days)"
    # gpt-4o-mini billed $1.50 + $2.25 + $0.40 in November; $1.50 of it recorded here.
    assert "<td>gpt-4o-mini</td><td>$4.15</td><td>$1.50</td><td>+$2.65</td>" in fragment


def test_the_bill_tab_hides_the_controls_that_only_act_on_the_charts(qtbot, make_window):
    view = open_spend(make_window, qtbot, "All")
    titles = [view.sections.tabText(i) for i in range(view.sections.count())]
    assert all(w.isVisible() for w in (view.period, view.model, view.latency_model, view.range))
    view.sections.setCurrentIndex(titles.index("Provider bill"))
    assert not any(w.isVisible() for w in (view.period, view.model, view.latency_model))
    assert view.range.isVisible()  # the bill follows the range
    view.sections.setCurrentIndex(0)
    assert view.period.isVisible() and view.latency_model.isVisible()


def test_a_range_changed_behind_the_bill_tab_never_shows_the_old_ranges_rows(qtbot, make_window, core):
    """Read only when seen: shown again after the range changed behind it, the tab showed the old
    range's rows and totals under the new range until the read came (new-user tour)."""

    view = open_spend_with_a_bill(qtbot, make_window, core)
    titles = [view.sections.tabText(i) for i in range(view.sections.count())]
    bills = view.sections.widget(titles.index("Provider bill"))
    view.sections.setCurrentIndex(titles.index("Provider bill"))
    qtbot.waitUntil(lambda: bills.table.rowCount() > 0, timeout=5000)
    assert bills.fetched.text().startswith("Last fetched")
    view.sections.setCurrentIndex(0)
    view.range.setCurrentText("7 days")  # November's bill is outside the last 7 days
    week = (date.today() - timedelta(days=6), date.today())
    qtbot.waitUntil(lambda: (bills.first, bills.last) == week, timeout=5000)
    seen: list[tuple[int, str]] = []
    view.sections.currentChanged.connect(lambda _: seen.append((bills.table.rowCount(), bills.totals.text())))
    view.sections.setCurrentIndex(titles.index("Provider bill"))
    assert seen == [(0, f"Reading the bill for {week[0]} to {week[1]}…")]
    qtbot.waitUntil(lambda: not bills.totals.text().startswith("Reading"), timeout=5000)
    assert bills.table.rowCount() == 0 and bills.fetched.text().startswith("Last fetched")
