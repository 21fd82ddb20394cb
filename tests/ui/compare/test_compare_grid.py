"""The metrics table reads across (figures equal to what the server sent, priced by the pricing code),
marks the best, and a blind comparison shows nothing model-specific anywhere until the vote."""

import re

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette, QTextDocumentFragment
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QLabel, QLineEdit, QPlainTextEdit, QWidget

from playground import formatting
from playground.compare.columns import Column
from playground.compare.metrics import ROW_NAMES
from playground.history.filters import Filters
from playground.llm.usage import Usage
from tests.ui.conftest import off_gui, type_prompt
from ui.compare.column import PICK_COLOUR

pytestmark = pytest.mark.gui

ANSWERS = {"gpt-4o": "Blue, because air scatters short waves.", "gpt-4o-mini": "Rayleigh scattering."}
PROMPT_TOKENS = 12


@pytest.fixture
def compare(window, qtbot, local_openai):
    window.tabs.setCurrentWidget(window.compare)
    type_prompt(qtbot, window, "Why is the sky blue?")
    local_openai.answer_per_model(ANSWERS, prompt_tokens=PROMPT_TOKENS)
    compare = window.compare
    compare.add_column(Column("local", "gpt-4o"))
    compare.add_column(Column("local", "gpt-4o-mini"))
    return compare


def run_all(qtbot, window):
    with qtbot.waitSignal(window.compare_session.finished, timeout=60_000):
        window.run_action.trigger()


def cell(compare, column, figure: str) -> QLabel:
    return compare.metrics.cells[column][ROW_NAMES.index(figure)]


def test_the_grid_shows_each_columns_figures_under_it_and_marks_the_best(qtbot, window, compare, core):
    run_all(qtbot, window)
    endpoint = off_gui(lambda: core.config.endpoint("local"))
    costs = {}
    for column in compare.columns:
        model = column.column().model
        output = len(ANSWERS[model].split(" "))  # the server streams a token per word
        usage = Usage(PROMPT_TOKENS, output)
        cost = off_gui(lambda m=model, u=usage: core.pricer.price(endpoint, m, u)).total
        assert cost is not None
        costs[model] = cost
        (result,) = column.results()
        assert cell(compare, column, "Input tokens").text() == str(PROMPT_TOKENS)
        assert cell(compare, column, "Output tokens").text() == str(output)
        assert cell(compare, column, "Reasoning tokens").text() == "0"
        assert cell(compare, column, "Cost").text() == formatting.usd(cost)
        assert cell(compare, column, "Finish reason").text() == "stop"
        assert cell(compare, column, "Duration").text() == formatting.millis(result.duration_ms)
        for label in compare.metrics.cells[column]:  # under its own column, within its width
            left = label.mapTo(compare, QPoint(0, 0)).x()
            column_left = column.mapTo(compare, QPoint(0, 0)).x()
            assert column_left <= left and left + label.width() <= column_left + column.width()
            assert label.isVisible()
    cheap, dear = sorted(compare.columns, key=lambda c: costs[c.column().model])
    assert costs[cheap.column().model] < costs[dear.column().model]
    assert cell(compare, cheap, "Cost").accessibleName().endswith(", best")
    assert cell(compare, cheap, "Cost").font().bold() and not cell(compare, dear, "Cost").font().bold()
    assert not cell(compare, dear, "Cost").accessibleName().endswith(", best")
    for other in ("Input tokens", "Output tokens", "Finish reason"):  # nothing to be best at
        assert not any(cell(compare, c, other).accessibleName().endswith(", best") for c in compare.columns)
    assert "gpt-4o" not in compare.summary.text()  # the table names the columns; the summary does not


def visible_texts(root: QWidget) -> list[str]:
    """Every text a user (or a screen reader) can get from the visible widgets under ``root``."""
    out = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        out += [widget.toolTip(), widget.accessibleName()]
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            out.append(widget.text())
        elif isinstance(widget, QPlainTextEdit):
            out.append(widget.toPlainText())
        elif isinstance(widget, QAbstractSpinBox):
            out.append(widget.text())
    return out


def history_texts(window) -> list[str]:
    model = window.history.model_
    out = []
    for row in range(model.rowCount()):
        for col in range(model.columnCount()):
            index = model.index(row, col)
            out += [str(model.data(index)), str(model.data(index, Qt.ItemDataRole.ToolTipRole))]
        window.history.table.selectRow(row)
        out.append(window.history.detail.toPlainText())
    return out


