"""The column headers (title, model, overrides) of a comparison share one height, so every answer box
starts at the same line: a wrapped title or an override row in one column pushed its answer down."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

_WATCHED = {QEvent.Type.Resize, QEvent.Type.LayoutRequest, QEvent.Type.Show, QEvent.Type.Hide}


def natural_height(header: QWidget) -> int:
    """What the header needs at its current width (a wrapped title needs more when narrow)."""
    layout = header.layout()
    if layout is None:
        return header.sizeHint().height()
    if layout.hasHeightForWidth():
        return layout.totalHeightForWidth(header.width())
    return layout.totalSizeHint().height()


class HeaderAligner(QObject):
    """Gives every watched header the height of the tallest; re-checks when one changes or resizes."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._headers: list[QWidget] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)  # many events in one turn: one pass
        self._timer.timeout.connect(self.align)

    def watch(self, header: QWidget) -> None:
        self._headers.append(header)
        header.installEventFilter(self)
        self._timer.start(0)

    def unwatch(self, header: QWidget) -> None:
        if header in self._headers:
            self._headers.remove(header)
            header.removeEventFilter(self)
            self._timer.start(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _WATCHED:
            self._timer.start(0)
        return False

    def align(self) -> None:
        shown = [h for h in self._headers if h.isVisible()]
        tallest = max((natural_height(h) for h in shown), default=0)
        for header in shown:
            if header.minimumHeight() != tallest:
                header.setMinimumHeight(tallest)
