import re
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QTextDocument, QTextOption
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from playground.compare.columns import Column
from playground.compare.metrics import ROW_NAMES
from playground.formatting import usd
from tests.servers.base import Script
from tests.ui.conftest import off_gui, type_prompt

pytestmark = pytest.mark.gui


@pytest.fixture
def compare(local_anthropic, window, qtbot):  # the endpoint exists before the window reads the list
    window.tabs.setCurrentWidget(window.compare)
    type_prompt(qtbot, window, "Name a colour")
    return window.compare


def run_all(qtbot, window, timeout=60_000):  # the first call also waits for the stream worker to start
    with qtbot.waitSignal(window.compare_session.finished, timeout=timeout):
        window.run_action.trigger()


def test_the_run_command_has_one_name_on_the_toolbar_and_the_compare_page(qtbot, window, compare):
    """The toolbar said "Run all columns" and the Compare page "Run all"."""
    qtbot.waitUntil(lambda: window.run_action.text().replace("&", "") == compare.toolbar.run_button.text())
    assert compare.toolbar.run_button.text() == "Run all columns"


def test_columns_run_at_once_and_a_failure_stays_in_its_column(
    qtbot, window, compare, local_openai, local_anthropic, core
):
    compare.add_column(Column("local", "gpt-4o"))
    compare.add_column(Column("localant", "claude-haiku-4-5"))
    local_openai.push(Script(text="Blue, like the sea."))
    local_anthropic.push(
        Script(status=401, error_type="authentication_error", error_message="invalid x-api-key")
    )
    run_all(qtbot, window)
    ok, failed = compare.columns
    assert ok.answer() == "Blue, like the sea." and "done" in ok.status.text()
    assert failed.error.isVisible() and "rejected" in failed.error.text()
    rows = off_gui(lambda: core.history.group(window.compare_session.group_id))
    assert sorted(r.status for r in rows) == ["error", "ok"]


def test_stop_all_stops_every_column_and_keeps_partial_text(qtbot, window, compare, local_openai):
    local_openai.default = Script(text="one two three four five six seven eight", token_delay=0.3)
    compare.add_column(Column("local", "gpt-4o"))
    compare.add_column(Column("local", "gpt-4o-mini"))
    with qtbot.waitSignal(window.compare_session.finished, timeout=15_000):
        window.run_action.trigger()
        qtbot.waitUntil(lambda: all(c.answer().startswith("one") for c in compare.columns), timeout=5000)
        window.stop_action.trigger()
    for column in compare.columns:
        assert column.answer().startswith("one") and "eight" not in column.answer()
        assert "stopped" in column.status.text()


def test_repeats_give_statistics_and_browsable_answers(qtbot, window, compare, local_openai):
    local_openai.push(Script(text="red"), Script(text="green and blue"), Script(text="yellow"))
    compare.add_column(Column("local", "gpt-4o"))
    compare.repeats.setValue(3)
    run_all(qtbot, window)
    column = compare.columns[0]
    assert sorted(column.answers()) == ["green and blue", "red", "yellow"]
    cells = compare.metrics.cells[column]
    assert "min / median / max of 3 runs" in compare.metrics.caption.text()
    assert cells[ROW_NAMES.index("Output tokens")].text() == "1 / 1 / 3"  # red, green and blue, yellow
    assert cells[ROW_NAMES.index("Finish reason")].text() == "stop × 3"
    assert "answer 1 of 3" in column.run_label.text()
    column.next.click()
    assert "answer 2 of 3" in column.run_label.text() and column.output.toPlainText() == column.answers()[1]


