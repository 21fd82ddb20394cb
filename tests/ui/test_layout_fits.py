"""At 1280×800 every mode fits: no visible input widget lies outside the window."""

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from playground.compare.columns import Column
from tests.ui.conftest import show_built
from ui.main_window import MODES

pytestmark = pytest.mark.gui

INPUTS = (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSlider)


def _viewport(widget: QWidget) -> QWidget | None:
    """The scroll area viewport ``widget`` sits in: reachable by scrolling down, so only its row must
    fit across (a compare row scrolls across on purpose, and is checked apart)."""
    parent = widget.parentWidget()
    while parent is not None:
        area = parent.parentWidget()
        if isinstance(area, QAbstractScrollArea) and parent is area.viewport():
            return parent
        parent = parent.parentWidget()
    return None


def clipped(window, width: int = 1280, height: int = 800) -> list[str]:
    """Visible inputs not fully inside a ``width``×``height`` window (a window forced wider is clipped by
    the screen, so its size is not trusted)."""
    frame = QRect(0, 0, width, height)
    out = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, INPUTS) or not widget.isVisibleTo(window) or not widget.isVisible():
            continue
        if isinstance(widget.parentWidget(), QAbstractScrollArea) or widget.objectName().startswith("qt_"):
            continue  # a scroll area's own scroll bars and corner buttons
        rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        viewport = _viewport(widget)
        if viewport is not None:
            view = QRect(viewport.mapTo(window, QPoint(0, 0)), viewport.size()).intersected(frame)
            inside = rect.left() >= view.left() and rect.right() <= view.right()
        else:
            inside = frame.contains(rect)
        if not inside:
            name = widget.accessibleName() or widget.objectName() or type(widget).__name__
            out.append(f"{name} {rect.getRect()}")
    return out


@pytest.mark.parametrize("mode", [name for name, _ in MODES])
def test_every_mode_fits_at_1280_by_800(qtbot, window, mode):
    window.resize(1280, 800)
    if mode == "Compare":
        for model in ("gpt-4o-mini", "gpt-4o", "gpt-4.1-nano"):
            window.compare.add_column(Column("local", model))
    show_built(qtbot, window, mode)
    qtbot.wait(100)
    assert (window.width(), window.height()) == (1280, 800)
    assert window.tabs.currentIndex() == [m for m, _ in MODES].index(mode)
    assert clipped(window) == []


def test_compare_shows_three_full_columns_at_1280_and_four_at_1920(qtbot, window):
    for model in ("gpt-4o-mini", "gpt-4o", "gpt-4.1-nano", "gpt-4.1", "o3"):
        window.compare.add_column(Column("local", model))
    window.show_mode("Compare")

    def fully_shown() -> int:
        scroll = window.compare.scroll.viewport()
        view = QRect(QPoint(0, 0), scroll.size())
        columns = window.compare.columns
        return sum(view.contains(QRect(c.mapTo(scroll, QPoint(0, 0)), c.size())) for c in columns)

    window.resize(1280, 800)
    qtbot.wait(100)
    assert fully_shown() >= 3
    window.resize(1920, 1080)
    qtbot.wait(100)
    assert fully_shown() >= 4


def test_the_prompt_and_parameters_show_only_in_playground_and_collapse(qtbot, window):
    assert window.editor.isVisible() and window.params.isVisible()
    window.show_mode("History")
    assert not window.editor.isVisible() and not window.params.isVisible()
    window.show_mode("Playground")
    window.params_panel_action.trigger()
    assert not window.params.isVisible() and window.editor.isVisible()
    window.prompt_panel_action.trigger()
    assert not window.editor.isVisible()
    window.params_panel_action.trigger()
    assert window.params.isVisible()


def test_the_rail_switches_modes(qtbot, window):
    window.rail.setCurrentRow(2)
    assert window.tabs.currentWidget() is window.history
    window.rail.setCurrentRow(3)
    assert "Loading Spend" in window.tabs.currentWidget().findChild(QLabel).text()  # at once
    qtbot.waitUntil(lambda: window.spend is not None, timeout=10_000)
    assert window.tabs.currentWidget() is window.spend and window.rail.currentRow() == 3
    window.show_mode("Playground")
    assert window.rail.currentRow() == 0


