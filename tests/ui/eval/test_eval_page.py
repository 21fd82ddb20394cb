"""The Evaluate page as a user drives it: a 20 cases x 3 columns suite against the local test servers,
its grid and summaries equal to what `playground eval --json` reports; cancel then resume; a bad suite."""

from __future__ import annotations

import csv
import json
import threading
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetSelectionRange

from playground.eval.grades import GradeStore, Verdict
from playground.eval.store import EvalStore
from tests.playground.cli.cli_proc import cli
from tests.playground.eval.test_cli_eval import ANSWERS, CLAUDE, DATA, PASSED, SUITE
from tests.servers.base import asked_since
from tests.ui.conftest import off_gui
from tests.ui.eval.drive import WAIT, click_cell, open_suite, run
from ui.common.background import Background
from ui.eval.page import EvalPage

pytestmark = pytest.mark.gui


def test_the_grid_agrees_with_the_cli(qtbot, page, servers):
    assert page.progress.isHidden()  # no suite yet: an empty bar looked like a text field
    open_suite(qtbot, page, SUITE)
    assert page.problems.isHidden() and page.run_button.isEnabled()
    assert not page.progress.isHidden() and page.progress.text() == "0 / 60 cells"
    assert page.grid.rowCount() == 21 and page.grid.columnCount() == 3
    outcome = run(qtbot, page)
    assert not outcome.cancelled
    assert [(c.key, c.error) for c in outcome.cells if c.status != "ok"] == []  # every call answered
    summaries = page.grid.summaries
    assert [s.passed for s in summaries] == PASSED
    assert page.progress.value() == page.progress.maximum() == 60
    # What a user reads: each column's summary cell and the marks in its column.
    for s in summaries:
        marks = [page.grid.cell_text(row, s.column)[0] for row in range(20)]
        assert marks.count("✓") == s.passed and marks.count("✗") == 20 - s.passed
        assert f"{s.passed}/20 passed" in page.grid.summary_text(s.column)
    out = cli("eval", str(SUITE), "--json", "--per-endpoint", "1")  # as the CLI's own test
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [c["error"] for c in data["cells"] if c["status"] != "ok"] == []
    columns = data["columns"]
    assert [c["passed"] for c in columns] == [s.passed for s in summaries]
    assert [c["cost_usd"] and Decimal(c["cost_usd"]) for c in columns] == [s.cost.exact for s in summaries]
    per_pass = [c["cost_per_pass_usd"] and Decimal(c["cost_per_pass_usd"]) for c in columns]
    assert per_pass == [s.cost_per_pass for s in summaries]
    assert per_pass[1] is None and "no passing case" in page.grid.summary_text(1)
    assert "sorry" in page.grid.cell_tip(0, 1)


def test_cancel_then_resume_runs_only_the_unfinished_cells(qtbot, page, servers, core):
    openai_server, anthropic_server = servers
    openai_server.answer_per_model(ANSWERS, token_delay=0.05)
    anthropic_server.answer_per_model({"claude-haiku-4-5": CLAUDE}, token_delay=0.05)
    open_suite(qtbot, page, SUITE)
    with qtbot.waitSignal(page.runFinished, timeout=WAIT) as got:
        page.run_button.click()
        qtbot.waitUntil(lambda: page.progress.value() >= 4, timeout=WAIT)
        page.cancel_button.click()
    stopped = got.args[0]
    assert stopped.cancelled and 4 <= len(stopped.cells) < 60
    assert page.resume_button.isEnabled()
    # Another session (a new page) finds the unfinished run of the same suite too.
    other = EvalPage(page._background)
    qtbot.addWidget(other)
    other.set_core(core)
    open_suite(qtbot, other, SUITE)
    qtbot.waitUntil(other.resume_button.isEnabled, timeout=WAIT)
    kept = {c.key: c.call_id for c in stopped.cells}
    before = (len(openai_server.received), len(anthropic_server.received))
    done = run(qtbot, page, resume=True)
    assert not done.cancelled and done.run.id == stopped.run.id and done.skipped == len(kept)
    # each unfinished cell asked once (told apart by model and case), a finished one never again
    assert len(asked_since((openai_server, anthropic_server), before)) == 60 - len(kept)
    stored = off_gui(lambda: EvalStore(core.storage).cells(done.run.id))
    assert len(stored) == 60
    assert all(kept[c.key] == c.call_id for c in stored if c.key in kept)  # none re-run
    assert [s.passed for s in page.grid.summaries] == PASSED
    assert not page.resume_button.isEnabled()


