"""The window shows before the heavy libraries load (start-up speed): guard the import chain."""

import ast
import subprocess
import sys

HEAVY = ("openai", "anthropic", "sqlite_utils", "keyring", "tiktoken", "genai_prices", "pyqtgraph")


def loaded_of(modules: tuple[str, ...], build: str) -> list[str]:
    """Which of ``modules`` a fresh process has loaded once it has run ``build`` (it makes the window)."""
    code = (
        "import os, sys\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from ui.main_window import MainWindow\n"
        f"{build}\n"
        f"print(sorted(m for m in {modules!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    return ast.literal_eval(out.stdout.strip().splitlines()[-1])


def test_building_the_window_loads_no_heavy_library():
    build = "from ui.playground.session import Session\nw = MainWindow(Session(local_probe=list))"
    assert loaded_of(HEAVY, build) == []


def test_the_frame_painted_first_loads_none_of_the_parts():
    """ui/app.py paints MainWindow() before it builds the parts: their modules load after the paint."""
    parts = (
        "ui.compare.toolbar",
        "ui.compare.view",
        "ui.history.view",
        "playground.compare.columns",
        # the model picker and what it brings (the catalog, prices): the frame names only its shortcut
        "ui.playground.model_picker",
        "playground.llm.catalog",
        "playground.pricing.prices",
    )
    assert loaded_of(parts, "w = MainWindow()") == []
