"""Tabs over pages that change while shown (Spend's charts, Evaluate's results).

A QTabWidget lays its page out by hand: every layout request from anywhere inside the page (a label's
new text, a chart's title) reaches it and repaints the whole page. On Spend's first open that was six
repaints of the whole page, ~8-10 ms each, one per chart drawn (bench/bench_spend_gui.py). Here the tab
bar and the pages sit in ordinary layouts, so a change repaints what changed."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QTabBar, QVBoxLayout, QWidget


class Sections(QWidget):
    """The part of QTabWidget's interface the pages use: addTab, count, tabText, widget, indexOf,
    currentIndex/currentWidget and their setters, currentChanged."""

    currentChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.bar = QTabBar()
        self.bar.setDrawBase(False)
        self.bar.setExpanding(False)
        self.stack = QStackedWidget()
        self.stack.setFrameShape(QStackedWidget.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.bar)
        layout.addWidget(self.stack, 1)
        self.bar.currentChanged.connect(self._shown)

    def addTab(self, widget: QWidget, title: str) -> int:
        self.stack.addWidget(widget)
        return self.bar.addTab(title)

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
