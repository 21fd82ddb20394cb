"""A chart's PlotItem made in steps (ui/spend/plot_item.py) is the PlotItem pyqtgraph makes in one go."""

import pyqtgraph as pg

from ui.page_loader import in_one_go
from ui.spend.axes import DayAxis, MoneyAxis
from ui.spend.chart_panel import plot_in_steps
from ui.spend.plot_item import _PLOT_ITEM, can_hand_over, options_made, plot_item


def test_this_pyqtgraph_takes_the_menu_made_ahead(qtbot):
    """Else the menu is made in the item's own step again (~6 ms more): the split would be lost."""
    assert can_hand_over()
    options = in_one_go(options_made())
    assert options is not None
    item = plot_item(options, viewBox=pg.ViewBox(enableMenu=False), enableMenu=False)
    assert item.ctrl is options.form and item.stateGroup is options.group
    # the module and the parts are as they were: a later PlotItem makes its own menu
    assert _PLOT_ITEM.ui_template.Ui_Form is not None and _PLOT_ITEM.WidgetGroup is pg.WidgetGroup
    assert "setupUi" not in vars(options.form) and "autoAdd" not in vars(options.group)
    assert pg.PlotItem().ctrl is not options.form


def test_made_in_steps_it_has_the_menu_and_state_of_one_made_at_once(qtbot):
    widget = in_one_go(plot_in_steps(MoneyAxis()))  # kept: the item and its menu go with it
    stepped = widget.getPlotItem()
    plain = pg.PlotItem(
        viewBox=pg.ViewBox(enableMenu=False),
        axisItems={"bottom": DayAxis(), "left": MoneyAxis()},
        enableMenu=False,
    )
    assert [a.text() for a in stepped.ctrlMenu.actions()] == [a.text() for a in plain.ctrlMenu.actions()]
    assert len(stepped.stateGroup.widgetList) == len(plain.stateGroup.widgetList)
    assert stepped.saveState() == plain.saveState()
    stepped.showGrid(y=True, alpha=0.25)  # kept in the menu's widgets, read back from them
    assert stepped.ctrl.yGridCheck.isChecked() and stepped.saveState()["yGridCheck"]
    curve = stepped.plot([1.0, 2.0], [3.0, 4.0])
    assert curve in stepped.listDataItems()
