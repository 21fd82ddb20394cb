"""Reviewing a run's cells as a new user does: a grade given by hand is the verdict that counts, in
the cell and in its column's counts (a call that could not run stays an error); the detail pane
shows what the case asked and what it expected above the answers."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from playground.eval.grades import Verdict
from tests.playground.eval.test_cli_eval import SUITE
from tests.ui.eval.drive import WAIT, click_cell, open_suite, run

pytestmark = pytest.mark.gui
RED, GREEN = "#b3261e", "#1b7a2f"


def grade(qtbot, page, case, column, verdict, comment=""):
    """Click the cell, pick a grade and save it, as a user does."""
    with qtbot.waitSignal(page.caseShown, timeout=WAIT):
        click_cell(qtbot, page, case, column)
    page.detail.verdict.setCurrentIndex(page.detail.verdict.findData(verdict))
    page.detail.comment.setText(comment)
    with qtbot.waitSignal(page.gradesShown, timeout=WAIT):
        qtbot.mouseClick(page.detail.save, Qt.MouseButton.LeftButton)


def colour(page, case, column):
    return page.grid.item(case + 1, column).foreground().color().name()


def test_a_grade_by_hand_is_the_verdict_the_cell_and_the_counts_show(qtbot, page, servers):
    """Grading a failed cell a pass left its red ✗ and the column's 0/20: the grade seemed lost."""
    open_suite(qtbot, page, SUITE)
    run(qtbot, page)
    # gpt-4o-mini says "Sorry, maybe Paris." (fails every case); gpt-4o passes the Paris cases
    assert page.grid.cell_text(0, 1).startswith("✗") and colour(page, 0, 1) == RED
    assert "0/20 passed · 0%" in page.grid.summary_text(1)
    grade(qtbot, page, 0, 1, Verdict.PASS, "hedges, but right")
    assert page.grid.cell_text(0, 1).startswith("✓ (you)") and colour(page, 0, 1) == GREEN
    tip = page.grid.cell_tip(0, 1)
    assert "✓ your grade: pass “hedges, but right”" in tip
    assert "the checks said ✗" in tip and "✗ not_contains" in tip  # the verdict it replaced, and why
    summary = page.grid.summary_text(1)
    assert "1/20 passed · 5%" in summary and "per passing case $" in summary  # it was "no passing case"
    failed = 60 - sum(s.passed for s in page.grid.summaries)  # as the columns count them
    assert page.title.text().endswith(f": 60 cells, {failed} failed")  # it said one more
    assert "1 overruled" in summary
    # The other way: a pass graded a fail, with a score (3 of 5 is not a pass). gpt-4o passes paris-5.
    assert page.grid.cell_text(4, 0).startswith("✓") and "6/20 passed" in page.grid.summary_text(0)
    grade(qtbot, page, 4, 0, Verdict.SCORE_3)
    assert page.grid.cell_text(4, 0).startswith("✗ (you)") and colour(page, 4, 0) == RED
    assert "the checks said ✓" in page.grid.cell_tip(4, 0)
    assert "5/20 passed · 25%" in page.grid.summary_text(0)
    assert [s.passed for s in page.grid.summaries] == [5, 1, 10]
    # A regrade that agrees with the checks is still yours, and the count goes back.
    grade(qtbot, page, 4, 0, Verdict.SCORE_5)
    assert page.grid.cell_text(4, 0).startswith("✓ (you)")
    assert "the checks said ✓ too" in page.grid.cell_tip(4, 0)
    assert "6/20 passed" in page.grid.summary_text(0) and "overruled" not in page.grid.summary_text(0)
    assert page.grid.cell_text(1, 1).startswith("✗ Sorry")  # an ungraded cell keeps the checks' verdict


def test_a_call_that_could_not_run_stays_an_error_and_cannot_be_graded(qtbot, page, servers):
    servers[0].api_key = "sk-the-server-wants-this-one-000000"  # the endpoint sends none: 401
    open_suite(qtbot, page, SUITE)
    run(qtbot, page)
    with qtbot.waitSignal(page.caseShown, timeout=WAIT):
        click_cell(qtbot, page, 0, 0)
    assert not page.detail.save.isEnabled() and not page.detail.verdict.isEnabled()
    assert page.detail.saved.text() == "could not run: nothing to grade"
    assert page.grid.cell_text(0, 0).startswith("✗ error: ")
    assert "0/20 passed" in page.grid.summary_text(0)
    with qtbot.waitSignal(page.caseShown, timeout=WAIT):
        click_cell(qtbot, page, 0, 2)  # Claude's column answered: that cell can be graded
    assert page.detail.save.isEnabled() and page.detail.saved.text() == "not graded"


def shown_text(widget: QWidget) -> str:
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return widget.toPlainText()
    return widget.text() if isinstance(widget, QLabel | QLineEdit) else ""


def top(widget: QWidget, page) -> int:
    return widget.mapTo(page, widget.rect().topLeft()).y()


def showing(page, *needles: str) -> list[QWidget]:
    """The visible text widgets of the detail pane that show every one of ``needles``, top first."""
    found = [
        w
        for w in page.detail.findChildren(QWidget)
        if w.isVisible() and all(n in shown_text(w) for n in needles)
    ]
    return sorted(found, key=lambda w: top(w, page))


