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
    qtbot.waitUntil(lambda: view.model_.rowCount() == 2, timeout=3000)
    # the new results clear the selection, and the call shown before with it
    assert "Walruses are large." not in view.detail.toPlainText()
    assert "Select a call" in view.detail.toPlainText()
    view.table.selectRow(1)
    assert "Walruses are large." in view.detail.toPlainText()
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
    # 'local' is priced as OpenAI: each OpenAI model is listed once, under openai, but the model in use
    # (local / gpt-4o-mini, checked at first) stands for its price
    texts = [dialog.targets.item(i).text().partition("  (")[0] for i in range(dialog.targets.count())]
    assert [t for t in texts if t.startswith("local / ")] == ["local / gpt-4o-mini"]
    assert "openai / gpt-4o-mini" not in texts and texts.count("openai / gpt-4o") == 1
    assert dialog.chosen() == [("local", "gpt-4o-mini")]
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


def test_a_long_import_shows_progress_and_cancel_keeps_what_it_wrote(
    qtbot, window, core, local_openai, tmp_path
):
    from PySide6.QtCore import Qt

    from playground.history.import_writer import BATCH
    from tests.playground.history.test_import_batches import N, big_export

    path = tmp_path / "big.json"
    off_gui(lambda: big_export(core, local_openai, path))

    def stored() -> int:
        return off_gui(
            lambda: (
                core.storage.read().execute("select count(*) from calls where uid like 'big-%'").fetchone()[0]
            )
        )

    view, job = window.history, window.history.job
    window.import_file(path)
    assert window.tabs.currentWidget() is view
    assert not job.progress_bar.isHidden() and not job.cancel_button.isHidden()
    assert not view.export_button.isEnabled()  # one History job at a time
    qtbot.waitUntil(lambda: job.progress_bar.value() >= BATCH, timeout=30_000)  # the first batch is in
    assert job.progress_bar.maximum() == N
    qtbot.mouseClick(job.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "cancelled after" in window.statusBar().currentMessage(), timeout=30_000)
    assert job.progress_bar.isHidden() and job.cancel_button.isHidden() and view.export_button.isEnabled()
    kept = stored()
    assert 0 < kept < N and kept % BATCH == 0  # whole batches, stopped between two
    assert f"cancelled after {kept:,} of {N:,} calls" in job.result.text()

    window.import_file(path)  # again: adds exactly the rest
    qtbot.waitUntil(lambda: "0 failed" in window.statusBar().currentMessage(), timeout=90_000)
    assert f"{N - kept:,} calls imported, {kept:,} already in history" in job.result.text()
    assert stored() == N and job.progress_bar.isHidden()


def test_a_bad_import_file_says_why_and_gives_the_buttons_back(qtbot, window, core, tmp_path):
    path = tmp_path / "notes.json"
    path.write_text("not an export")
    window.import_file(path)
    qtbot.waitUntil(
        lambda: "Could not import notes.json" in window.statusBar().currentMessage(), timeout=10_000
    )
    job = window.history.job
    assert "neither a history export nor an llm logs.db" in job.result.text()
    assert job.progress_bar.isHidden() and window.history.export_button.isEnabled()
    assert off_gui(core.history.count) == 0


def test_quitting_during_an_import_stops_it_after_a_batch(qtbot, window, core, local_openai, tmp_path):
    import time

    from playground.history.import_writer import BATCH
    from tests.playground.history.test_import_batches import N, big_export

    path = tmp_path / "big.json"
    off_gui(lambda: big_export(core, local_openai, path))
    window.import_file(path)
    qtbot.waitUntil(lambda: window.history.job.progress_bar.value() >= BATCH, timeout=30_000)
    began = time.monotonic()
    assert window.shutdown()  # every thread let go of the core: it may be closed
    assert time.monotonic() - began < 5
    kept = off_gui(
        lambda: core.storage.read().execute("select count(*) from calls where uid like 'big-%'").fetchone()[0]
    )
    assert 0 < kept < N and kept % BATCH == 0


def test_selected_calls_export_as_test_cases(qtbot, window, local_openai, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from playground.eval.suite import read_cases
    from ui.history.view_jobs import CASES_FILTER

    for prompt, answer in (("first question", "one"), ("second question", "two")):
        window.editor.messages.first_editor().setPlainText(prompt)
        local_openai.push(Script(text=answer))
        run(qtbot, window, prompt)
    view = window.history
    window.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.model_.rowCount() == 2, timeout=3000)
    view.table.selectRow(0)  # the newest: only it is saved
    path = tmp_path / "cases"  # no suffix typed: the filter's is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), CASES_FILTER))
    view.export()
    qtbot.waitUntil(lambda: "saved to" in view.whatif_result.text(), timeout=5000)
    assert view.whatif_result.text().startswith(f"1 test case saved to {path}.jsonl")
    (case,) = off_gui(lambda: read_cases(tmp_path / "cases.jsonl"))
    assert (case.vars["input"], case.expected) == ("second question", "two")
