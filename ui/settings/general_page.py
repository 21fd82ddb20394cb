"""Settings ▸ General: the time zone days are counted in, and how long a stream may take.

It only shows and asks: the controller reads and saves in the background (validating a zone name
reads the zone database, and saving it may recount the daily totals)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from playground.history.general_settings import General
from playground.llm.providers.base import StreamLimits

LIMITS = (
    ("connect_s", "Connect timeout", "How long to wait for the server to accept the connection."),
    ("idle_s", "Idle timeout", "How long a stream may send nothing (keep-alive comments do not count)."),
    ("overall_s", "Overall deadline", "How long one call may take in all."),
)


class GeneralPage(QWidget):
    saveZone = Signal(str)  # '' for the system's zone
    saveLimits = Signal(object)  # StreamLimits
    saveImageLimit = Signal(float)  # MB

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.zone = QLineEdit()
        self.zone.setAccessibleName("Time zone")
        self.zone.setToolTip("An IANA name such as Europe/Paris, or empty for the system's zone")
        self.zone_message = QLabel()
        self.zone_message.setTextFormat(Qt.TextFormat.PlainText)
        self.zone_message.setWordWrap(True)
        self.save_zone = save_zone = QPushButton("Save time zone")
        zone_box = QGroupBox("Days and months")
        zone_form = QFormLayout(zone_box)
        zone_form.addRow("Time zone", self.zone)
        zone_form.addRow("", save_zone)
        zone_form.addRow("", self.zone_message)

        self.limits: dict[str, QDoubleSpinBox] = {}
        limits_box = QGroupBox("Streams")
        limits_form = QFormLayout(limits_box)
        for name, label, tip in LIMITS:
            spin = QDoubleSpinBox()
            spin.setRange(0.1, 86_400.0)
            spin.setDecimals(1)
            spin.setSuffix(" s")
            spin.setToolTip(tip)
            spin.setAccessibleName(label)
            self.limits[name] = spin
            limits_form.addRow(label, spin)
        self.limits_message = QLabel()
        self.limits_message.setTextFormat(Qt.TextFormat.PlainText)
        self.limits_message.setWordWrap(True)
        self.save_limits = save_limits = QPushButton("Save stream limits")
        row = QHBoxLayout()
        row.addWidget(save_limits)
        row.addStretch(1)
        limits_form.addRow("", row)
        limits_form.addRow("", self.limits_message)

        images_box = QGroupBox("Images")
        images_form = QFormLayout(images_box)
        self.images_max = QDoubleSpinBox()
        self.images_max.setRange(0.0, 100.0)
        self.images_max.setDecimals(1)
        self.images_max.setSuffix(" MB")
        self.images_max.setAccessibleName("Largest image kept in the history")
        self.images_max.setToolTip(
            "Images attached to prompts are kept in the history so a call can be reopened and re-run;"
            " bigger ones are sent but not kept (0 keeps none)"
        )
        self.images_message = QLabel()
        self.images_message.setWordWrap(True)
        self.save_images = save_images = QPushButton("Save image limit")
        images_form.addRow("Keep images up to", self.images_max)
        images_form.addRow("", save_images)
        images_form.addRow("", self.images_message)
        save_images.clicked.connect(lambda: self.saveImageLimit.emit(self.images_max.value()))

        layout = QVBoxLayout(self)
        layout.addWidget(zone_box)
        layout.addWidget(limits_box)
        layout.addWidget(images_box)
        layout.addStretch(1)
        save_zone.clicked.connect(lambda: self.saveZone.emit(self.zone.text().strip()))
        save_limits.clicked.connect(self._save_limits)
        self.setEnabled(False)  # until the settings are read

    def set_read_only(self, why: str | None) -> None:
        """These settings are kept in the history: while it cannot be written, their saves are off and
        their tooltips say why (the values read from it still show)."""
        for button in (self.save_zone, self.save_limits, self.save_images):
            button.setEnabled(not why)
            button.setToolTip(why or "")

    def set_general(self, general: General) -> None:
        self.setEnabled(True)
        self.zone.setText(general.zone or "")
        self.zone.setPlaceholderText(f"system default ({general.system_zone})")
        for name, spin in self.limits.items():
            spin.setValue(getattr(general.saved, name))
        self.images_max.setValue(general.images_max_mb)
        if general.from_env:
            self.limits_message.setText(
                "Set in the environment, which wins over these: " + ", ".join(general.from_env)
            )

    def show_zone_message(self, text: str) -> None:
        self.zone_message.setText(text)

    def show_limits_message(self, text: str) -> None:
        self.limits_message.setText(text)

    def _save_limits(self) -> None:
        values = {name: spin.value() for name, spin in self.limits.items()}
        self.saveLimits.emit(StreamLimits(**values))