REVEALING = re.compile(r"gpt-4o|\blocal\b|\$\s?\d|\d\s?tok")


def revealing(texts: list[str]) -> list[str]:
    return [t for t in texts if REVEALING.search(t)]


def test_blind_shows_nothing_model_specific_until_the_vote(qtbot, window, compare, core):
    compare.blind.setChecked(True)
    run_all(qtbot, window)
    assert [c.title.text() for c in compare.shown()] == ["<b>Model A</b>", "<b>Model B</b>"]
    assert revealing(visible_texts(compare)) == []
    assert not any(c.isVisible() for cells in compare.metrics.cells.values() for c in cells)
    window.show_mode("History")
    window.history.refresh()
    qtbot.waitUntil(lambda: window.history.model_.rowCount() == 2, timeout=5000)
    before = history_texts(window)
    assert revealing(before) == [] and any("not revealed" in t for t in before)
    table = window.history.model_
    with qtbot.waitSignal(table.loaded, timeout=5000):  # a filter by model would tell them apart
        table.set_source(core.history, Filters(model="gpt-4o"))
    assert table.rowCount() == 0

    window.show_mode("Compare")
    winner = compare.shown()[1]
    with qtbot.waitSignal(window.compare_session.voted, timeout=5000):  # saved off the GUI thread
        winner.vote_button.click()
    assert {c.title.text().rpartition("<br>")[2] for c in compare.columns} == {  # under the pick's mark
        "<b>local / gpt-4o</b>",
        "<b>local / gpt-4o-mini</b>",
    }
    shown = visible_texts(compare)
    assert any("$" in t for t in shown) and f"{winner.real_name()}</b>" in compare.summary.text()
    assert all(cell(compare, c, "Cost").text().startswith("$") for c in compare.columns)
    with qtbot.waitSignal(table.loaded, timeout=5000):
        table.set_source(core.history, Filters())
    after = history_texts(window)
    assert any("gpt-4o-mini" in t for t in after) and any(re.search(r"\$\d", t) for t in after)
    (top, *_) = off_gui(core.votes.leaderboard)
    assert top.model == winner.real_name() and top.wins == 1 and top.contests == 1
    compare.open_leaderboard()  # read in the background too
    qtbot.waitUntil(lambda: getattr(compare, "leaderboard_dialog", None) is not None, timeout=5000)
    assert compare.leaderboard_dialog.isVisible()


def test_overrides_are_small_widgets_over_the_visible_shared_parameters(qtbot, window, compare, local_openai):
    from PySide6.QtWidgets import QDoubleSpinBox, QSpinBox

    first, second = compare.columns
    qtbot.waitUntil(lambda: "max_tokens=1024" in first.overrides.base.full_text(), timeout=5000)
    editor = first.overrides.add
    editor.activated.emit(editor.findData("temperature"))  # pick "Temperature" from "+ override…"
    (spin,) = first.overrides.findChildren(QDoubleSpinBox)
    qtbot.waitUntil(spin.isVisible, timeout=2000)
    assert first.overrides.add.findData("temperature") == -1  # offered once
    spin.setValue(0.25)
    second.overrides.add.activated.emit(second.overrides.add.findData("max_tokens"))
    (tokens,) = second.overrides.findChildren(QSpinBox)
    tokens.setValue(1)  # the server stops the two-word answer after one token
    assert first.column().params == {"temperature": 0.25} and second.column().params == {"max_tokens": 1}
    run_all(qtbot, window)
    bodies = {r.body["model"]: r.body for r in local_openai.received if r.method == "POST"}
    assert bodies["gpt-4o"]["temperature"] == 0.25 and bodies["gpt-4o"]["max_tokens"] == 1024
    assert bodies["gpt-4o-mini"]["max_tokens"] == 1 and "temperature" not in bodies["gpt-4o-mini"]
    assert cell(compare, second, "Finish reason").text() == "length"
    assert cell(compare, second, "Output tokens").text() == "1"


