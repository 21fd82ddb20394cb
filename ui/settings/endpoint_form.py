"""One form for an endpoint: where it is, its API style, its key, how it is priced, and Test connection.

It only shows and asks: Test connection and Save are signals; the settings controller does the work
(off the GUI thread) and answers with ``show_probe``. A dialog result is a plain ``EndpointDraft``."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from playground.llm.endpoints import PRESETS, Endpoint, public_url, url_problem

API_CHOICES = (
    ("Detect (Test connection tries both)", None),
    ("Chat Completions (OpenAI-compatible)", "openai"),
    ("Responses (OpenAI)", "openai-responses"),
    ("Anthropic Messages", "anthropic"),
)
# One line under the choice: what each style is and who speaks it.
API_HELP = {
    None: "Test connection tries Chat Completions and Anthropic Messages; the one that answers is kept.",
    "openai": "POST /chat/completions: OpenAI and most compatible servers (Ollama, vLLM, OpenRouter…).",
    "openai-responses": "POST /responses: OpenAI's newer API, with reasoning summaries; vLLM, Ollama too.",
    "anthropic": "POST /v1/messages: Claude models on Anthropic's API.",
}
KEY_NONE, KEY_SAVED, KEY_ENV = "none", "saved", "env"
KEY_CHOICES = (
    ("No key (a local server)", KEY_NONE),
    ("A key saved in the system keyring", KEY_SAVED),
    ("An environment variable", KEY_ENV),
)
FREE, CUSTOM, UNKNOWN = "free", "custom", ""
PRICE_SPECIAL = (
    ("unknown (costs show as unknown)", UNKNOWN),
    ("free (a server that costs nothing)", FREE),
    ("custom prices (set them in the Prices tab)", CUSTOM),
)


@dataclass(frozen=True)
class EndpointDraft:
    """What the form asks to save: the endpoint, whether it is free, and a key typed to save now."""

    endpoint: Endpoint
    free: bool = False
    key: str | None = None
    custom_prices: bool = False


@dataclass(frozen=True)
class ProbeAsk:
    """What Test connection needs: the controller finds the key (typed, saved, or the variable)."""

    token: int
    base_url: str
    api: str | None
    key_name: str | None
    key_env: str | None
    typed_key: str | None


class EndpointForm(QDialog):
    testRequested = Signal(object)  # ProbeAsk
    saveRequested = Signal(object)  # EndpointDraft

    def __init__(self, endpoint: Endpoint | None = None, price_choices: list | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Edit endpoint" if endpoint else "Add endpoint")
        self.taken: set[str] = set()  # the other endpoints' names (set by the page)
        self._token = 0
        self._testing = False
        self.preset = QComboBox()
        self.preset.setAccessibleName("Start from a preset")
        self.preset.addItem("Custom server", None)
        for name, preset in PRESETS.items():
            self.preset.addItem(f"{name} ({preset.base_url})", name)
        self.name = QLineEdit()
        self.name.setAccessibleName("Endpoint name")
        self.name.setPlaceholderText("a short name, e.g. ollama")
        self.base_url = QLineEdit()
        self.base_url.setAccessibleName("Base URL")
        self.base_url.setPlaceholderText("http://localhost:11434/v1")
        self.api = QComboBox()
        self.api.setAccessibleName("API style")
        for text, value in API_CHOICES:
            self.api.addItem(text, value)
        self.api_help = QLabel(API_HELP[None])
        self.api_help.setWordWrap(True)
        self.api_help.setTextFormat(Qt.TextFormat.PlainText)
        self.api_help.setAccessibleName("What the API style means")
        self.api.currentIndexChanged.connect(lambda: self.api_help.setText(API_HELP[self.api.currentData()]))
        self.key_kind = QComboBox()
        self.key_kind.setAccessibleName("Where the key comes from")
        for text, value in KEY_CHOICES:
            self.key_kind.addItem(text, value)
        self.key_env = QLineEdit()
        self.key_env.setAccessibleName("Environment variable name")
        self.key_env.setPlaceholderText("e.g. MY_SERVER_API_KEY")
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setAccessibleName("API key")
        self.key.setPlaceholderText("paste the key to save it in the keyring (optional)")
        self.key_hint = QLabel()
        self.key_hint.setWordWrap(True)
        self.key_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.price = QComboBox()
        self.price.setEditable(True)
        self.price.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.price.setAccessibleName("Price as")
        self.price.setToolTip("Type to search the models genai-prices knows; calls are priced as that model.")
        self._price_model = QStandardItemModel(self)
        self.set_price_choices(price_choices or [])
        self.test = QPushButton("&Test connection")
        self.test.setAccessibleName("Test connection")
        self.cancel_test = QPushButton("Stop test")
        self.cancel_test.setAccessibleName("Stop the connection test")
        self.cancel_test.hide()
        self.test_result = QLabel("Test connection lists the server's models and how long it took to answer.")
        self.test_result.setTextFormat(Qt.TextFormat.PlainText)
        self.test_result.setWordWrap(True)
        self.test_result.setAccessibleName("Test connection result")
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)

        form = QFormLayout()
        form.addRow("Start from", self.preset)
        form.addRow("&Name", self.name)
        form.addRow("&Base URL", self.base_url)
        form.addRow("&API style", self.api)
        form.addRow("", self.api_help)
        form.addRow("&Key", self.key_kind)
        form.addRow("Variable", self.key_env)
        form.addRow("Key value", self.key)
        form.addRow("", self.key_hint)
        form.addRow("&Price as", self.price)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test)
        test_row.addWidget(self.cancel_test)
        test_row.addStretch(1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(test_row)
        layout.addWidget(self.test_result)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(640, 0)

        self.preset.currentIndexChanged.connect(self._preset)
        self.key_kind.currentIndexChanged.connect(self._key_kind_changed)
        self.test.clicked.connect(self._test)
        self.cancel_test.clicked.connect(self.cancel_probe)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        if endpoint is not None:
            self.fill(endpoint)
            self.name.setReadOnly(True)  # the name is the endpoint's identity (history rows, its key)
            self.preset.setEnabled(False)
        else:
            self._key_kind_changed()

    # filling

    def set_price_choices(self, choices: list) -> None:
        """The searchable "Price as" list (PriceChoice items, read in the background)."""
        current = self.price_value()
        self._price_model.clear()
        for text, value in PRICE_SPECIAL:
            self._price_model.appendRow(_item(text, value))
        for choice in choices:
            self._price_model.appendRow(_item(choice.label, choice.value))
        self.price.setModel(self._price_model)
        completer = QCompleter(self._price_model, self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.price.setCompleter(completer)
        self.set_price_value(current)

    def fill(self, endpoint: Endpoint, free: bool = False) -> None:
        self.name.setText(endpoint.name)
        self.base_url.setText(endpoint.base_url or "")
        self.api.setCurrentIndex(self.api.findData(endpoint.api))
        kind = KEY_NONE if not endpoint.key_name else KEY_ENV if endpoint.key_env else KEY_SAVED
        self.key_kind.setCurrentIndex(self.key_kind.findData(kind))
        self.key_env.setText(endpoint.key_env or "")
        self.set_price_value(FREE if free else endpoint.price_as or UNKNOWN)
        self._key_kind_changed()

    def set_price_value(self, value: str) -> None:
        index = self.price.findData(value)
        if index < 0 and value:  # not in the list (yet): kept as typed
            self._price_model.appendRow(_item(value, value))
            index = self.price.findData(value)
        self.price.setCurrentIndex(max(index, 0))

    def price_value(self) -> str:
        """The chosen price_as value: a listed choice, or typed text that matches one exactly."""
        text = self.price.currentText().strip()
        for row in range(self._price_model.rowCount()):
            item = self._price_model.item(row)
            value = item.data(Qt.ItemDataRole.UserRole)
            if text in (item.text(), value):
                return str(value)
        return text

    # test connection

    def show_probe(self, token: int, result) -> None:
        """The controller's answer (a ProbeResult); a stopped or older test's answer is dropped."""
        if token != self._token or not self._testing:
            return
        self._set_testing(False)
        self.test_result.setText(result.summary())
        if result.ok and self.api.currentData() is None:
            self.api.setCurrentIndex(self.api.findData(result.api))  # detected

    def cancel_probe(self) -> None:
        self._token += 1
        self._set_testing(False)
        self.test_result.setText("Test stopped.")

    def _test(self) -> None:
        url = self.base_url.text().strip().rstrip("/")
        if not url.startswith(("http://", "https://")):
            self.test_result.setText("✗ The base URL must start with http:// or https://.")
            return
        self._token += 1
        self._set_testing(True)
        self.test_result.setText(f"Asking {public_url(url)} for its models…")
        kind = self.key_kind.currentData()
        self.testRequested.emit(
            ProbeAsk(
                self._token,
                url,
                self.api.currentData(),
                None if kind == KEY_NONE else (self.name.text().strip() or "new-endpoint"),
                self.key_env.text().strip() or None if kind == KEY_ENV else None,
                self.key.text().strip() or None if kind != KEY_NONE else None,
            )
        )

    def _set_testing(self, testing: bool) -> None:
        self._testing = testing
        self.test.setEnabled(not testing)
        self.cancel_test.setVisible(testing)

    # saving

    def draft(self) -> EndpointDraft | str:
        """The endpoint to save, or what is missing."""
        name = self.name.text().strip()
        url = self.base_url.text().strip().rstrip("/")
        if not name:
            return "Give the endpoint a name."
        if name in self.taken:
            return f"An endpoint named {name!r} exists already: give this one another name, or edit that one."
        if problem := url_problem(url):
            return problem
        kind = self.key_kind.currentData()
        env = self.key_env.text().strip() or None
        if kind == KEY_ENV and not env:
            return "Name the environment variable that holds the key."
        api = self.api.currentData()
        if api is None:
            from playground.llm.endpoints import guess_api

            api = guess_api(url)
        price = self.price_value()
        endpoint = Endpoint(
            name,
            api,
            url,
            None if kind == KEY_NONE else name,
            price if price not in (FREE, CUSTOM, UNKNOWN) else None,
            key_env=env if kind == KEY_ENV else None,
        )
        key = self.key.text().strip() or None
        return EndpointDraft(endpoint, price == FREE, key if kind == KEY_SAVED else None, price == CUSTOM)

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def _save(self) -> None:
        draft = self.draft()
        if isinstance(draft, str):
            self.show_message(draft)
            return
        self.show_message("Saving…")
        self.saveRequested.emit(draft)

    # helpers

    def _preset(self) -> None:
        name = self.preset.currentData()
        if name is not None:
            preset = PRESETS[name]
            self.fill(preset, free=preset.key_name is None)

    def _key_kind_changed(self) -> None:
        kind = self.key_kind.currentData()
        self.key_env.setEnabled(kind == KEY_ENV)
        self.key.setEnabled(kind == KEY_SAVED)
        if kind == KEY_ENV:
            hint = "The key is read from this variable when none is saved; View code names it too."
        elif kind == KEY_SAVED:
            hint = "Saved in the system keyring under the endpoint's name (Settings ▸ Keys shows it)."
        else:
            hint = "Nothing is sent: for local servers such as Ollama or LM Studio."
        self.key_hint.setText(hint)


def _item(text: str, value: str) -> QStandardItem:
    item = QStandardItem(text)
    item.setData(value, Qt.ItemDataRole.UserRole)
    return item
