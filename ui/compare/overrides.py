"""A column's parameter overrides as small widgets (a spin box per number, a list per choice), under a
line showing the shared parameters they override."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.llm.params import ParamSpec
from ui.common.elided_label import ElidedLabel

ADD = "+ override…"
EDITABLE = ("float", "int", "choice", "bool")


def _editor(spec: ParamSpec | None, value: Any) -> QWidget:
    """The widget for one value; a text field when the parameter or the value is not one we know."""
    try:
        if spec is not None and spec.kind == "float":
            box = QDoubleSpinBox()
            box.setRange(spec.minimum or 0.0, spec.maximum if spec.maximum is not None else 1e9)
            box.setSingleStep(spec.step)
            box.setDecimals(3)
            box.setValue(float(value))
            return box
        if spec is not None and spec.kind == "int":
            spin = QSpinBox()
            spin.setRange(int(spec.minimum or 0), int(spec.maximum if spec.maximum is not None else 10**9))
            spin.setValue(int(value))
            return spin
    except (TypeError, ValueError):
        pass
    if spec is not None and spec.kind == "choice" and str(value) in spec.choices:
        combo = QComboBox()
        combo.addItems(list(spec.choices))
        combo.setCurrentText(str(value))
        return combo
    if spec is not None and spec.kind == "bool":
        check = QCheckBox()
        check.setChecked(str(value).lower() in ("1", "true", "yes", "on"))
        return check
    return QLineEdit(str(value))


def _value(editor: QWidget) -> Any:
    if isinstance(editor, QDoubleSpinBox | QSpinBox):
        return editor.value()
    if isinstance(editor, QComboBox):
        return editor.currentText()
    if isinstance(editor, QCheckBox):
        return editor.isChecked()
    assert isinstance(editor, QLineEdit)
    return editor.text()


def _signal(editor: QWidget):  # the signal that says the value changed
    if isinstance(editor, QDoubleSpinBox | QSpinBox):
        return editor.valueChanged
    if isinstance(editor, QComboBox):
        return editor.currentTextChanged
    if isinstance(editor, QCheckBox):
        return editor.toggled
    assert isinstance(editor, QLineEdit)
    return editor.editingFinished


class OverridesEditor(QWidget):
    changed = Signal()

    def __init__(self, params: dict[str, Any], specs: Sequence[ParamSpec], parent=None):
        super().__init__(parent)
        self._specs = {s.name: s for s in specs}
        self._editors: dict[str, tuple[QWidget, QWidget]] = {}  # name → (its row, its editor)
        self.base = ElidedLabel()  # ends in "…" when the column is narrow; the tooltip has them all
        self.base.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # follows light and dark
        self.base.setAccessibleName("Shared parameters")
        self.add = QComboBox()
        self.add.setAccessibleName("Add a parameter override")
        self.add.setToolTip("Override one of the shared parameters for this column only")
        self.add.activated.connect(self._picked)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.base, 1)
        head.addWidget(self.add)
        self._rows = QVBoxLayout(self)
        self._rows.setContentsMargins(0, 0, 0, 0)
        self._rows.setSpacing(2)
        self._rows.addLayout(head)
        for name, value in sorted(params.items()):
            self._add_row(name, value)
        self._refresh_add()
        self.set_base({})

    def params(self) -> dict[str, Any]:
        return {name: _value(editor) for name, (_, editor) in self._editors.items()}

    def set_base(self, shared: dict[str, Any]) -> None:
        short = {k: v.get("mode") if isinstance(v, dict) else v for k, v in shared.items()}  # output: mode
        text = ", ".join(f"{k}={v}" for k, v in sorted(short.items())) or "defaults"
        self.base.set_full_text(f"Base: {text}")
        self.base.setToolTip(f"Shared parameters (Playground): {text}")

    def _refresh_add(self) -> None:
        self.add.clear()
        self.add.addItem(ADD)
        for name, spec in self._specs.items():
            if spec.kind in EDITABLE and name not in self._editors:
                self.add.addItem(spec.label, name)

    def _picked(self, index: int) -> None:
        name = self.add.itemData(index)
        if name:
            spec = self._specs[name]
            default = spec.default if spec.default is not None else spec.minimum or (spec.choices or [""])[0]
            self._add_row(name, default)
            self.changed.emit()
        self.add.setCurrentIndex(0)

    def _add_row(self, name: str, value: Any) -> None:
        spec = self._specs.get(name)
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        label = QLabel(spec.label if spec else name)
        label.setToolTip(spec.help if spec else name)
        editor = _editor(spec, value)
        editor.setAccessibleName(f"Override {name}")
        label.setBuddy(editor)
        remove = QToolButton()
        remove.setText("✕")
        remove.setAutoRaise(True)
        remove.setToolTip(f"Use the shared {name} again")
        remove.setAccessibleName(f"Remove the {name} override")
        line.addWidget(label)
        line.addWidget(editor, 1)
        line.addWidget(remove)
        line.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self._rows.addWidget(row)
        self._editors[name] = (row, editor)
        _signal(editor).connect(lambda *_: self.changed.emit())
        remove.clicked.connect(lambda: self._remove(name))
        self._refresh_add()

    def _remove(self, name: str) -> None:
        row, _ = self._editors.pop(name)
        self._rows.removeWidget(row)
        row.deleteLater()
        self._refresh_add()
        self.changed.emit()