def test_the_shared_parameters_end_in_an_ellipsis_when_a_column_is_narrow(qtbot, window, compare):
    from PySide6.QtWidgets import QApplication

    window.params.row("temperature").set_value(0.7)
    window.params.row("logprobs").set_value(True)
    for model in ("gpt-4.1-nano", "gpt-4.1"):
        compare.add_column(Column("local", model))
    window.resize(1280, 800)
    base = compare.columns[0].overrides.base
    qtbot.waitUntil(lambda: "temperature=0.7" in base.full_text(), timeout=5000)
    QApplication.processEvents()
    assert base.fontMetrics().horizontalAdvance(base.full_text()) > base.width()  # too long to fit...
    assert base.text().endswith("…") and base.fontMetrics().horizontalAdvance(base.text()) <= base.width()
    assert base.toolTip().endswith(base.full_text().removeprefix("Base: "))  # ...and whole in the tooltip


def test_answer_boxes_start_on_one_line_whatever_the_headers_hold(qtbot, window, compare):
    """A wrapped title or an override row in one column pushed its answer box down."""
    window.resize(1280, 800)
    window.show()
    compare.add_column(
        Column("local", "gpt-4o-a-very-long-model-name-that-has-to-wrap", {"temperature": 0.2})
    )
    compare.add_column(Column("local", "gpt-4o", {"temperature": 0.2, "top_p": 0.5}))

    def tops() -> set[int]:
        return {c.output.mapTo(compare, QPoint(0, 0)).y() for c in compare.columns}

    qtbot.waitUntil(lambda: len(tops()) == 1)
    plain = compare.columns[0]
    assert plain.overrides.height() < compare.columns[-1].overrides.height()  # the headers did differ
    tall = plain.header.minimumHeight()
    compare._remove(compare.columns[-1])  # the tallest header goes: the others shrink back together
    qtbot.waitUntil(lambda: plain.header.minimumHeight() < tall and len(tops()) == 1)


def title(column) -> str:
    """The column's title as a user reads it (its rich text as plain lines)."""
    return QTextDocumentFragment.fromHtml(column.title.text()).toPlainText()


def border_colour(column: QWidget) -> QColor:
    """The colour a user sees on the column's left edge, half way down."""
    return column.grab().toImage().pixelColor(1, column.height() // 2)


def centre_colour(widget: QWidget) -> QColor:
    return widget.grab().toImage().pixelColor(widget.width() // 2, widget.height() // 2)


def test_the_blind_pick_stays_marked_after_the_vote_until_the_next_run_or_blind_is_left(
    qtbot, window, compare
):
    """After the vote the columns went back to their first order and nothing said which one was picked."""
    from PySide6.QtWidgets import QApplication

    compare.blind.setChecked(True)
    run_all(qtbot, window)
    winner = compare.shown()[1]  # "Model B", wherever the shuffle put it
    (loser,) = [c for c in compare.columns if c is not winner]
    assert "Your pick" not in title(winner)
    plain = border_colour(winner)
    with qtbot.waitSignal(window.compare_session.voted, timeout=5000):
        winner.vote_button.click()
    assert title(winner) == f"★ Your pick (was Model B)\n{winner.real_name()}"
    assert title(loser) == loser.real_name()
    app = QApplication.instance()
    light = app.palette()
    dark = QPalette(light)
    role = QPalette.ColorRole
    for each, colour in ((role.Window, "#2b2b2b"), (role.WindowText, "#e6e6e6"), (role.Base, "#1e1e1e")):
        dark.setColor(each, QColor(colour))
    try:
        for theme in (light, dark):  # a frame in a colour of its own, whatever the palette
            app.setPalette(theme)
            qtbot.wait(50)
            assert border_colour(winner) == QColor(PICK_COLOUR) != border_colour(loser)
            assert centre_colour(winner.output) == centre_colour(loser.output)  # its answer box as well
    finally:
        app.setPalette(light)
    window.show_mode("History")
    window.show_mode("Compare")
    assert "Your pick" in title(winner)  # still marked on coming back

    run_all(qtbot, window)  # the next (blind) run: a new round, nothing picked yet
    assert not any("Your pick" in title(c) for c in compare.columns)
    assert border_colour(winner) == plain
    again = compare.shown()[0]
    with qtbot.waitSignal(window.compare_session.voted, timeout=5000):
        again.vote_button.click()
    assert title(again).startswith("★ Your pick (was Model A)")
    compare.blind.setChecked(False)  # blind mode left: the mark goes
    assert [title(c) for c in compare.columns] == [c.real_name() for c in compare.columns]
    assert border_colour(again) == plain