def test_a_bad_suite_shows_its_problems_and_sends_nothing(qtbot, page, servers, tmp_path):
    (tmp_path / "cases.csv").write_text("name,expected\na,Paris\n")  # no country column
    text = SUITE.read_text().replace('cases_file = "capitals.csv"', 'cases_file = "cases.csv"')
    text += '\n[[checks]]\ntype = "regex"\nvalue = "(unclosed"\n'
    (tmp_path / "bad.toml").write_text(text)
    open_suite(qtbot, page, tmp_path / "bad.toml")
    shown = [page.problems.item(i).text() for i in range(page.problems.count())]
    assert page.problems.isVisible()
    assert any("no value for country" in line for line in shown)
    assert any("invalid regex" in line for line in shown)
    assert not page.run_button.isEnabled() and "nothing was sent" in page.title.text()
    assert servers[0].received == [] and servers[1].received == []


def test_an_unknown_endpoint_is_a_problem_too(qtbot, page, servers, tmp_path):
    (tmp_path / "capitals.csv").write_text((DATA / "capitals.csv").read_text())
    (tmp_path / "x.toml").write_text(
        SUITE.read_text().replace('endpoint = "localant"', 'endpoint = "nowhere"')
    )
    open_suite(qtbot, page, tmp_path / "x.toml")
    assert page.problems.item(0).text().startswith("no endpoint named 'nowhere'")
    assert not page.run_button.isEnabled()


def test_a_bad_check_and_an_unknown_endpoint_are_listed_together(qtbot, page, servers, tmp_path):
    """The endpoint was checked only once the checks were right: fixing one showed the other."""
    (tmp_path / "capitals.csv").write_text((DATA / "capitals.csv").read_text())
    text = SUITE.read_text().replace('endpoint = "localant"', 'endpoint = "nowhere"')
    (tmp_path / "x.toml").write_text(text + '\n[[checks]]\ntype = "regex"\nvalue = "(unclosed"\n')
    open_suite(qtbot, page, tmp_path / "x.toml")
    shown = [page.problems.item(i).text() for i in range(page.problems.count())]
    assert any("invalid regex" in line for line in shown)
    assert any(line.startswith("no endpoint named 'nowhere'") for line in shown)
    assert not page.run_button.isEnabled()


def test_ctrl_6_opens_evaluate_and_quit_stops_a_running_evaluation(qtbot, make_window, servers, core):
    openai_server, anthropic_server = servers
    openai_server.answer_per_model(ANSWERS, token_delay=0.05)
    anthropic_server.answer_per_model({"claude-haiku-4-5": CLAUDE}, token_delay=0.05)
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.tabs.evaluate is not None, timeout=WAIT)
    evaluate = window.tabs.evaluate
    assert evaluate is not None and window.tabs.currentWidget() is evaluate
    open_suite(qtbot, evaluate, SUITE)
    evaluate.run_button.click()
    qtbot.waitUntil(lambda: evaluate.progress.value() >= 2, timeout=WAIT)
    assert evaluate.running
    assert window.shutdown()  # cancels the run and joins its thread before the core may close
    assert not evaluate.running
    assert not any(t.name == "eval-run" and t.is_alive() for t in threading.enumerate())
    run_id = evaluate.run_id
    status = off_gui(lambda: EvalStore(core.storage).run(run_id).status)
    assert status == "cancelled"  # a resume picks it up


