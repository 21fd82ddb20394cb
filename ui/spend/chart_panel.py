"""One chart: a title and a legend above the plot (never on the data), real units on the axes, exact
values on hover, a deliberate "No calls in this range" state, and PNG / CSV saves."""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Generator
from datetime import date

import pyqtgraph as pg
from PySide6.QtCore import QBuffer, QEvent, QIODevice, QRect, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QFontMetricsF
from PySide6.QtWidgets import (
    QGraphicsPathItem,
    QGraphicsRectItem,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from playground.spend.export import Series
from ui.page_loader import in_one_go
from ui.spend.axes import DAY_S, DayAxis, count_text, follow_palette
from ui.spend.plot_item import options_made, plot_item

EMPTY = "No calls in this range"
LOADING = "Loading…"
LEGEND_LINES = 2  # the legend's height reserved before anything is drawn


def png_bytes(widget: QWidget) -> bytes:
    """The widget as PNG bytes, in memory (the file is written off the GUI thread)."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    widget.grab().save(buffer, "PNG")
    return bytes(buffer.data().data())


def _unbroken(name: str) -> str:
    """Escaped, with no-break spaces and a word joiner after each hyphen: a line never breaks inside."""
    return html.escape(name).replace(" ", "&nbsp;").replace("-", "-\u2060")


class Title(QLabel):
    """A chart's bold title, shortened at a word to the width it has ("December 2026: spend so
    far, and…"), never cut mid-word; shortened, its tooltip holds the whole. ``text()`` is the whole."""

    def __init__(self, text: str):
        super().__init__()
        self._full = ""
        font = self.font()
        font.setBold(True)
        self.setFont(font)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:
        self._full = text
        self._fit()

    def text(self) -> str:
        return self._full

    def plain(self) -> str:
        return self._full.replace("<b>", "").replace("</b>", "")

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        whole = self.plain()
        shown = shorten(whole, self.width(), self.fontMetrics().horizontalAdvance)
        super().setText(shown)
        self.setToolTip(whole if shown != whole else "")
        self.setAccessibleName(whole)


WIDEST_TICK = "$88,888.88"  # wider than any tick label of the left axes ("1,500 ms", "999M", "$0.05")


def fix_width(axis: pg.AxisItem) -> None:
    """A left axis as wide as its widest label could be, from the start: sized by the labels it
    measured at its first paint, it changed width after that paint, so the plot was laid out again
    and painted a second time in a later frame, beside the next chart's paint (over 16 ms)."""
    font = axis.style["tickFont"] or axis.font()
    text = QFontMetricsF(font).horizontalAdvance(WIDEST_TICK)
    axis.setWidth(math.ceil(text + axis.style["tickTextOffset"][0] + max(0, axis.style["tickLength"]) + 2))


def shorten(text: str, room: float, width: Callable[[str], float]) -> str:
    """``text`` if it fits in ``room`` pixels, else its longest run of whole words that fits with "…"."""
    if width(text) <= room:
        return text
    words = text.split(" ")
    for n in range(len(words) - 1, 0, -1):
        head = " ".join(words[:n]).rstrip(",:;") + "…"
        if width(head) <= room:
            return head
    return words[0] + "…"


def plot_in_steps(left: pg.AxisItem) -> Generator[None, None, pg.PlotWidget]:
    """A chart's plot: days along the bottom, ``left`` up the side; made in five steps of ~2-5 ms
    (~20 ms in one go: no step of it may make a frame late), yielding between them. The view box has
    no context menu: the charts have their own Save menu, and pyqtgraph's (zoom, export) was turned
    off anyway."""
    view = pg.ViewBox(enableMenu=False)
    yield
    options = yield from options_made()  # the item's (unused) options menu, made ahead (plot_item.py)
    yield
    item = plot_item(options, viewBox=view, axisItems={"bottom": DayAxis(), "left": left}, enableMenu=False)
    yield
    return pg.PlotWidget(plotItem=item)


def new_plot(left: pg.AxisItem) -> pg.PlotWidget:
    return in_one_go(plot_in_steps(left))


class ChartPanel(QWidget):
    """``show_value`` turns a y value into text for the hover ("$0.12", "1,200 ms")."""

    save_requested = Signal(str, str)  # kind ("png" / "csv"), chart name
    clicked = Signal(float, float)  # x, y in data units

    def __init__(
        self,
        name: str,
        left: pg.AxisItem,
        show_value: Callable[[float], str],
        plot: pg.PlotWidget | None = None,
        parent=None,
    ):
        """``plot``: ``new_plot(left)`` made beforehand (the page's first build makes it a step of
        its own, ui/spend/panels.py); made here when not given."""
        super().__init__(parent)
        self.name = name
        self.show_value = show_value
        self.title = Title(f"<b>{name}</b>")
        self.legend = QLabel()
        self.legend.setAccessibleName(f"{name} legend")
        self.legend.setWordWrap(True)
        # Two lines are kept for the legend from the start, so the first legends set do not change
        # its height: each change re-laid the grid out and repainted every plot in it (23 plot
        # paints on the first open instead of 6-8). A legend of three lines or more still grows.
        self.legend.setMinimumHeight(LEGEND_LINES * self.legend.fontMetrics().lineSpacing())
        self.legend.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.menu_button = QToolButton()
        self.menu_button.setText("Save ▾")
        self.menu_button.setAccessibleName(f"Save {name}")
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.menu_button)
        menu.addAction("Save as PNG…", lambda: self.save_requested.emit("png", name))
        menu.addAction("Save data as CSV…", lambda: self.save_requested.emit("csv", name))
        self.menu_button.setMenu(menu)
        self.plot = plot if plot is not None else new_plot(left)
        fix_width(left)
        for hidden in ("top", "right"):  # their SI prefix re-laid an HTML label on every range change
            self.plot.getAxis(hidden).enableAutoSIPrefix(False)
        self.plot.setAccessibleName(name)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(x=False, y=True, alpha=0.25)
        self.empty = QLabel(EMPTY)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setAccessibleName(f"{name}: {EMPTY}")
        # Until its first draw a chart shows "Loading…", not an empty plot: six plots painted on the
        # first show held the GUI thread ~100-170 ms; this way each is first painted in its own frame.
        self.loading = QLabel(LOADING)
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading.setAccessibleName(f"{name}: {LOADING}")
        # The plot's size hint follows its scene (it grows once shown) and a placeholder's is a line
        # of text: a grid sized its cells by these, so each chart arriving moved every plot in it (a
        # resize and a repaint of all six, 23 plot paints on the first open). Ignored, the cells are
        # the view's (equal stretch); the title never widens its column either.
        for widget in (self.plot, self.loading, self.empty):
            widget.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.stack = QStackedWidget()
        self.stack.setMinimumSize(self.plot.minimumSizeHint())  # the floor the plot's hint gave
        self.stack.addWidget(self.loading)
        self.stack.addWidget(self.plot)
        self.stack.addWidget(self.empty)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)  # the row's width, whatever the text's
        head.addWidget(self.menu_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(1)
        layout.addLayout(head)
        layout.addWidget(self.legend)
        layout.addWidget(self.stack, 1)
        self.series: list[Series] = []
        self._curves: list[pg.PlotDataItem] = []  # line items kept across draws (``curve``)
        self._used = 0
        self.unpriced: tuple[list[float], list[int]] = ([], [])
        self.veil: QGraphicsRectItem | None = None  # pales the bar of the period still running
        self.band: QGraphicsPathItem | None = None  # the p50-to-p95 area of a latency chart
        self.reach_s = 0.5 * DAY_S  # how far from a point the hover still names it
        self._move = pg.SignalProxy(self.plot.scene().sigMouseMoved, rateLimit=30, slot=self._hovered)
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self.restyle()

    def clear(self) -> None:
        """Remove what was drawn; the lines are kept hidden, to be set anew by ``curve``."""
        plot = self.plot.getPlotItem()
        for item in list(plot.items):
            if item not in self._curves:
                plot.removeItem(item)
        for curve in self._curves:
            curve.setVisible(False)
        self._used = 0
        self.series = []
        self.unpriced = ([], [])
        self.veil = None
        self.band = None

    def curve(self, x: list[float], y: list[float], **style: object) -> pg.PlotDataItem:
        """A line of the plot (pen, symbol... as ``PlotItem.plot`` takes): a line item from an earlier
        draw set anew, as a new one cost ~5 ms of GUI-thread time per line (a dozen per refresh)."""
        style = {"symbol": None, **style}
        if self._used < len(self._curves):
            item = self._curves[self._used]
            item.setData(x, y, **style)
            item.setVisible(True)
        else:
            item = self.plot.plot(x, y, **style)
            self._curves.append(item)
        self._used += 1
        return item

    def warm(self, lines: int) -> Generator[None, None, None]:
        """Pay the plot's first-use costs now, unseen, in steps: ``lines`` line items made (hidden)
        for the draws to set anew, two a step (~2-4 ms each); then one render off screen (its axes,
        text and scene set up), in two steps: one pixel of its margin (which lays the plot out at its
        size, ~5 ms), then the whole (in one step the two were 10-14 ms). Run while the page is built;
        otherwise the first draw and paint of each chart cost 2-3x a later one (a frame over 16 ms,
        bench/bench_spend_gui.py)."""
        for n in range(lines - len(self._curves)):
            if n and n % 2 == 0:
                yield
            self.curve([], []).setVisible(False)
        self._used = 0
        yield
        self.plot.grab(QRect(self.plot.width() - 1, 0, 1, 1))
        yield
        self.plot.grab()

    def set_empty(self, empty: bool) -> None:
        self.stack.setCurrentWidget(self.empty if empty else self.plot)

    @property
    def is_empty(self) -> bool:
        return self.stack.currentWidget() is self.empty

    def set_legend(self, entries: list[tuple[str, str, str]]) -> None:
        """(name, color, kind): kind 'bar', 'line', 'dash' or 'band'."""
        marks = {"bar": "■", "line": "━", "dash": "┅", "band": "▬"}
        # An entry never breaks inside (it wrapped "gpt-4.1-" from "nano"): a word joiner after each
        # hyphen and a no-break space after the mark; the legend wraps between entries.
        self.legend.setText(
            " &nbsp; ".join(
                f"<span style='color:{c}'>{marks[k]}</span>&nbsp;{_unbroken(n)}" for n, c, k in entries
            )
        )

    def restyle(self) -> None:
        """Follow the application's palette (light or dark)."""
        follow_palette(self.plot)
        if self.veil is not None:  # the running period's cover: the new background, as translucent
            cover = QColor(self.plot.backgroundBrush().color())
            cover.setAlpha(self.veil.brush().color().alpha())
            self.veil.setBrush(cover)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.restyle()
        super().changeEvent(event)

    def values_at(self, x: float) -> str:
        """The values nearest to ``x`` (a timestamp), as one line: 'Nov 5: gpt-4o $0.12 · …'."""
        parts, day = [], None
        for name, xs, ys in self.series:
            if not xs:
                continue
            i = min(range(len(xs)), key=lambda k: abs(xs[k] - x))
            if abs(xs[i] - x) <= self.reach_s:
                day = date.fromtimestamp(xs[i])
                parts.append(f"{name} {self.show_value(ys[i])}")
        ux, counts = self.unpriced
        if parts and ux:
            i = min(range(len(ux)), key=lambda k: abs(ux[k] - x))
            if counts[i] and abs(ux[i] - x) <= self.reach_s:
                parts.append(f"{counts[i]:,} unpriced")
        return f"{day.isoformat()}: " + " · ".join(parts) if day else ""

    def _hovered(self, event) -> None:
        pos = event[0]
        if self.plot.sceneBoundingRect().contains(pos):
            x = self.plot.getPlotItem().vb.mapSceneToView(pos).x()
            text = self.values_at(x)
            if text:
                QToolTip.showText(QCursor.pos(), text, self.plot)

    def _clicked(self, event) -> None:
        point = self.plot.getPlotItem().vb.mapSceneToView(event.scenePos())
        self.clicked.emit(point.x(), point.y())

    def png(self) -> bytes:
        return png_bytes(self)


def count_value(value: float) -> str:
    return f"{value:,.0f}" if abs(value) < 10_000 else count_text(value)
