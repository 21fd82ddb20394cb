"""What a person reviewing a run reads: a case in words (asked, expected), and the verdicts that
count once people have graded cells."""

from dataclasses import replace
from pathlib import Path

from playground.eval.case_text import asked, expected
from playground.eval.grades import HumanGrade, Verdict, counted
from playground.eval.store import CellResult
from playground.eval.suite import Case, Prompt, load
from playground.llm.request import Message

DATA = Path(__file__).resolve().parents[2] / "data" / "eval"


def cell(case, passed, error=""):
    return CellResult(case, 0, 0, 1, "error" if error else "ok", passed, (), None, None, None, error)


def test_a_grade_overrides_the_checks_but_an_error_stays_an_error():
    cells = [cell(0, False), cell(1, True), cell(2, False, "401 Unauthorized"), cell(3, False)]
    grades = [
        HumanGrade("r", 0, 0, 0, Verdict.SCORE_4),  # 4 of 5 counts as a pass
        HumanGrade("r", 1, 0, 0, Verdict.FAIL),
        HumanGrade("r", 2, 0, 0, Verdict.PASS),  # no answer to grade: not counted
    ]
    assert [c.passed for c in counted(cells, grades)] == [True, False, False, False]
    assert counted(cells, []) == cells


def test_a_case_in_words_is_its_prompt_as_sent_and_what_judges_the_answer():
    suite = load(DATA / "capitals.toml").suite
    assert asked(suite, 0) == (
        "system: Answer with the city only.\n"
        "user: What is the capital of France (form 1)?\n"
        "{{country}} = France (form 1)"
    )
    assert expected(suite, 0) == (
        "expected: Paris\n"
        "• contains Paris (ignoring case)\n"  # the suite's check, filled with the case's values
        '• not_contains ["sorry"] (ignoring case)\n'
        "• is_json"  # the case's own
    )
    two = replace(
        suite,
        prompts=(*suite.prompts, Prompt("terse", (Message("user", "Capital of {{country}}?"),))),
        checks=(),
        cases=(Case({"country": "Peru"}),),
    )
    assert asked(two, 0) == (
        "— prompt v1 —\nsystem: Answer with the city only.\nuser: What is the capital of Peru?\n\n"
        "— prompt terse —\nuser: Capital of Peru?\n"
        "{{country}} = Peru"
    )
    assert expected(two, 0) == "no expected answer and no check: any answer passes"


def test_a_new_answer_saved_for_a_cell_drops_the_grade_of_the_old_one(core):
    """Re-run failed replaces a cell's answer: a grade judged the old answer, so it goes with it (the
    other cells' grades stay)."""
    from playground.eval.grades import GradeStore
    from playground.eval.store import EvalStore

    store, grades = EvalStore(core.storage), GradeStore(core.storage)
    run = store.new_run("suite", "print", ["a"])
    for case in (0, 1):
        store.save_cell(run.id, cell(case, passed=False))
        grades.save(HumanGrade(run.id, case, 0, 0, Verdict.PASS, "fine"))
    store.save_cell(run.id, replace(cell(0, passed=False), call_id=2))  # answered anew
    assert [g.case for g in grades.grades(run.id)] == [1]