def test_the_detail_shows_what_the_case_asked_and_expected_above_the_answers(qtbot, page, servers):
    """The detail pane showed the answers and the checks' verdicts, never the question asked."""
    page.resize(1140, 740)  # the page's size in the window at 1280x800
    open_suite(qtbot, page, SUITE)
    run(qtbot, page)
    with qtbot.waitSignal(page.caseShown, timeout=WAIT):
        click_cell(qtbot, page, 0, 1)
    answer = showing(page, "Sorry, maybe Paris.")[0]
    asked = showing(page, "What is the capital of France (form 1)?")
    assert asked, "the question is not shown"
    asked = asked[0]
    assert "Answer with the city only." in shown_text(asked)  # the system prompt, as sent
    assert "France (form 1)" in shown_text(asked).split("?", 1)[1]  # the case's variable on its own
    # The case's expected answer and its checks (the suite's two and the case's is_json), above.
    expected = [w for w in showing(page, "Paris", "not_contains", "is_json") if w is not answer]
    assert expected and top(expected[0], page) < top(answer, page)
    assert top(asked, page) < top(answer, page)
    for box in (asked, expected[0]):
        assert isinstance(box, QPlainTextEdit) and box.isReadOnly()
        assert box.verticalScrollBar().maximum() == 0  # all of it in sight at 1280x800
    # Selectable with the keyboard, to copy the question into the Playground.
    asked.setFocus()
    qtbot.keyClick(asked, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert "What is the capital of France (form 1)?" in asked.textCursor().selectedText()
    assert answer.height() >= 4 * answer.fontMetrics().lineSpacing()  # the answers still read
    # Another case: its own question and expected answer.
    with qtbot.waitSignal(page.caseShown, timeout=WAIT):
        click_cell(qtbot, page, 12, 0)
    assert "What is the capital of Japan?" in shown_text(asked) and "France" not in shown_text(asked)
    assert "Tokyo" in shown_text(expected[0]) and "is_json" not in shown_text(expected[0])


def test_rerun_failed_goes_by_your_grades_and_a_new_answer_drops_the_old_grade(qtbot, page, servers):
    """Review: Re-run failed sent a cell graded a pass again, and showed the new answer under the grade
    of the old one ("✓ (you)" on an answer nobody had read)."""
    open_suite(qtbot, page, SUITE)
    first = run(qtbot, page)
    calls = {c.key: c.call_id for c in first.cells}
    grade(qtbot, page, 0, 1, Verdict.PASS, "hedges, but right")  # a failed cell, passed by you: kept
    grade(qtbot, page, 4, 0, Verdict.FAIL)  # a passed cell, failed by you: sent again
    servers[0].answer_per_model({"gpt-4o": "The capital is Paris.", "gpt-4o-mini": "Sorry, London."})
    with qtbot.waitSignal(page.runFinished, timeout=WAIT) as got:
        page.rerun_button.click()
    again = {c.key: c.call_id for c in got.args[0].cells}
    assert again[(0, 1, 0)] == calls[(0, 1, 0)]  # not paid for again
    assert page.grid.cell_text(0, 1).startswith("✓ (you)")
    assert again[(4, 0, 0)] != calls[(4, 0, 0)]  # answered anew: your fail judged the old answer
    assert again[(1, 1, 0)] != calls[(1, 1, 0)]  # an ungraded failed cell, as before
    qtbot.waitUntil(lambda: not page.grid.cell_text(4, 0).startswith("✗ (you)"), timeout=WAIT)
    assert page.grid.cell_text(4, 0).startswith("✓")  # the checks' verdict on the new answer
    assert "your grade" not in page.grid.cell_tip(4, 0)
    assert "1 overruled" in page.grid.summary_text(1) and "overruled" not in page.grid.summary_text(0)


def test_exports_count_passes_as_the_window_does(qtbot, page, servers, tmp_path):
    """A failed cell graded a pass counted on screen (1/20) but not in the exports (0/20): the report
    someone forwards said something else than the window."""
    import csv
    import json
    from html import escape

    open_suite(qtbot, page, SUITE)
    run(qtbot, page)
    grade(qtbot, page, 0, 1, Verdict.PASS, "hedges, but right")
    assert "1/20 passed" in page.grid.summary_text(1)
    for name in ("r.html", "r.csv", "r.json"):
        with qtbot.waitSignal(page.exported, timeout=WAIT):
            page.export(tmp_path / name)
    html, mini = (tmp_path / "r.html").read_text(), page.grid.summaries[1].label
    assert f"<td>{escape(mini)}</td><td>1/20</td><td>5%</td>" in html
    assert "overrules the checks on 1 cell</p>" in html
    assert "pass</span> (your grade; the checks said fail)" in html
    rows = {(r["case"], r["column"]): r for r in csv.DictReader((tmp_path / "r.csv").open(newline=""))}
    graded = rows[("1", mini)]
    assert (graded["passed"], graded["checks_passed"], graded["human_grade"]) == ("yes", "no", "pass")
    assert rows[("2", mini)]["passed"] == "no"
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["columns"][1]["passed"] == 1 and data["columns"][1]["pass_rate"] == 0.05
    cell = next(c for c in data["cells"] if (c["case"], c["column"]) == (0, 1))
    assert cell["passed"] is True and cell["checks_passed"] is False
