"""pyqtgraph's PlotItem made over turns of the event loop: in one go it cost ~10-14 ms of GUI-thread time.

``PlotItem.__init__`` makes its options menu (a form of ~40 widgets, and a WidgetGroup watching
them: ~6 ms of that) whatever it is told, and keeps its state in those widgets (``showGrid`` ticks a
box of it, ``addItem`` reads them), so they cannot be left out. ``options_made`` makes them a step
ahead; ``plot_item`` then hands them to the PlotItem instead of it making its own. Should a later
pyqtgraph be laid out otherwise, the PlotItem makes its own, as before (a test says so).
"""

from __future__ import annotations

import sys
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

_PLOT_ITEM: Any = sys.modules[pg.PlotItem.__module__]  # its globals are swapped below


@dataclass
class Options:
    """A PlotItem's options menu, made ahead: the form (its ``ctrl``) and the group (its
    ``stateGroup``). ``holder`` is the widget the form was laid in: the PlotItem drops its own as
    soon as the menu has taken the form's groups, and this one goes the same way, with the Options."""

    holder: QWidget
    form: Any
    group: pg.WidgetGroup


def _groups(form: Any) -> tuple[QWidget, ...]:
    """The form's parts the PlotItem puts in its menu, in its order (PlotItem.__init__'s menuItems)."""
    return (
        form.transformGroup,
        form.decimateGroup,
        form.averageGroup,
        form.alphaGroup,
        form.gridGroup,
        form.pointsGroup,
    )


def can_hand_over() -> bool:
    """Whether this pyqtgraph's PlotItem makes its menu the way ``plot_item`` hands it over."""
    template = getattr(_PLOT_ITEM, "ui_template", None)
    return hasattr(template, "Ui_Form") and getattr(_PLOT_ITEM, "WidgetGroup", None) is pg.WidgetGroup


def options_made() -> Generator[None, None, Options | None]:
    """The form (~3 ms), a step, then its group (~3 ms). None if they cannot be handed over."""
    if not can_hand_over():
        return None
    holder = QWidget()
    form = _PLOT_ITEM.ui_template.Ui_Form()
    form.setupUi(holder)
    yield
    group = pg.WidgetGroup()
    for part in _groups(form):
        group.autoAdd(part)
    return Options(holder, form, group)


def plot_item(options: Options | None, **kwargs: object) -> pg.PlotItem:
    """``pg.PlotItem(**kwargs)``, with ``options`` (from ``options_made``) as its menu."""
    if options is None:
        return pg.PlotItem(**kwargs)
    with _handed(options):
        return pg.PlotItem(**kwargs)


@contextmanager
def _handed(options: Options) -> Iterator[None]:
    """While the PlotItem is made (on the GUI thread, in one call): its module's form class and
    WidgetGroup give the ones made ahead, already set up."""
    form, group = options.form, options.group
    form.setupUi = lambda _widget: None  # laid out already
    group.autoAdd = lambda _widget: None  # the form's groups added already, in the same order
    made_form, made_group = _PLOT_ITEM.ui_template, _PLOT_ITEM.WidgetGroup
    _PLOT_ITEM.ui_template = SimpleNamespace(Ui_Form=lambda: form)
    _PLOT_ITEM.WidgetGroup = lambda: group
    try:
        yield
    finally:
        _PLOT_ITEM.ui_template, _PLOT_ITEM.WidgetGroup = made_form, made_group
        del form.setupUi, group.autoAdd
