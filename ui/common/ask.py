"""A yes-or-cancel question before an action that costs money or cannot be undone."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def confirmed(parent: QWidget | None, title: str, text: str, warning: bool = False) -> bool:
    """Ask; True only for Yes. Cancel is the default, so Enter never does the costly thing."""
    ask = QMessageBox.warning if warning else QMessageBox.question
    Button = QMessageBox.StandardButton
    return ask(parent, title, text, Button.Yes | Button.Cancel, Button.Cancel) == Button.Yes
