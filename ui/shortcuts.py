"""Shortcuts the window's actions name before any of its parts is built: constants only (no Qt, no
widget), so the first paint imports none of the widgets that own them."""

from __future__ import annotations

MODEL_PICKER = "Ctrl+Shift+M"  # Ctrl+K is an editor key (delete to end of line)
SEND_TOOL_RESULTS = "Ctrl+Shift+Return"  # Playground: the results typed; Compare: one mocked result per tool
