"""Tabs over pages that change while shown (Spend's charts, Evaluate's results).

A QTabWidget lays its page out by hand: every layout request from anywhere inside the page (a label's
new text, a chart's title) reaches it and repaints the whole page. On Spend's first open that was six
repaints of the whole page, ~8-10 ms each, one per chart drawn (bench/bench_spend_gui.py). Here the pages
sit in an ordinary layout, so a change repaints what changed; the tab bar and the frame around the pages
are placed and drawn as QTabWidget's style draws them (the selected tab joined to its page), and only
when the widget's size, style or tabs change."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMargins, QRect, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QPaintEvent, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QStackedWidget,
    QStyle,
    QStyleOptionTab,
    QStyleOptionTabWidgetFrame,
    QStylePainter,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

# The style's layout is worked out on a rect this size, so that the margins do not depend on the
# widget's own size (0 x 0 before it is first shown).
_ROOM = QRect(0, 0, 4000, 4000)


class _Bar(QTabBar):
    """Tabs drawn as a QTabWidget's: the style fills the selected tab like the frame below it (Fusion
    checks HasFrame, which QTabBar sets only under a QTabWidget), so the tab and its page look one."""

    def initStyleOption(self, option: QStyleOptionTab, tabIndex: int) -> None:
        super().initStyleOption(option, tabIndex)
        option.features |= QStyleOptionTab.TabFeature.HasFrame


class Sections(QWidget):
    """The part of QTabWidget's interface the pages use: addTab, count, tabText, widget, indexOf,
    currentIndex/currentWidget and their setters, currentChanged. Ctrl+Tab / Ctrl+PgDown and
    Ctrl+Shift+Tab / Ctrl+PgUp switch sections from anywhere inside."""

    currentChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.bar = _Bar(self)
        self.bar.setDrawBase(False)  # the frame drawn here is the base, as in QTabWidget
        self.bar.setExpanding(False)
        self.stack = QStackedWidget()
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.stack, 1)
        self.bar.raise_()  # above the pages' edge, as its selected tab covers the frame's line
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # Tab reaches the tab bar, as in a QTabWidget
        self.setFocusProxy(self.bar)
        self.bar.currentChanged.connect(self._shown)
        # QTabWidget takes Ctrl+Tab only when the widget with focus lets it through, and a table with
        # rows (Spend's models, Evaluate's grid and cases) moves its current cell on it: shortcuts
        # are seen first. Ctrl+PgDown / Ctrl+PgUp as in browsers and editors.
        for keys, step in (("Ctrl+Tab", 1), ("Ctrl+PgDown", 1), ("Ctrl+Shift+Tab", -1), ("Ctrl+PgUp", -1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda step=step: self.step(step))
        self._place()

    def addTab(self, widget: QWidget, title: str) -> int:
        self.stack.addWidget(widget)
        index = self.bar.addTab(title)
        self._place()
        return index

    def count(self) -> int:
        return self.bar.count()

    def tabText(self, index: int) -> str:
        return self.bar.tabText(index)

    def widget(self, index: int) -> QWidget | None:
        return self.stack.widget(index)

    def indexOf(self, widget: QWidget) -> int:
        return self.stack.indexOf(widget)

    def currentIndex(self) -> int:
        return self.bar.currentIndex()

    def currentWidget(self) -> QWidget | None:
        return self.stack.currentWidget()

    def setCurrentIndex(self, index: int) -> None:
        self.bar.setCurrentIndex(index)

    def setCurrentWidget(self, widget: QWidget) -> None:
        self.bar.setCurrentIndex(self.stack.indexOf(widget))

    def _shown(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self.currentChanged.emit(index)

    # --- the look of a QTabWidget ---------------------------------------------------------------

    def _frame_option(self, rect: QRect) -> QStyleOptionTabWidgetFrame:
        """What QTabWidget tells its style (QTabWidget::initStyleOption), for a widget of ``rect``."""
        option = QStyleOptionTabWidgetFrame()
        option.initFrom(self)
        option.rect = rect
        option.lineWidth = self.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, self)
        option.shape = self.bar.shape()
        option.leftCornerWidgetSize = option.rightCornerWidgetSize = QSize(0, 0)  # no corner widgets
        option.tabBarSize = self.bar.sizeHint()
        option.tabBarRect = self.bar.geometry()
        selected = self.bar.tabRect(self.bar.currentIndex())
        option.selectedTabRect = selected.translated(self.bar.pos())
        return option

    def _place(self) -> None:
        """The tab bar where the style puts it, and the pages inside the frame. The frame's margins
        come from the style and the layout places the pages, so a layout request from inside a page
        only checks them here: nothing moves or is repainted unless the bar's size or the style changed."""
        style = self.style()
        room = self._frame_option(_ROOM)
        inside = style.subElementRect(QStyle.SubElement.SE_TabWidgetTabContents, room, self)
        margins = QMargins(
            inside.left(), inside.top(), _ROOM.right() - inside.right(), _ROOM.bottom() - inside.bottom()
        )
        if self._layout.contentsMargins() != margins:
            self._layout.setContentsMargins(margins)
        bar = style.subElementRect(
            QStyle.SubElement.SE_TabWidgetTabBar, self._frame_option(self.rect()), self
        )
        if self.bar.geometry() != bar:
            self.bar.setGeometry(bar)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._place()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # e.g. the bar's size hint changed with a tab's text
            self._place()
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        """The frame around the pages, clipped to what needs painting (QTabWidget::paintEvent)."""
        option = self._frame_option(self.rect())
        option.rect = self.style().subElementRect(QStyle.SubElement.SE_TabWidgetTabPane, option, self)
        QStylePainter(self).drawPrimitive(QStyle.PrimitiveElement.PE_FrameTabWidget, option)

    def step(self, step: int) -> None:
        """The next (1) or previous (-1) enabled section, round the end."""
        index = self.currentIndex()
        for _ in range(self.count()):
            index = (index + step) % self.count()
            if self.bar.isTabEnabled(index):
                self.setCurrentIndex(index)
                return