def test_a_case_side_by_side_and_a_human_grade_saved_and_reloaded(qtbot, page, servers, core):
    open_suite(qtbot, page, SUITE)
    outcome = run(qtbot, page)
    qtbot.waitUntil(lambda: "Paris" in page.grid.cell_text(0, 0), timeout=WAIT)  # the short answer
    with qtbot.waitSignal(page.caseShown, timeout=WAIT):
        click_cell(qtbot, page, 0, 1)
    assert "The capital is Paris." in page.detail.answer_text(0)
    assert "Sorry, maybe Paris." in page.detail.answer_text(1) and "✗" in page.detail.answer_text(1)
    assert page.detail.column.currentIndex() == 1 and page.detail.saved.text() == "not graded"
    page.detail.verdict.setCurrentIndex(page.detail.verdict.findData(Verdict.SCORE_4))
    page.detail.comment.setText("hedges, but right")
    with qtbot.waitSignal(page.gradesShown, timeout=WAIT):
        page.detail.save.click()
    assert "human: 1/1 graded passed (100%)" in page.grid.summary_text(1)
    saved = off_gui(lambda: GradeStore(core.storage).grades(outcome.run.id))
    assert [(g.key, g.verdict, g.comment) for g in saved] == [
        ((0, 1, 0), Verdict.SCORE_4, "hedges, but right")
    ]
    # Another cell, then back: the grade is shown again as saved.
    with qtbot.waitSignal(page.caseShown, timeout=WAIT):
        click_cell(qtbot, page, 3, 0)
    assert page.detail.saved.text() == "not graded" and page.detail.comment.text() == ""
    with qtbot.waitSignal(page.caseShown, timeout=WAIT):
        click_cell(qtbot, page, 0, 1)
    assert page.detail.comment.text() == "hedges, but right" and page.detail.saved.text().startswith("graded")
    # A regrade replaces it.
    page.detail.verdict.setCurrentIndex(page.detail.verdict.findData(Verdict.FAIL))
    with qtbot.waitSignal(page.gradesShown, timeout=WAIT):
        page.detail.save.click()
    assert "human: 0/1 graded passed (0%)" in page.grid.summary_text(1)
    assert len(off_gui(lambda: GradeStore(core.storage).grades(outcome.run.id))) == 1


def test_rerun_failed_sends_only_the_failed_cells_and_keeps_the_passing_ones(qtbot, page, servers):
    openai_server, anthropic_server = servers
    open_suite(qtbot, page, SUITE)
    first = run(qtbot, page)
    assert page.rerun_button.isEnabled()
    kept = {c.key: c.call_id for c in first.cells if c.passed}
    assert len(kept) == sum(PASSED)
    openai_server.answer_per_model({"gpt-4o": "The capital is Paris.", "gpt-4o-mini": "Paris"})
    sent = len(openai_server.received) + len(anthropic_server.received)
    with qtbot.waitSignal(page.runFinished, timeout=WAIT) as got:
        page.rerun_button.click()
    again = got.args[0]
    assert again.run.id == first.run.id and again.skipped == len(kept)
    assert len(openai_server.received) + len(anthropic_server.received) > sent
    assert all(kept[c.key] == c.call_id for c in again.cells if c.key in kept)  # passing cells kept
    new_calls = {c.call_id for c in again.cells} - set(kept.values())
    assert len(again.cells) == 60 and len(new_calls) == 60 - len(kept)  # each failed cell once more
    # gpt-4o-mini now answers "Paris": its 6 Paris cases pass (the Paris-in-JSON and other cases still fail)
    assert [s.passed for s in page.grid.summaries] == [6, 6, 10]
    assert [s.cells for s in page.grid.summaries] == [20, 20, 20]


