"""What the window remembers between runs (QSettings in the data folder, never a key)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings

from playground.llm.request import Message

if TYPE_CHECKING:
    from ui.main_window import MainWindow


@dataclass
class SavedState:
    endpoint: str | None = None
    model: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    system: str = ""
    messages: list[Message] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    geometry: QByteArray | None = None
    splitters: dict[str, QByteArray] = field(default_factory=dict)


class WindowState:
    def __init__(self, path: Path):
        self._settings = QSettings(str(path), QSettings.Format.IniFormat)

    def load(self) -> SavedState:
        s = self._settings
        state = SavedState(endpoint=s.value("model/endpoint"), model=s.value("model/name"))
        state.params = _json(s.value("params"), {})
        state.system = str(s.value("prompt/system", "") or "")
        state.messages = [
            Message.from_dict(m)
            for m in _json(s.value("prompt/messages"), [])
            if isinstance(m, dict) and m.get("role") in ("user", "assistant")
        ]
        state.variables = _json(s.value("prompt/variables"), {})
        state.geometry = s.value("window/geometry")
        for key in s.allKeys():
            if key.startswith("splitter/"):
                state.splitters[key.removeprefix("splitter/")] = s.value(key)
        return state

    def save(self, state: SavedState) -> None:
        s = self._settings
        s.setValue("model/endpoint", state.endpoint or "")
        s.setValue("model/name", state.model or "")
        s.setValue("params", json.dumps(state.params))
        s.setValue("prompt/system", state.system)
        s.setValue("prompt/messages", json.dumps([m.to_dict() for m in state.messages]))
        s.setValue("prompt/variables", json.dumps(state.variables))
        if state.geometry is not None:
            s.setValue("window/geometry", state.geometry)
        for name, value in state.splitters.items():
            s.setValue(f"splitter/{name}", value)
        s.sync()


def restore(window: MainWindow, saved: SavedState) -> None:
    """Put the window back as it was: geometry, splitters and the prompt (the model waits for the core)."""
    if saved.geometry is not None:
        window.restoreGeometry(saved.geometry)
    if "main" in saved.splitters:
        window.splitter.restoreState(saved.splitters["main"])
    if "prompt" in saved.splitters:
        window.editor.splitter.restoreState(saved.splitters["prompt"])
    if saved.system or saved.messages:
        window.editor.set_state(saved.system, saved.messages, saved.variables)


def capture(window: MainWindow) -> SavedState:
    """What ``restore`` puts back, read from the window as it is now."""
    current = window.picker.current() or (None, None)
    system, messages, _ = window.editor.state()
    return SavedState(
        endpoint=current[0],
        model=current[1],
        params=window.params.values(),
        system=system,
        messages=messages,
        variables=window.editor.all_variable_values(),
        geometry=window.saveGeometry(),
        splitters={"main": window.splitter.saveState(), "prompt": window.editor.splitter.saveState()},
    )


def _json(text: Any, default: Any) -> Any:
    try:
        value = json.loads(text) if text else default
    except (TypeError, ValueError):
        return default
    return value if isinstance(value, type(default)) else default
