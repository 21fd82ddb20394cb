"""The History view as the tests open it: at 1280×800, shown, reading ``core`` on ``background``."""

from ui.common.background import Background


def history_view(qtbot, core, background: Background):
    from ui.history.view import HistoryView

    view = HistoryView(background)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    view.set_core(core)
    return view
