"""Settings: keys, endpoints, prices, general. It only shows data and asks; the controller does the work."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTabWidget, QVBoxLayout

from playground.keys import KeyStatus
from playground.llm.endpoints import Endpoint
from playground.pricing.prices import PriceOverride
from ui.settings.endpoints_page import EndpointsPage
from ui.settings.general_page import GeneralPage
from ui.settings.keys_page import KeysPage
from ui.settings.prices_page import PricesPage

TABS = {"keys": 0, "endpoints": 1, "prices": 2, "general": 3}


@dataclass(frozen=True)
class SettingsSnapshot:
    keys: list[KeyStatus]
    keyring_problem: str | None
    endpoints: list[Endpoint]
    overrides: list[PriceOverride]
    key_sources: dict[str, str] = field(default_factory=dict)  # key name → where it comes from


class SettingsDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.resize(820, 560)
        self.keys = KeysPage()
        self.endpoints = EndpointsPage()
        self.prices = PricesPage()
        self.general = GeneralPage()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.keys, "Keys")
        self.tabs.addTab(self.endpoints, "Endpoints")
        self.tabs.addTab(self.prices, "Prices")
        self.tabs.addTab(self.general, "General")
        self.not_saved = QLabel()  # a history that cannot be written: what cannot be saved, and why
        self.not_saved.setTextFormat(Qt.TextFormat.PlainText)  # names a folder
        self.not_saved.setWordWrap(True)
        self.not_saved.setAccessibleName("Settings that cannot be saved")
        self.not_saved.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.not_saved)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def set_read_only(self, why: str | None) -> None:
        """The history cannot be written (``why``, one line): endpoints, prices and general settings
        are kept in it, so their saves are off and say why; keys live in the system keyring."""
        if why:
            self.not_saved.setText(
                f"{why} Endpoints, prices and general settings are kept there, so they cannot be "
                "changed now; keys are kept in the system keyring and can still be saved."
            )
        self.not_saved.setVisible(bool(why))
        for page in (self.endpoints, self.prices, self.general):
            page.set_read_only(why)

    def show_tab(self, name: str) -> None:
        self.tabs.setCurrentIndex(TABS.get(name, 0))

    def refresh(self, snapshot: SettingsSnapshot) -> None:
        self.keys.set_keys(snapshot.keys, snapshot.keyring_problem)
        free = {o.endpoint for o in snapshot.overrides if o.model == "*" and o.free}
        self.endpoints.set_endpoints(snapshot.endpoints, snapshot.key_sources, free)
        self.prices.set_data([e.name for e in snapshot.endpoints], snapshot.overrides)