def test_a_comparison_reopens_from_history(qtbot, window, compare, local_openai, make_window):
    local_openai.push(Script(text="first column answer"), Script(text="second column answer"))
    compare.add_column(Column("local", "gpt-4o", {"temperature": "0.2"}))
    compare.add_column(Column("local", "gpt-4o-mini"))
    run_all(qtbot, window)
    group = window.compare_session.group_id
    other = make_window()
    other.compare.load_group(group)
    qtbot.waitUntil(
        lambda: len(other.compare.columns) == 2 and bool(other.compare.columns[0].answer()), timeout=5000
    )
    assert [c.real_name() for c in other.compare.columns] == [
        "local / gpt-4o (max_tokens=1024, temperature=0.2)",
        "local / gpt-4o-mini (max_tokens=1024)",
    ]
    assert sorted(c.answer() for c in other.compare.columns) == [
        "first column answer",
        "second column answer",
    ]
    assert other.editor.messages.messages()[0].content == "Name a colour"


def test_forecast_and_budget_warning(qtbot, window, compare):
    compare.add_column(Column("local", "gpt-4o"))
    compare.add_column(Column("local", "gpt-4o-mini"))
    qtbot.waitUntil(lambda: "for 2 calls" in compare.forecast.text(), timeout=5000)
    assert re.fullmatch(r"<b>Forecast:</b> ≤ \$[\d.]+ for 2 calls", compare.forecast.text())
    assert "2 columns × 1 run" in compare.forecast.toolTip() and "Worst case" in compare.forecast.toolTip()
    budget_y = compare.budget.mapTo(compare, QPoint(0, 0)).y() + compare.budget.height() // 2
    forecast_y = compare.forecast.mapTo(compare, QPoint(0, 0)).y() + compare.forecast.height() // 2
    assert abs(budget_y - forecast_y) <= 2  # one line: "Budget for this run: $[…]  Forecast: ≤ $…"
    compare.budget.setText("0.000001")
    assert compare.warning.isVisible()
    assert "cross your $0.000001 budget" in compare.warning.text()  # it read "$1E-6"
    compare.budget.setText("100")
    assert not compare.warning.isVisible()
    # taken as no limit, silently; under a millionth it was shown as "<$0.000001"
    for typed in ("abc", "-5", "0", "0.0000001", "nan", "inf"):
        compare.budget.setText(typed)
        assert compare.warning.isVisible()
        assert f"The budget {typed!r} is not a dollar amount of at least $0.000001" in compare.warning.text()


def test_a_forecast_with_an_unpriced_column_still_bounds_the_priced_calls(qtbot, window, compare):
    """It read "≤ unknown for 3 calls": one model without a price hid the bound of the others."""
    compare.add_column(Column("local", "gpt-4o"))
    compare.add_column(Column("local", "gpt-4o-mini"))
    qtbot.waitUntil(lambda: "for 2 calls" in compare.forecast.text(), timeout=5000)
    priced = re.fullmatch(r"<b>Forecast:</b> ≤ (\$[\d.]+) for 2 calls", compare.forecast.text())
    assert priced is not None
    compare.add_column(Column("local", "no-such-model-here"))
    qtbot.waitUntil(lambda: "of 3 calls" in compare.forecast.text(), timeout=5000)
    assert compare.forecast.text() == (
        f"<b>Forecast:</b> ≤ {priced.group(1)} for 2 of 3 calls · price unknown for 1 column"
    )
    assert "no-such-model-here" in compare.forecast.toolTip()


def test_each_columns_sdk_loads_with_the_forecast_not_in_the_first_round(
    qtbot, window, compare, local_openai
):
    """The stream worker loaded a column's SDK on its first call, and its import delayed the other
    columns' first tokens (410-560 ms read for 300): columns now warm their API style when added."""
    warmed: list[str] = []
    window.session.warm_streams = warmed.append
    compare.add_column(Column("local", "gpt-4o-mini"))
    compare.add_column(Column("localant", "claude-haiku-4-5"))
    qtbot.waitUntil(lambda: "for 2 calls" in compare.forecast.text(), timeout=5000)
    qtbot.waitUntil(lambda: set(warmed) == {"openai", "anthropic"}, timeout=5000)


