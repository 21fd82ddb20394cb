"""One parameter: a slider and a number field (or a choice), its explanation on hover."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from playground.llm.params import ParamSpec

SLIDER_STEPS = 1000
UNSET_TEXT = "off"


class ParamRow(QWidget):
    """Holds a value; ``value()`` is None while the parameter is left at its default (not sent)."""

    changed = Signal()
    hovered = Signal(str)

    def __init__(self, spec: ParamSpec, always_sent: bool = False, parent=None):
        super().__init__(parent)
        self.spec = spec
        self._always = always_sent
        self._reason = ""
        self._updating = False
        self.label = QLabel(spec.label)
        self.mark = QLabel("")
        self.mark.setFixedWidth(10)
        self.mark.setToolTip("Changed from the default: this value is sent")
        self.slider: QSlider | None = None
        self.field: QDoubleSpinBox | QSpinBox | QComboBox | QCheckBox | QLineEdit
        self._build()
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.mark)
        head.addWidget(self.label, 1)
        head.addWidget(self.field)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(1)
        layout.addLayout(head)
        if self.slider is not None:
            layout.addWidget(self.slider)
        tip = f"<b>{spec.label}</b> ({spec.name})<br>{spec.help}"
        for widget in (self, self.label, self.field, *([self.slider] if self.slider else [])):
            widget.setToolTip(tip)
            widget.installEventFilter(self)
        self.field.setAccessibleName(spec.label)
        self.field.setAccessibleDescription(spec.help)
        self.label.setBuddy(self.field)
        self.reset()

    # building

    def _build(self) -> None:
        spec = self.spec
        if spec.kind == "float":
            box = QDoubleSpinBox()
            box.setDecimals(2)
            if spec.minimum is None or spec.maximum is None:
                raise ValueError(f"{spec.name}: a float parameter needs a minimum and a maximum")
            box.setRange(spec.minimum, spec.maximum)
            box.setSingleStep(spec.step)
            box.valueChanged.connect(self._from_field)
            self.field = box
            self._slider(SLIDER_STEPS)
        elif spec.kind == "int":
            spin = QSpinBox()
            low = int(spec.minimum or 0)
            if spec.default is None:  # "off" sits one below the minimum
                spin.setSpecialValueText(UNSET_TEXT)
                low -= 1
            spin.setRange(low, int(min(spec.maximum or 2**31 - 1, 2**31 - 1)))
            spin.setAccelerated(True)
            spin.valueChanged.connect(self._from_field)
            self.field = spin
            if spec.maximum is not None and spec.maximum <= 200_000:
                self._slider(spin.maximum() - spin.minimum())
        elif spec.kind == "choice":
            combo = QComboBox()
            combo.addItem(f"default ({spec.default})" if spec.default else "default", None)
            for choice in spec.choices:
                combo.addItem(choice, choice)
            combo.currentIndexChanged.connect(self._edited)
            self.field = combo
        elif spec.kind == "bool":
            check = QCheckBox()
            check.toggled.connect(self._edited)
            self.field = check
        else:
            line = QLineEdit()
            line.setPlaceholderText("e.g. END, ###")
            line.setToolTip("Comma-separated")
            line.textChanged.connect(self._edited)
            line.setMinimumWidth(120)
            self.field = line

    def _slider(self, steps: int) -> None:
        slider = QSlider(Qt.Orientation.Horizontal)
        slider.setRange(0, steps)
        slider.valueChanged.connect(self._from_slider)
        slider.setAccessibleName(f"{self.spec.label} slider")
        self.slider = slider

    # values

    def value(self) -> Any:
        if self._reason:
            return None
        raw = self._raw()
        if self._always:
            return raw
        return None if raw is None or raw == self.spec.default else raw

    def _raw(self) -> Any:
        spec, field = self.spec, self.field  # the field's type follows spec.kind (see _build)
        if isinstance(field, QDoubleSpinBox):
            return round(field.value(), 4)
        if isinstance(field, QSpinBox):
            v = field.value()
            return None if spec.default is None and v == field.minimum() else v
        if isinstance(field, QComboBox):
            return field.currentData()
        if isinstance(field, QCheckBox):
            return field.isChecked() or None
        stops = [s.strip() for s in field.text().split(",") if s.strip()]
        return stops or None

    def set_value(self, value: Any) -> None:
        spec, field = self.spec, self.field
        self._updating = True
        try:
            if isinstance(field, QDoubleSpinBox):
                field.setValue(float(spec.default if value is None else value))
            elif isinstance(field, QSpinBox):
                field.setValue(
                    field.minimum()
                    if value is None and spec.default is None
                    else int(spec.default if value is None else value)
                )
            elif isinstance(field, QComboBox):
                index = field.findData(value)
                field.setCurrentIndex(max(index, 0))
            elif isinstance(field, QCheckBox):
                field.setChecked(bool(value))
            else:
                field.setText(", ".join(value) if isinstance(value, list) else (value or ""))
            self._sync_slider()
        finally:
            self._updating = False
        self._edited()

    def reset(self) -> None:
        self.set_value(None)

    def set_unavailable(self, reason: str) -> None:
        """Grey the row out with the reason; its value is kept but not sent."""
        self._reason = reason
        self.field.setEnabled(not reason)
        if self.slider:
            self.slider.setEnabled(not reason)
        self.label.setEnabled(not reason)
        tip = f"<b>{self.spec.label}</b> ({self.spec.name})<br>{self.spec.help}"
        if reason:
            tip += f"<br><i>Not available for this model: {reason}</i>"
        for widget in (self, self.label, self.field):
            widget.setToolTip(tip)
        self._edited()

    @property
    def reason(self) -> str:
        return self._reason

    # syncing

    def _from_field(self) -> None:
        if self._updating:
            return
        self._updating = True
        self._sync_slider()
        self._updating = False
        self._edited()

    def _from_slider(self, position: int) -> None:
        if self._updating or self.slider is None:
            return
        field = self.field
        if not isinstance(field, QDoubleSpinBox | QSpinBox):
            return  # only number fields have a slider
        share = position / max(self.slider.maximum(), 1)
        self._updating = True
        target = field.minimum() + share * (field.maximum() - field.minimum())
        if isinstance(field, QSpinBox):
            field.setValue(int(target))  # truncated, as Qt's int setter did with the float before
        else:
            field.setValue(target)
        self._updating = False
        self._edited()

    def _sync_slider(self) -> None:
        field = self.field
        if self.slider is None or not isinstance(field, QDoubleSpinBox | QSpinBox):
            return
        span = field.maximum() - field.minimum()
        share = (field.value() - field.minimum()) / span if span else 0
        self.slider.blockSignals(True)
        self.slider.setValue(round(share * self.slider.maximum()))
        self.slider.blockSignals(False)

    def _edited(self) -> None:
        if self._updating:
            return
        sent = self.value() is not None and not self._always
        self.mark.setText("●" if sent else "")
        self.changed.emit()

    def eventFilter(self, watched, event) -> bool:
        if event.type() in (QEvent.Type.Enter, QEvent.Type.FocusIn):
            text = self.spec.help if not self._reason else f"{self.spec.help} — not available: {self._reason}"
            self.hovered.emit(f"{self.spec.label}: {text}")
        return super().eventFilter(watched, event)