def test_spend_cards_with_long_figures_still_fit_at_1280(qtbot, window):
    """The longest lines the cards show (a budget warning, many unpriced calls) wrap instead of forcing
    the window wider than a 1280-pixel screen (they made it 1329 wide)."""
    window.resize(1280, 800)
    window.show_mode("Spend")
    qtbot.waitUntil(lambda: window.spend is not None and bool(window.spend.cards), timeout=10_000)
    long_lines = {
        "Spend": "at least $10,234.56 · 12,345 calls unpriced",
        "Tokens in / out": "4,653,725,000 / 895,649,000",
        "Cache savings": "cost extra $1,234.56 + 12,345 unpriced",
        "Month end (projected)": "~at least $12,345.67 · 12,345 calls unpriced",
        "Budget": "Monthly budget $6.00 could cross at this pace",
    }
    for title, text in long_lines.items():
        window.spend.cards[title].setText(text)
    qtbot.wait(100)
    assert window.minimumSizeHint().width() <= 1280
    assert (window.width(), window.height()) == (1280, 800)
    assert clipped(window) == []


def test_the_counters_read_on_one_line_at_1280(qtbot, window):
    """The context gauge's text wrapped inside its one-line bar, cut at top and bottom, and the
    worst case wrapped to three lines (seen on a new-user tour at 1280×800)."""
    from tests.ui.conftest import type_prompt

    window.resize(1280, 800)
    type_prompt(qtbot, window, "How many tokens is this prompt, and what could it cost?")
    counters = window.counters
    qtbot.waitUntil(lambda: counters.worst.text().startswith("worst"), timeout=10_000)
    qtbot.wait(50)
    gauge = counters.gauge
    assert gauge.fontMetrics().horizontalAdvance(gauge.text()) <= gauge.contentsRect().width() - 8
    for label in (counters.input, counters.input_cost, counters.worst):
        one_line = label.fontMetrics().boundingRect(label.text()).width()
        assert one_line <= label.contentsRect().width(), (label.accessibleName(), label.text())
    assert (window.width(), window.height()) == (1280, 800)


def test_the_spend_table_shows_every_column_whole_at_1280(qtbot, window):
    """The per-model table was wider than its view at 1280 px: its last column showed "32" of
    "322.6" (a right-aligned number cut on the left reads as another number)."""
    from decimal import Decimal

    from playground.pricing.money import Money
    from playground.spend.overview import ModelRow

    window.resize(1280, 800)
    show_built(qtbot, window, "Spend")
    table = window.spend.table
    wide = ModelRow(
        "claude-sonnet-4-6", 12_985, 1_039, 81_997_945, 7_717_147, 6_310_073, 1_125_896,
        Money(Decimal("12345.67")), 0.413, 12_100.0, 64_200.0, 1_514.0, 1_322.6,
    )  # fmt: skip
    table.set_rows([wide])
    qtbot.wait(50)
    header = table.horizontalHeader()
    assert header.length() <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()
    assert header.sectionSize(0) >= table.sizeHintForColumn(0)  # the name is not elided
    window.resize(1920, 1080)  # no column takes the spare width: Tokens/s sat a screen from its model
    qtbot.waitUntil(lambda: table.viewport().width() > 1500, timeout=2000)
    for c in range(header.count()):
        assert header.sectionSize(c) <= max(table.sizeHintForColumn(c), header.sectionSizeHint(c)) + 1


def test_an_unpriced_model_keeps_the_window_at_1280(qtbot, window, local_openai):
    """Its counters read 'context unknown', 'input cost unknown', 'worst case unknown': the worst case
    wrapped, and the window grew to 1283 pixels and stayed so (new-user tour)."""
    from tests.ui.conftest import type_prompt

    window.resize(1280, 800)
    window.picker.select("local", "test-model")
    type_prompt(qtbot, window, "How many tokens is this prompt, and what could it cost?")
    counters = window.counters
    qtbot.waitUntil(lambda: "unknown" in counters.worst.text(), timeout=10_000)
    qtbot.wait(100)
    assert (counters.input_cost.text(), counters.worst.text()) == ("price unknown", "worst unknown")
    for label in (counters.input, counters.input_cost, counters.worst):
        one_line = label.fontMetrics().boundingRect(label.text()).width()
        assert one_line <= label.contentsRect().width(), (label.accessibleName(), label.text())
    with qtbot.waitSignal(window.session.runFinished, timeout=10_000):  # its run: "cost unknown" too
        window.run_action.trigger()
    qtbot.wait(100)
    assert (window.width(), window.height()) == (1280, 800)
    assert window.minimumSizeHint().width() <= 1280