def test_sweep_and_duplicate_make_columns(qtbot, window, compare):
    from playground.compare.columns import sweep

    compare.set_columns(sweep(Column("local", "gpt-4o"), "temperature", ["0", "0.7", "1.4"]))
    assert [c.column().params for c in compare.columns] == [{"temperature": v} for v in (0, 0.7, 1.4)]
    compare.columns[0].duplicateRequested.emit(compare.columns[0])
    assert len(compare.columns) == 4 and compare.columns[1].column() == compare.columns[0].column()


def test_diff_dialog_shows_changed_words(qtbot, window, compare, local_openai):
    local_openai.push(Script(text="the cat sat"), Script(text="the dog sat"))
    compare.add_column(Column("local", "gpt-4o"))
    compare.add_column(Column("local", "gpt-4o-mini"))
    compare.parallel.setValue(1)
    run_all(qtbot, window)
    compare.open_diff()
    html = compare.diff_dialog.view.toHtml()
    assert "line-through" in html and "cat" in html and "dog" in html


def test_a_compare_set_saves_to_a_file_and_opens_again(qtbot, window, compare, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    compare.add_column(Column("local", "gpt-4o", {"temperature": "0.3"}))
    compare.add_column(Column("localant", "claude-haiku-4-5"))
    compare.repeats.setValue(4)
    path = str(tmp_path / "set.json")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (path, ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (path, ""))
    compare.save()  # written on the background pool
    qtbot.waitUntil(lambda: Path(path).exists() and Path(path).stat().st_size > 0, timeout=5000)
    saved = compare.specs()
    compare.set_columns([])
    compare.repeats.setValue(1)
    compare.open()
    qtbot.waitUntil(lambda: compare.specs() == saved, timeout=5000)
    assert compare.repeats.value() == 4
    Path(path).write_text("{not json", encoding="utf-8")
    compare.open()  # a bad file says so and changes nothing
    qtbot.waitUntil(lambda: "Could not open" in compare.summary.text(), timeout=5000)
    assert compare.specs() == saved


def test_compare_forecast_warns_about_the_daily_budget(qtbot, window, compare, core):
    from decimal import Decimal

    from playground.spend.budgets import Budgets

    off_gui(lambda: core.budgets.set(Budgets(daily=Decimal("0.000001"))))
    window.session.refresh_budget()
    qtbot.waitUntil(lambda: window.session.budget is not None, timeout=5000)
    compare.add_column(Column("local", "gpt-4o"))
    compare.add_column(Column("local", "gpt-4o-mini"))
    qtbot.waitUntil(lambda: compare.warning.isVisible(), timeout=5000)
    assert "daily budget" in compare.warning.text()
    assert "At worst this comparison costs $" in compare.warning.text()  # its two calls, not "this call"


def test_a_sweep_refuses_values_the_parameter_does_not_take(qtbot, window, compare):
    """ "0, 0.5, 5, -1" made columns at 0, 0.5, 2 and 0 (clamped, with a duplicate) and "hot, cold"
    failed only at the run."""
    compare.toolbar.sweep_button.click()
    dialog = compare.sweep_dialog
    dialog.param.setCurrentText("temperature")
    for typed, why in (
        ("0, 0.5, 5, -1", "temperature must be at most 2 (got 5)"),
        ("hot, cold", "temperature must be"),
    ):
        dialog.values.setText(typed)
        dialog.accept()
        assert dialog.isVisible() and dialog.problem.isVisible() and why in dialog.problem.text(), typed
    assert len(compare.columns) != 4
    dialog.values.setText("0, 0.7, 1.4")
    dialog.accept()
    assert not dialog.isVisible()
    assert [c.column().params["temperature"] for c in compare.columns] == [0.0, 0.7, 1.4]


def test_run_all_waits_for_a_prompt(qtbot, window, compare):
    """With an empty prompt Run all stayed on and only the status bar said "Write a message first"."""
    compare.add_column(Column("local", "gpt-4o"))
    qtbot.waitUntil(lambda: compare.toolbar.run_button.isEnabled(), timeout=5000)
    window.editor.messages.first_editor().setPlainText("")
    qtbot.waitUntil(lambda: not compare.toolbar.run_button.isEnabled(), timeout=5000)
    assert "write one in Playground" in compare.prompt_line.text()
    assert compare.toolbar.run_button.toolTip() == "Write a prompt in Playground first"
    window.editor.messages.first_editor().setPlainText("Name a colour")
    qtbot.waitUntil(lambda: compare.toolbar.run_button.isEnabled(), timeout=5000)


def unclipped(label: QLabel) -> bool:
    """Every line of the label's wrapped text is inside it: no word wider than it, no line below it."""
    doc = QTextDocument()
    doc.setDocumentMargin(0)  # as QLabel lays its text out
    doc.setDefaultFont(label.font())
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    doc.setDefaultTextOption(option)
    doc.setHtml(label.text())
    box = label.contentsRect()
    doc.setTextWidth(box.width())
    return doc.idealWidth() <= box.width() and doc.size().height() <= box.height()


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_four_columns_show_their_whole_titles(qtbot, window, compare, size):
    """At 1280×800 with four columns the title had the ~120 px its column's buttons left it, and
    "(temperature=0.0)" was cut off."""
    from playground.compare.columns import sweep

    window.resize(*size)
    base = Column("local", "gpt-4o-mini-2024-07-18")
    compare.set_columns(sweep(base, "temperature", ["0", "0.5", "1", "1.5"]))
    qtbot.waitUntil(lambda: all(c.title.width() > 0 for c in compare.columns))
    qtbot.wait(50)  # the headers take one height (HeaderAligner) a turn after the layout
    for column, value in zip(compare.columns, ("0.0", "0.5", "1.0", "1.5"), strict=True):
        whole = f"local / gpt-4o-mini-2024-07-18 (temperature={value})"
        assert column.title.text() == f"<b>{whole}</b>" and column.title.toolTip() == whole
        assert unclipped(column.title), (whole, column.title.size())
        assert column.title.geometry().right() < column.header.width()


class Answerer:
    """While on, clicks ``button`` on any message box that shows; ``seen`` holds what each one said."""

    def __init__(self, button: QMessageBox.StandardButton):
        self.button = button
        self.seen: list[dict] = []
        self._timer = QTimer()
        self._timer.timeout.connect(self._look)
        self._timer.start(20)

    def _look(self) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            self.seen.append({"text": box.text(), "default": box.standardButton(box.defaultButton())})
            box.button(self.button).click()

    def stop(self) -> None:
        self._timer.stop()


@pytest.fixture
def answer():
    """Answer the questions a test causes; the answerers stop with the test (none clicks in the next)."""
    made: list[Answerer] = []

    def start(button: QMessageBox.StandardButton) -> Answerer:
        for earlier in made:
            earlier.stop()
        made.append(Answerer(button))
        return made[-1]

    yield start
    for answerer in made:
        answerer.stop()


def posts(server) -> int:
    return sum(r.method == "POST" for r in server.received)


def test_run_all_asks_before_a_run_that_could_cross_the_budget(qtbot, window, compare, local_openai, answer):
    """The budget box only warned: Run all sent every call without asking, where the Playground asks."""
    compare.add_column(Column("local", "gpt-4o"))
    compare.add_column(Column("local", "gpt-4o-mini"))
    qtbot.waitUntil(lambda: "for 2 calls" in compare.forecast.text(), timeout=5000)
    compare.budget.setText("0.000001")
    asked = answer(QMessageBox.StandardButton.Cancel).seen
    window.run_action.trigger()
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    (question,) = asked
    assert "for 2 calls, could cross your $0.000001 budget" in question["text"]
    assert question["text"].endswith("Run all columns anyway?")
    assert question["default"] == QMessageBox.StandardButton.Cancel  # Enter runs nothing
    qtbot.wait(200)
    assert not window.compare_session.running and posts(local_openai) == 0
    assert [c.status.text() for c in compare.columns] == ["–", "–"]  # nothing started

    local_openai.push(Script(text="red"), Script(text="blue"))
    asked = answer(QMessageBox.StandardButton.Yes).seen
    run_all(qtbot, window)
    assert len(asked) == 1 and posts(local_openai) == 2
    assert sorted(c.answer() for c in compare.columns) == ["blue", "red"]

    compare.budget.setText("100")  # under the budget: no question
    asked = answer(QMessageBox.StandardButton.Cancel).seen
    run_all(qtbot, window)
    assert asked == [] and posts(local_openai) == 4


def test_run_all_pressed_before_the_forecast_came_still_asks(qtbot, window, compare, local_openai, answer):
    """A column added just before Run all: the forecast is on its way, and the question waits for it."""
    compare.budget.setText("0.000001")
    compare.add_column(Column("local", "gpt-4o"))
    asked = answer(QMessageBox.StandardButton.Cancel).seen
    window.run_action.trigger()  # the forecast comes 300 ms after the change
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    assert "The worst case, $" in asked[0]["text"] and "for 1 call," in asked[0]["text"]
    qtbot.wait(200)
    assert not window.compare_session.running and posts(local_openai) == 0
    compare.add_column(Column("local", "gpt-4o-mini"))
    asked = answer(QMessageBox.StandardButton.Yes).seen
    run_all(qtbot, window)  # asked once the forecast came, then ran
    assert "for 2 calls," in asked[0]["text"] and posts(local_openai) == 2


def test_a_run_all_waiting_for_its_forecast_is_dropped_when_the_columns_change(
    qtbot, window, compare, local_openai
):
    """Review: a Run all left waiting (its column removed before the forecast was asked for) started a
    run by itself when the next forecast came, minutes later, for columns nobody pressed Run all for."""
    compare.budget.setText("100")  # a budget for one comparison: Run all waits for the forecast
    compare.add_column(Column("local", "gpt-4o"))
    window.run_action.trigger()  # within the 300 ms debounce
    assert "waits for the cost forecast" in compare.summary.text()
    column = compare.columns[0]
    column.removeRequested.emit(column)  # the ✕ on the column
    assert compare.summary.text() == (
        "Run all columns was not started: the columns changed while its forecast was worked out."
    )
    compare.add_column(Column("local", "gpt-4o-mini"))
    qtbot.waitUntil(lambda: "for 1 call" in compare.forecast.text(), timeout=5000)
    qtbot.wait(300)
    assert not window.compare_session.running and posts(local_openai) == 0


def test_esc_drops_a_run_all_waiting_for_its_forecast(qtbot, window, compare, local_openai):
    compare.budget.setText("100")
    compare.add_column(Column("local", "gpt-4o"))
    window.run_action.trigger()
    window.stop()  # Esc, Run ▸ Stop
    assert compare.summary.text() == "Run all columns was not started: stopped."
    qtbot.waitUntil(lambda: "for 1 call" in compare.forecast.text(), timeout=5000)
    qtbot.wait(300)
    assert not window.compare_session.running and posts(local_openai) == 0


def test_the_cost_of_a_comparison_with_an_unpriced_model_is_at_least_the_priced_part(
    qtbot, window, compare, local_openai
):
    """One unpriced column made the whole comparison's cost "unknown"; History says "at least"."""
    compare.add_column(Column("local", "gpt-4o-mini"))
    compare.add_column(Column("local", "test-model"))  # no price known for it
    local_openai.push(Script(text="red"), Script(text="blue"))
    run_all(qtbot, window)
    priced = next(c.results()[0].cost.total for c in compare.columns if c.results()[0].cost)
    assert f"Cost of this comparison: at least {usd(priced)} · 1 call unpriced." in compare.summary.text()
