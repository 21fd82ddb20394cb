"""The prompt library in the window: save a prompt, open a version back, run it against the local
OpenAI server, and History says which version the call ran; an edited draft is not linked."""

import pytest

from playground.prompts.store import PromptStore
from tests.ui.conftest import off_gui, type_prompt

pytestmark = pytest.mark.gui


def run_and_wait(qtbot, window):
    with qtbot.waitSignal(window.session.runFinished, timeout=10_000) as blocker:
        window.run_action.trigger()
    return blocker.args[0]


def save_as(qtbot, window, name, note):
    window.statusBar().clearMessage()  # else the last save's "…to the library" ends the wait at once
    window.menu.save_to_library_action.trigger()
    controller = window.menu.library()
    qtbot.waitUntil(
        lambda: controller.save_dialog is not None and controller.save_dialog.isVisible(), timeout=5000
    )
    dialog = controller.save_dialog
    dialog.name.setCurrentText(name)
    dialog.note.setText(note)
    dialog.accept()
    qtbot.waitUntil(lambda: "to the library" in window.statusBar().currentMessage(), timeout=5000)
    controller.save_dialog = None


def history_detail(qtbot, window, core, calls):
    view = window.history
    qtbot.waitUntil(lambda: view.model_.rowCount() == calls, timeout=10_000)
    view.table.selectRow(0)  # the newest
    return view


def test_save_open_run_and_history_names_the_version(qtbot, window, core):
    type_prompt(qtbot, window, "Capital of {{country}}?")
    window.params.set_values({**window.params.values(), "temperature": 0.3})
    save_as(qtbot, window, "capital", "first")
    window.editor.messages.first_editor().setPlainText("Capital city of {{country}}?")
    save_as(qtbot, window, "capital", "more precise")
    versions = off_gui(lambda: PromptStore(core.storage).versions("capital"))
    assert [(v.version, v.note) for v in versions] == [(2, "more precise"), (1, "first")]
    assert versions[1].params["temperature"] == 0.3

    # the library: search, diff the two, open v1
    window.menu.library_action.trigger()
    dialog = window.menu.library().dialog
    qtbot.waitUntil(lambda: dialog.versions.count() == 2, timeout=5000)
    assert dialog.prompts.item(0).text() == "capital  ·  2 versions"
    dialog.versions.selectAll()
    dialog.diff_button.click()
    qtbot.waitUntil(lambda: "+Capital city of {{country}}?" in dialog.diff.toPlainText(), timeout=5000)
    assert "-Capital of {{country}}?" in dialog.diff.toPlainText()
    dialog.search.setText("nothing like it")
    qtbot.waitUntil(lambda: dialog.prompts.count() == 0, timeout=5000)
    dialog.search.setText("precise")
    qtbot.waitUntil(lambda: dialog.versions.count() == 2, timeout=5000)
    dialog.versions.clearSelection()
    dialog.versions.item(1).setSelected(True)  # v1
    dialog.open_button.click()
    assert window.editor.messages.first_editor().toPlainText() == "Capital of {{country}}?"
    assert window.params.values()["temperature"] == 0.3

    # run v1 as opened: linked; then edit and run: not linked
    result = run_and_wait(qtbot, window)
    assert result.call_id is not None
    view = history_detail(qtbot, window, core, 1)
    qtbot.waitUntil(lambda: "From prompt capital v1" in view.detail.toPlainText(), timeout=5000)

    window.new_conversation()
    window.editor.messages.first_editor().setPlainText("Capital of {{country}}? One word.")
    run_and_wait(qtbot, window)
    view = history_detail(qtbot, window, core, 2)
    edited, linked = view.model_.row(0), view.model_.row(1)
    store = PromptStore(core.storage)
    assert off_gui(lambda: store.link_of(edited.uid)) is None
    assert off_gui(lambda: store.link_of(linked.uid)).label == "From prompt capital v1"
    assert "From prompt" not in view.detail.toPlainText()


def test_export_import_a_bad_file_and_delete_from_the_dialog(qtbot, window, core, tmp_path):
    type_prompt(qtbot, window, "A haiku about {{topic}}")
    save_as(qtbot, window, "haiku", "first")
    window.menu.library_action.trigger()
    dialog = window.menu.library().dialog
    qtbot.waitUntil(lambda: dialog.versions.count() == 1, timeout=5000)
    path = tmp_path / "haiku.prompt.json"
    dialog.export_to(path)
    qtbot.waitUntil(
        lambda: dialog.status.text() == "Exported haiku (1 version) to haiku.prompt.json.", timeout=5000
    )
    dialog.import_from(path)
    qtbot.waitUntil(lambda: dialog.versions.count() == 2, timeout=5000)
    assert dialog.status.text() == "Imported haiku: added v2 (existing versions are kept)."

    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}')
    dialog.import_from(bad)
    qtbot.waitUntil(lambda: "not an LLM Playground prompt file" in dialog.status.text(), timeout=5000)
    assert dialog.versions.count() == 2

    dialog.delete_current()
    qtbot.waitUntil(lambda: dialog.prompts.count() == 0, timeout=5000)
    assert off_gui(lambda: PromptStore(core.storage).names()) == []
