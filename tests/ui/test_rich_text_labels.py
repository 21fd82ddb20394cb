"""Names and messages we do not control (models, endpoints, keys, errors) show as text, never markup."""

from __future__ import annotations

from PySide6.QtCore import Qt

from playground.keys import KeyStatus

EVIL = "<img src='/etc/passwd'><b>x</b>"


def test_key_names_and_keyring_problems_are_text(qtbot):
    from ui.settings.keys_page import KeysPage

    page = KeysPage()
    qtbot.addWidget(page)
    page.set_keys([KeyStatus(EVIL, None)], f"keyring said {EVIL}")
    assert page.problem.textFormat() == Qt.TextFormat.PlainText
    shown = [page.grid.itemAt(i).widget() for i in range(page.grid.count())]
    titles = [w.text() for w in shown if hasattr(w, "text") and "passwd" in w.text()]
    assert titles and all("<img" not in t for t in titles)  # escaped: &lt;img ... shows as text


def test_a_sweep_of_a_hostile_model_name_shows_it_as_text(qtbot):
    from ui.compare.sweep_dialog import SweepDialog

    dialog = SweepDialog(["temperature"], EVIL, lambda name, value: None)
    qtbot.addWidget(dialog)
    from PySide6.QtWidgets import QLabel

    notes = [label.text() for label in dialog.findChildren(QLabel) if "passwd" in label.text()]
    assert notes and all("<img" not in text and "&lt;img" in text for text in notes)


def test_the_run_status_names_the_model_as_text(qtbot):
    from ui.playground.output_pane import OutputPane

    pane = OutputPane()
    qtbot.addWidget(pane)
    pane.set_status(f"local / {EVIL}: waiting for the first token…")
    assert pane.status.textFormat() == Qt.TextFormat.PlainText
