"""The calls table skips Qt's full relayout for rows appended below the screen: the new rows must
still be reachable (scroll range) and, when they land on screen, laid out and painted."""

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QStandardItem, QStandardItemModel

from ui.history.call_table import CallTable


def table_with(qtbot, rows: int) -> tuple[CallTable, QStandardItemModel]:
    model = QStandardItemModel(0, 2)
    for i in range(rows):
        model.appendRow([QStandardItem(f"call {i}"), QStandardItem(str(i))])
    table = CallTable()
    qtbot.addWidget(table)
    table.setModel(model)
    model.rowsInserted.connect(table.executeDelayedItemsLayout)  # as the History view wires it
    table.resize(400, 300)
    table.show()
    qtbot.waitExposed(table)
    return table, model


class Paints(QObject):
    """Counts the paints of the table's cells (its viewport)."""

    def __init__(self, table: CallTable):
        super().__init__(table)
        self.count = 0
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        self.count += event.type() == QEvent.Type.Paint
        return False


def append(model: QStandardItemModel, count: int) -> None:
    start = model.rowCount()
    for i in range(start, start + count):
        model.appendRow([QStandardItem(f"call {i}"), QStandardItem(str(i))])


def test_rows_appended_below_the_screen_can_be_scrolled_to(qtbot):
    table, model = table_with(qtbot, 200)
    before = table.verticalScrollBar().maximum()
    qtbot.wait(50)
    paints = Paints(table)
    append(model, 200)
    qtbot.waitUntil(lambda: table.verticalScrollBar().maximum() > before)
    qtbot.wait(50)
    assert paints.count == 0  # the cells on screen did not change: no repaint of them
    table.scrollToBottom()
    last = model.index(399, 0)
    qtbot.waitUntil(lambda: table.viewport().rect().intersects(table.visualRect(last)))


def test_rows_appended_to_a_short_table_show_at_once(qtbot):
    table, model = table_with(qtbot, 2)  # the rows end above the bottom edge: new ones land on screen
    qtbot.wait(50)
    paints = Paints(table)
    append(model, 3)
    qtbot.waitUntil(lambda: paints.count > 0)
    fourth = table.visualRect(model.index(4, 0))
    assert fourth.isValid() and table.viewport().rect().contains(fourth.topLeft())
    assert table.rowAt(fourth.center().y()) == 4