def test_export_html_escapes_and_csv_json_carry_grades(qtbot, page, servers, tmp_path):
    servers[0].answer_per_model({"gpt-4o": "<script>alert('x')</script> & Paris", "gpt-4o-mini": "Paris"})
    open_suite(qtbot, page, SUITE)
    run(qtbot, page)
    with qtbot.waitSignal(page.caseShown, timeout=WAIT):
        click_cell(qtbot, page, 0, 0)
    page.detail.comment.setText("<b>bold</b> claim")
    with qtbot.waitSignal(page.gradesShown, timeout=WAIT):
        page.detail.save.click()
    for name in ("r.html", "r.csv", "r.json"):
        with qtbot.waitSignal(page.exported, timeout=WAIT) as said:
            page.export(tmp_path / name)
        assert said.args[0].startswith("Exported 60 cells")
    html = (tmp_path / "r.html").read_text()
    assert "<script>" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Paris" in html
    assert "&lt;b&gt;bold&lt;/b&gt; claim" in html
    rows = list(csv.DictReader((tmp_path / "r.csv").open(newline="")))
    assert len(rows) == 60
    graded = [r for r in rows if r["human_grade"]]
    assert [(r["case"], r["human_grade"], r["human_comment"]) for r in graded] == [
        ("1", "pass", "<b>bold</b> claim")
    ]
    assert rows[0]["answer"].startswith("<script>")
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["human_grades"][0]["comment"] == "<b>bold</b> claim"
    assert data["columns"][0]["human"] == {"passed": 1, "graded": 1}


def test_cases_edited_deleted_added_and_imported_in_place_before_the_run(qtbot, page, servers, tmp_path):
    (tmp_path / "more.jsonl").write_text(
        json.dumps({"name": "imported", "country": "France", "expected": "Paris"}) + "\n"
    )
    open_suite(qtbot, page, SUITE)
    page.tabs.setCurrentWidget(page.cases)
    table = page.cases.table
    assert table.rowCount() == 20
    assert [table.horizontalHeaderItem(i).text() for i in range(table.columnCount())] == [
        "name",
        "country",
        "expected",
        "checks",
    ]
    table.selectRow(19)
    table.setRangeSelected(QTableWidgetSelectionRange(10, 0, 19, 3), True)
    with qtbot.waitSignal(page.suiteShown, timeout=WAIT):
        page.cases.delete_button.click()  # the 10 non-Paris cases
    with qtbot.waitSignal(page.suiteShown, timeout=WAIT):
        page.cases.import_button.click()
    assert table.item(10, 0).text() == "imported"
    with qtbot.waitSignal(page.suiteShown, timeout=WAIT):
        page.cases.add_button.click()
    with qtbot.waitSignal(page.suiteShown, timeout=WAIT):
        table.item(11, 1).setText("Peru")  # typed in place
    with qtbot.waitSignal(page.suiteShown, timeout=WAIT):
        table.item(11, 2).setText("Lima")
    assert page.grid.rowCount() == 1 + 12 and page.run_button.isEnabled()
    run(qtbot, page)
    assert page.tabs.currentIndex() == 0  # the results are shown
    # gpt-4o passes Paris cases 5..10 (see the CLI test), the imported one too; Lima is never said.
    assert [s.cells for s in page.grid.summaries] == [12, 12, 12]
    assert page.grid.summaries[2].passed == 11  # Claude's JSON names Paris: 10 Paris cases and France
    sent = [r.body for r in servers[0].received if r.method == "POST"]
    assert any("Peru" in json.dumps(b) for b in sent) and any("France" in json.dumps(b) for b in sent)


def test_an_edit_that_breaks_a_case_shows_the_problem_and_disables_run(qtbot, page, servers):
    open_suite(qtbot, page, SUITE)
    page.tabs.setCurrentWidget(page.cases)
    with qtbot.waitSignal(page.suiteShown, timeout=WAIT):
        page.cases.table.item(0, 1).setText("")  # an empty country is still a value: fine
    assert page.run_button.isEnabled()
    page.cases.table.selectRow(0)
    for _ in range(20):
        with qtbot.waitSignal(page.suiteShown, timeout=WAIT):
            page.cases.table.selectRow(0)
            page.cases.delete_button.click()
    assert page.problems.item(0).text() == "the suite has no case"
    assert not page.run_button.isEnabled()
    assert servers[0].received == []


