"""Carries out what the settings dialog asks, with the core, and refreshes it: every read and write
(database, keyring) runs in the background; the dialog is updated on the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from playground.llm.errors import PlaygroundError
from ui.playground.session import Session
from ui.settings.dialog import SettingsDialog, SettingsSnapshot


class SettingsController(QObject):
    def __init__(self, session: Session, dialog: SettingsDialog, parent=None):
        super().__init__(parent)
        self.session = session
        self.dialog = dialog
        d = dialog
        d.keys.saveKey.connect(self.save_key)
        d.keys.deleteKey.connect(self.delete_key)
        d.keys.testKey.connect(self.test_key)
        d.endpoints.saveEndpoint.connect(self.save_endpoint)
        d.endpoints.removeEndpoint.connect(self.remove_endpoint)
        d.endpoints.testConnection.connect(self.test_connection)
        d.prices.savePrice.connect(self.save_price)
        d.prices.removePrice.connect(self.remove_price)
        core = self.core
        d.set_read_only(core.not_recorded)  # what the history keeps cannot be saved; keys still can
        self.refresh()
        from playground.pricing import price_data  # light; it reads the price data only in the background

        session.background.submit(lambda: price_data.current(core.home).describe(), d.prices.show_price_data)
        session.background.submit(_price_choices, d.endpoints.set_price_choices)
        d.general.saveZone.connect(self.save_zone)
        d.general.saveLimits.connect(self.save_limits)
        d.general.saveImageLimit.connect(self.save_image_limit)
        session.background.submit(core.general.read, d.general.set_general)

    @property
    def core(self):
        return self.session.core

    def snapshot(self) -> SettingsSnapshot:
        """What the dialog shows (reads the database and the keyring: call it off the GUI thread)."""
        from playground.keys import key_names

        core = self.core
        endpoints = core.config.endpoints()
        names = key_names((e.key_name, e.key_env) for e in endpoints)
        statuses = [core.keys.status(name, env) for name, env in names.items()]
        return SettingsSnapshot(
            statuses,
            core.keys.problem,
            endpoints,
            core.config.price_overrides(),
            {s.name: s.describe() for s in statuses},
        )

    def refresh(self) -> None:
        if self.core is not None:
            self.session.background.submit(self.snapshot, self.dialog.refresh)

    def _change(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None] | None = None,
        failed: Callable[[BaseException], None] | None = None,
        *,
        models: bool = True,
    ) -> None:
        """Make a change in the background, then refresh the dialog (and the model lists)."""

        def finished(value: Any) -> None:
            if done is not None:
                done(value)
            self.refresh()
            if models:
                self.session.refresh_models()

        self.session.background.submit(work, finished, failed)

    def save_key(self, name: str, key: str) -> None:
        keys = self.core.keys

        def said(where: str) -> None:
            self.dialog.keys.set_result(
                name,
                "Saved in the system keyring."
                if where == "keyring"
                else keys.problem or "Not saved: kept for this session only.",
            )

        self._change(lambda: keys.set(name, key), said)

    def delete_key(self, name: str) -> None:
        keys = self.core.keys
        self._change(
            lambda: keys.delete(name), lambda _: self.dialog.keys.set_result(name, "Deleted."), models=False
        )

    def test_key(self, name: str, typed: str) -> None:
        core = self.core
        self.dialog.keys.set_result(name, "Testing…")

        def work() -> str:
            from playground.llm.params import Prepared
            from playground.llm.runner import Setup

            endpoint = next((e for e in core.config.endpoints() if e.key_name == name), None)
            key = typed or core.keys.get(name, endpoint.key_env if endpoint else None)
            if endpoint is None or not key:
                return "No key to test."
            models = core.runner.provider(Setup(endpoint, Prepared({}), key)).list_models()
            return f"✓ The key works ({len(models)} models on {endpoint.name})."

        def failed(exc: BaseException) -> None:
            error = getattr(exc, "error", None)
            self.dialog.keys.set_result(name, f"✗ {error.message if error else exc}")

        self.session.background.submit(work, lambda text: self.dialog.keys.set_result(name, text), failed)

    def save_endpoint(self, draft) -> None:
        """Save the form's endpoint (and its key, typed in the form) in the background, then close it."""
        config, keys, page = self.core.config, self.core.keys, self.dialog.endpoints
        endpoint = draft.endpoint

        def work() -> str:
            config.add_endpoint(endpoint, free=draft.free)
            if draft.key and endpoint.key_name:
                return keys.set(endpoint.key_name, draft.key)
            return ""

        def done(where: str) -> None:
            page.saved(endpoint.name)
            if where == "session":
                page.show_message(f"Saved {endpoint.name}; its key is kept for this session only.")
            if draft.custom_prices:
                self.dialog.show_tab("prices")

        def failed(exc: BaseException) -> None:
            text = str(exc) if isinstance(exc, PlaygroundError) else f"Not saved: {exc}"
            if page.form is not None:
                page.form.show_message(text)
            else:
                page.show_message(text)

        self._change(work, done, failed)

    def test_connection(self, ask) -> None:
        """Test connection off the GUI thread (the SDKs load and the network waits there); the form
        drops the answer of a test it stopped."""
        keys, page = self.core.keys, self.dialog.endpoints

        def work():
            from playground.llm.probe import probe

            key = ask.typed_key or (keys.get(ask.key_name, ask.key_env) if ask.key_name else None)
            return probe(ask.base_url, ask.api, key)

        def done(result) -> None:
            if page.form is not None:
                page.form.show_probe(ask.token, result)

        def failed(exc: BaseException) -> None:
            from playground.llm.probe import ProbeResult

            done(ProbeResult(ask.base_url, None, error=f"The test failed: {_reason(exc)}"))

        self.session.background.submit(work, done, failed)

    def remove_endpoint(self, name: str) -> None:
        config = self.core.config
        self._change(lambda: config.remove_endpoint(name))

    def save_price(self, override) -> None:
        config = self.core.config
        self._change(lambda: config.set_price(override))

    def remove_price(self, endpoint: str, model: str) -> None:
        config = self.core.config
        self._change(lambda: config.remove_price(endpoint, model))

    def save_zone(self, name: str) -> None:
        """Validated and saved in the background: it may recount the daily totals in the new zone."""
        general, page = self.core.general, self.dialog.general
        page.show_zone_message("Saving…")

        def work() -> str:
            general.set_zone(name)
            return general.read().zone or ""

        def done(zone: str) -> None:
            page.show_zone_message(f"Days are counted in {zone or 'the system zone'}.")
            self.session.refresh_budget()  # "today" may be another day now

        self.session.background.submit(work, done, lambda exc: page.show_zone_message(_reason(exc)))

    def save_limits(self, limits) -> None:
        general, page = self.core.general, self.dialog.general
        self.session.background.submit(
            lambda: general.set_limits(limits),
            lambda _: page.show_limits_message("Saved: the next call uses these limits."),
            lambda exc: page.show_limits_message(_reason(exc)),
        )

    def save_image_limit(self, mb: float) -> None:
        general, page = self.core.general, self.dialog.general
        self.session.background.submit(
            lambda: general.set_image_limit(mb),
            lambda _: page.images_message.setText(f"Saved: images up to {mb:g} MB are kept in the history."),
            lambda exc: page.images_message.setText(_reason(exc)),
        )


def _reason(exc: BaseException) -> str:
    error = getattr(exc, "error", None)
    return error.message if error is not None else str(exc)


def _price_choices() -> list:
    from playground.pricing.choices import price_choices

    return price_choices()
