"""A chart's legend wraps between entries, never inside a model's name, and shows names as text."""

import pytest
from PySide6.QtGui import QTextDocument

pytestmark = pytest.mark.gui

NAMES = ["o3", "monthly budget $6.00", "claude-haiku-4-5", "claude-sonnet-4-6", "gpt-4.1-nano", "<b>x</b>"]


def lines(html: str, width: int) -> list[str]:
    doc = QTextDocument()
    doc.setHtml(html)
    doc.setTextWidth(width)
    doc.size()  # lays the text out
    out = []
    block = doc.begin()
    while block.isValid():
        layout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            out.append(block.text()[line.textStart() : line.textStart() + line.textLength()].strip())
        block = block.next()
    return out


def test_the_legend_wraps_between_names(qtbot):
    from ui.spend.axes import CountAxis
    from ui.spend.chart_panel import ChartPanel, count_value

    panel = ChartPanel("Spend", CountAxis(), count_value)
    qtbot.addWidget(panel)
    panel.set_legend([(n, "#1f77b4", "bar") for n in NAMES])
    shown = lines(panel.legend.text(), 170)
    assert len(shown) > 1  # it does wrap at this width...
    entries = [e for line in shown for e in line.replace("\u2060", "").split(" \xa0 ")]
    whole = {e.removeprefix("■\xa0").replace("\xa0", " ") for e in entries}
    assert set(NAMES) <= whole  # ...but every name stays on one line, and "<b>x</b>" is text