def test_cases_edited_in_place_are_saved_as_a_suite_that_opens_again(qtbot, core, servers, tmp_path):
    background = Background()
    target = tmp_path / "edited suite.json"
    page = EvalPage(background, ask_path=lambda parent: None, ask_save=lambda parent, name: target)
    qtbot.addWidget(page)
    page.set_core(core)
    page.show()
    try:
        open_suite(qtbot, page, SUITE)
        page.tabs.setCurrentWidget(page.cases)
        table = page.cases.table
        with qtbot.waitSignal(page.suiteShown, timeout=WAIT):
            table.item(0, 1).setText("Peru")
        with qtbot.waitSignal(page.suiteShown, timeout=WAIT):
            table.item(0, 2).setText("Lima")
        with qtbot.waitSignal(page.exported, timeout=WAIT) as said:
            page.cases.save_button.click()
        assert "Saved capitals (20 cases)" in said.args[0]
        open_suite(qtbot, page, target)  # the saved file stands alone: its cases are inline
        assert table.rowCount() == 20
        assert (table.item(0, 1).text(), table.item(0, 2).text()) == ("Peru", "Lima")
        assert page.run_button.isEnabled()
    finally:
        page.shutdown()
        background.shutdown()


def test_a_call_that_could_not_run_reads_as_an_error_not_a_failed_check(qtbot, page, servers):
    """With a rejected key every cell read "✗ $0 · 31 ms", like a wrong answer, and the 401 was only
    in the tooltip."""
    openai_server, _ = servers
    openai_server.api_key = "sk-the-server-wants-this-one-000000"  # the endpoint sends none: 401
    open_suite(qtbot, page, SUITE)
    run(qtbot, page)
    openai_columns = [s for s in page.grid.summaries if "localant" not in s.label]
    assert openai_columns
    for s in openai_columns:
        assert s.passed == 0 and s.errors == 20
        assert "0/20 passed · 0% · 20 could not run (hover a cell)" in page.grid.summary_text(s.column)
        assert "per passing case" not in page.grid.summary_text(s.column)  # "no passing case" alone
        assert page.grid.cell_text(0, s.column).startswith("✗ error: ")


def test_rerun_failed_is_off_while_an_edit_leaves_the_suite_broken(qtbot, page, servers):
    """After Add case (an empty case: a problem), Re-run failed stayed on and did nothing."""
    open_suite(qtbot, page, SUITE)
    run(qtbot, page)
    assert page.rerun_button.isEnabled()  # the suite has failing cells
    page.tabs.setCurrentWidget(page.cases)
    with qtbot.waitSignal(page.suiteShown, timeout=WAIT):
        for _ in range(20):
            page.cases.table.selectRow(0)
            page.cases.delete_button.click()
    qtbot.waitUntil(lambda: page.problems.count() > 0, timeout=WAIT)
    assert not page.run_button.isEnabled() and not page.rerun_button.isEnabled()


def test_an_export_that_cannot_be_written_says_why_in_plain_words(qtbot, page, servers, tmp_path):
    """It read "'xlsx' is not a valid Format", and a read-only folder named the hidden .partial file."""
    open_suite(qtbot, page, SUITE)
    run(qtbot, page)
    with qtbot.waitSignal(page.exported, timeout=WAIT) as said:
        page.export(tmp_path / "r.xlsx")
    assert said.args[0].endswith("export as .csv, .json or .html, not .xlsx")
    (tmp_path / "r.csv.partial").mkdir()  # the temporary file cannot be written, as in a locked folder
    with qtbot.waitSignal(page.exported, timeout=WAIT) as said:
        page.export(tmp_path / "r.csv")
    assert said.args[0] == f"Could not export to {tmp_path / 'r.csv'}: Is a directory"
