"""The Spend page's six charts. Each costs ~16 ms of GUI-thread time to make (~12 of them its pyqtgraph
plot), so the page's first build makes them in steps, one per turn of the event loop
(ui/page_loader.py): the window keeps painting and answering while they are made."""

from __future__ import annotations

from collections.abc import Callable, Generator

import pyqtgraph as pg

from ui.page_loader import in_one_go
from ui.spend import drawing
from ui.spend.axes import CountAxis, DurationAxis, MoneyAxis, duration_text
from ui.spend.chart_panel import ChartPanel, count_value, plot_in_steps

# In the page's order: spend, this month, tokens; duration, first token, speed.
SPECS: tuple[tuple[str, Callable[[], pg.AxisItem], Callable[[float], str]], ...] = (
    ("Spend", MoneyAxis, drawing.usd_value),
    ("This month", MoneyAxis, drawing.usd_value),
    ("Tokens in and out", CountAxis, count_value),
    ("Duration", DurationAxis, duration_text),
    ("First token", DurationAxis, duration_text),
    ("Output tokens/s", CountAxis, lambda v: f"{v:,.1f} tok/s"),
)


# The line items each chart's draw sets (spend: bars only; this month: spent, projected; tokens: in and
# out, each with its dashed last step; a band: p95 and p50; speed: one), made ahead by ``warm``.
LINES = (0, 2, 4, 2, 2, 1)


def made_in_steps() -> Generator[None, None, list[ChartPanel]]:
    """The six charts, each in steps (its plot in five, the panel, its first-use costs in three); yields
    between steps."""
    panels = []
    for (name, axis, show_value), lines in zip(SPECS, LINES, strict=True):
        left = axis()
        plot = yield from plot_in_steps(left)
        panel = ChartPanel(name, left, show_value, plot)
        panels.append(panel)
        yield
        yield from panel.warm(lines)
        yield
    return panels


def make_all() -> list[ChartPanel]:
    panels = [ChartPanel(name, axis(), show_value) for name, axis, show_value in SPECS]
    for panel, lines in zip(panels, LINES, strict=True):
        in_one_go(panel.warm(lines))
    return panels
