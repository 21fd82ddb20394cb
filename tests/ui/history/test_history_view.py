import pytest

from tests.servers.base import Script
from tests.ui.conftest import off_gui, type_prompt

pytestmark = pytest.mark.gui


def run(qtbot, window, text):
    with qtbot.waitSignal(window.session.runFinished, timeout=10_000):
        window.run()


def test_runs_appear_filtered_searched_and_open_in_full(qtbot, window, local_openai):
    window.params.row("temperature").set_value(0.4)
    for prompt, answer in (("about walruses", "Walruses are large."), ("about otters", "Otters hold hands.")):
        window.editor.messages.first_editor().setPlainText(prompt)
        local_openai.push(Script(text=answer, prompt_tokens=9))
        run(qtbot, window, prompt)
    view = window.history
    window.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.model_.rowCount() == 2, timeout=3000)  # read in the background
    view.search.setText("walruses")
    qtbot.waitUntil(lambda: view.model_.rowCount() == 1, timeout=3000)
    view.table.selectRow(0)
    html = view.detail.toHtml()
    assert "Walruses are large." in html and "(reported)" in html and "temperature" in html
    view.search.setText("")
    assert view.status.findText("error") == -1  # only statuses that occur are offered
    from datetime import date

    view.dates.since.setDate(date(2099, 1, 1))  # a picked day makes the range custom
    view.dates.until.setDate(date(2099, 1, 2))
    qtbot.waitUntil(lambda: view.model_.rowCount() == 0, timeout=3000)
    assert "No calls match" in view.empty.text()


def test_reopen_puts_the_call_back_in_the_editor(qtbot, window, local_openai):
    type_prompt(qtbot, window, "Bring me back")
    window.params.row("temperature").set_value(0.9)
    run(qtbot, window, "x")
    window.editor.messages.first_editor().setPlainText("something else")
    window.params.reset()
    view = window.history
    qtbot.waitUntil(lambda: view.model_.rowCount() == 1, timeout=3000)
    view.table.selectRow(0)
    view.reopen_button.click()
    assert window.editor.messages.messages()[0].content == "Bring me back"
    assert window.params.values()["temperature"] == 0.9 and window.tabs.currentIndex() == 0


def test_delete_asks_first_and_tags_filter(qtbot, window, local_openai, core, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    type_prompt(qtbot, window, "one")
    run(qtbot, window, "x")
    run(qtbot, window, "y")
    view = window.history
    qtbot.waitUntil(lambda: view.model_.rowCount() == 2, timeout=3000)
    view.table.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("keep", True))
    view.tag_selected()
    qtbot.waitUntil(lambda: view.tag.findText("keep") > 0, timeout=3000)  # saved, menus re-read
    view.tag.setCurrentText("keep")
    qtbot.waitUntil(lambda: view.model_.rowCount() == 1, timeout=3000)
    view.tag.setCurrentIndex(0)
    qtbot.waitUntil(lambda: view.model_.rowCount() == 2, timeout=3000)
    view.table.selectRow(1)
    monkeypatch.setattr(view, "confirm_delete", lambda count: False)
    view.delete_selected()
    assert off_gui(core.history.count) == 2
    monkeypatch.setattr(view, "confirm_delete", lambda count: True)
    view.delete_selected()
    qtbot.waitUntil(lambda: view.model_.rowCount() == 1, timeout=3000)
    assert off_gui(core.history.count) == 1


def test_what_if_and_export_use_what_the_filters_show(
    qtbot, window, local_openai, core, tmp_path, monkeypatch
):
    import json

    from PySide6.QtWidgets import QFileDialog

    type_prompt(qtbot, window, "price me")
    run(qtbot, window, "x")
    run(qtbot, window, "y")
    view = window.history
    view.ask_what_if()
    dialog = view.whatif_dialog
    qtbot.waitUntil(lambda: dialog.targets.count() > 1, timeout=10_000)  # the price list, read off the GUI
    dialog.check(("openai", "gpt-4o"))
    dialog.run()
    qtbot.waitUntil(lambda: "would" in view.whatif_result.text(), timeout=10_000)
    assert "2 calls cost" in view.whatif_result.text() and "on openai / gpt-4o" in view.whatif_result.text()
    dialog.close()
    path = tmp_path / "h.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), "JSON (*.json)"))
    view.export()
    qtbot.waitUntil(lambda: "exported" in view.whatif_result.text(), timeout=5000)
    assert len(json.loads(path.read_text())["calls"]) == 2


def test_a_comparison_can_be_picked_as_a_filter(qtbot, window, local_openai):
    from playground.compare.columns import Column

    type_prompt(qtbot, window, "compare me")
    run(qtbot, window, "single call")
    window.tabs.setCurrentWidget(window.compare)
    window.compare.add_column(Column("local", "gpt-4o"))
    window.compare.add_column(Column("local", "gpt-4o-mini"))
    with qtbot.waitSignal(window.compare_session.finished, timeout=10_000):
        window.run()
    view = window.history
    view.reload_choices()
    view.refresh()
    qtbot.waitUntil(lambda: view.model_.rowCount() == 3 and view.group.count() == 2, timeout=3000)
    view.group.setCurrentIndex(1)
    qtbot.waitUntil(lambda: view.model_.rowCount() == 2, timeout=3000)


def test_import_from_the_file_menu(qtbot, window, core, tmp_path):
    from tests.playground.history.test_transfer import make_llm_db

    path = tmp_path / "logs.db"
    make_llm_db(path)
    window.import_file(path)
    qtbot.waitUntil(lambda: "3 calls imported" in window.statusBar().currentMessage(), timeout=5000)
    qtbot.waitUntil(lambda: window.history.model_.rowCount() == 3, timeout=3000)
    assert off_gui(core.history.count) == 3
