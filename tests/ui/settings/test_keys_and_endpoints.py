"""Settings ▸ Keys and ▸ Endpoints in the window: where each key comes from, the endpoint form and
Test connection against the local test servers, and the no-keyring banner."""

import pytest
from PySide6.QtCore import Qt

from playground.keys import NO_KEYRING
from playground.llm.endpoints import Endpoint
from playground.llm.request import Request
from tests.ui.conftest import off_gui, type_prompt


def keys_page(qtbot, window):
    window.open_settings("keys")
    page = window.settings_dialog.keys
    qtbot.waitUntil(lambda: "anthropic-admin" in page._rows, timeout=5000)  # read in the background
    return page


def endpoints_page(qtbot, window, rows):
    window.open_settings("endpoints")
    page = window.settings_dialog.endpoints
    qtbot.waitUntil(lambda: page.table.rowCount() == rows, timeout=5000)
    return page


def cell(page, name, column):
    for row in range(page.table.rowCount()):
        if page.table.item(row, 0).text() == name:
            return page.table.item(row, column).text()
    raise AssertionError(f"no row {name}")


def test_each_key_shows_where_it_comes_from(qtbot, make_window, core, local_openai):
    core.keys._environ = {"ANTHROPIC_API_KEY": "sk-ant-from-the-shell-0001", "MY_KEY": "sk-mine-0000001"}
    off_gui(
        lambda: core.config.add_endpoint(
            Endpoint("mine", "openai", "http://x:9/v1", "mine", key_env="MY_KEY")
        )
    )
    core.keys.set("openai", "sk-saved-in-keyring-00001")
    window = make_window()
    page = keys_page(qtbot, window)
    assert page.source_text("openai").startswith("Source: keyring")
    assert page.source_text("anthropic").startswith("Source: environment variable ANTHROPIC_API_KEY")
    assert page.source_text("mine").startswith("Source: environment variable MY_KEY")
    assert page.source_text("local").startswith("Source: keyring")  # the fixture saved it
    admin = page.source_text("openai-admin")
    assert admin.startswith("Source: missing") and "OPENAI_ADMIN_KEY" in admin
    titles = [page.grid.itemAt(i).widget().text() for i in range(page.grid.count())]
    assert any("OpenAI admin key (for importing your bill)" in t for t in titles)
    assert "sk-saved" not in page.source_text("openai")
    ends = endpoints_page(qtbot, window, 4)
    assert cell(ends, "mine", 3) == "mine: environment variable MY_KEY"
    assert cell(ends, "openai", 3) == "openai: keyring"


def test_an_admin_key_saved_here_is_what_bills_read(qtbot, window, core):
    page = keys_page(qtbot, window)
    page.entry("openai-admin").setText("sk-admin-typed-here-0000001")
    qtbot.keyClick(page.entry("openai-admin"), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.source_text("openai-admin").startswith("Source: keyring"), timeout=5000)
    assert off_gui(lambda: core.keys.get("openai-admin")) == "sk-admin-typed-here-0000001"


def test_test_connection_detects_and_lists_both_kinds_of_server(
    qtbot, window, local_openai, anthropic_server
):
    page = endpoints_page(qtbot, window, 3)
    form = page.open_form(None)
    form.name.setText("mine")
    form.key_kind.setCurrentIndex(form.key_kind.findData("saved"))
    for server, api, count in ((local_openai, "openai", 3), (anthropic_server, "anthropic", 2)):
        form.api.setCurrentIndex(0)  # detect
        form.base_url.setText(server.base_url)
        form.key.setText(server.api_key)
        qtbot.mouseClick(form.test, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: form.test.isEnabled(), timeout=20_000)
        text = form.test_result.text()
        assert text.startswith("✓") and f"{count} models, answered in " in text and " ms" in text
        assert form.api.currentData() == api


def test_test_connection_says_plainly_what_is_wrong(qtbot, window, local_openai):
    import socket

    page = endpoints_page(qtbot, window, 3)
    form = page.open_form(None)
    form.name.setText("mine")
    form.base_url.setText(local_openai.base_url)
    form.key_kind.setCurrentIndex(form.key_kind.findData("saved"))
    form.key.setText("sk-wrong-key-0000000000000")
    qtbot.mouseClick(form.test, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.test.isEnabled(), timeout=20_000)
    assert form.test_result.text().startswith("✗ The server refused the key")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}/v1"
    form.base_url.setText(closed)
    qtbot.mouseClick(form.test, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.test.isEnabled(), timeout=20_000)
    assert form.test_result.text().startswith(f"✗ No server at {closed}")


def test_a_stopped_test_drops_its_answer(qtbot, window):
    import socket

    page = endpoints_page(qtbot, window, 3)
    form = page.open_form(None)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()  # never answers
        form.base_url.setText(f"http://127.0.0.1:{s.getsockname()[1]}/v1")
        qtbot.mouseClick(form.test, Qt.MouseButton.LeftButton)
        assert form.cancel_test.isVisible() and not form.test.isEnabled()
        qtbot.mouseClick(form.cancel_test, Qt.MouseButton.LeftButton)
        assert form.test.isEnabled() and form.test_result.text() == "Test stopped."
        qtbot.wait(300)
    assert form.test_result.text() == "Test stopped."


def test_the_form_saves_an_endpoint_whose_key_is_a_variable_and_runs_on_it(
    qtbot, window, core, openai_server
):
    core.keys._environ = {"MY_SERVER_KEY": openai_server.api_key}
    page = endpoints_page(qtbot, window, 3)
    form = page.open_form(None)
    form.name.setText("mine")
    form.base_url.setText(openai_server.base_url)
    form.api.setCurrentIndex(form.api.findData("openai"))
    form.key_kind.setCurrentIndex(form.key_kind.findData("env"))
    assert not form.key.isEnabled() and form.key_env.isEnabled()
    form.key_env.setText("MY_SERVER_KEY")
    qtbot.waitUntil(lambda: form.price.count() > 100, timeout=20_000)  # the price list, read behind
    form.price.setEditText("openai/gpt-4o-mini")
    form.buttons.button(form.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: page.table.rowCount() == 4, timeout=5000)
    saved = off_gui(lambda: core.config.endpoint("mine"))
    assert (saved.key_name, saved.key_env, saved.price_as) == ("mine", "MY_SERVER_KEY", "openai/gpt-4o-mini")
    assert cell(page, "mine", 3) == "mine: environment variable MY_SERVER_KEY"
    result = off_gui(lambda: core.runner.run(Request.single("mine", "gpt-4o-mini", "hi")))
    assert result.status == "ok"


def test_a_bad_form_is_explained_and_nothing_is_saved(qtbot, window, core):
    page = endpoints_page(qtbot, window, 3)
    form = page.open_form(None)
    form.name.setText("mine")
    form.base_url.setText("localhost:8080")
    form.buttons.button(form.buttons.StandardButton.Save).click()
    assert "http://" in form.message.text() and page.form is form
    form.base_url.setText("http://localhost:8080/v1")
    form.key_kind.setCurrentIndex(form.key_kind.findData("env"))
    form.buttons.button(form.buttons.StandardButton.Save).click()
    assert "environment variable" in form.message.text()
    assert [e.name for e in off_gui(core.config.endpoints)] == ["openai", "anthropic", "local"]


def test_a_taken_name_or_a_bad_url_is_refused_and_the_endpoint_in_use_kept(qtbot, window, core):
    """Add endpoint under "local" replaced the endpoint in use, silently ("Saved local."); a space in
    the host or port 99999 was saved, and a run then blamed the network."""
    before = off_gui(core.config.endpoints)
    page = endpoints_page(qtbot, window, 3)
    form = page.open_form(None)
    form.name.setText("local")
    form.base_url.setText("http://127.0.0.1:9/v1")
    save = form.buttons.button(form.buttons.StandardButton.Save)
    save.click()
    assert "An endpoint named 'local' exists already" in form.message.text() and page.form is form
    form.name.setText("other")
    for url, words in (("http://local host:8000/v1", "no spaces"), ("http://localhost:99999/v1", "port")):
        form.base_url.setText(url)
        save.click()
        assert "is not a valid URL" in form.message.text() and words in form.message.text()
    assert off_gui(core.config.endpoints) == before


@pytest.fixture
def keyringless_core(isolated_home, encodings, openai_server):
    """A core built as the app builds it on a machine whose keyring is keyring's fail backend."""
    import keyring
    from keyring.backends import fail

    from playground.core import build_core
    from tests.conftest import FAST_RETRY

    keyring.set_keyring(fail.Keyring())
    core = build_core(isolated_home, environ={}, retry=FAST_RETRY, timeout_s=5, encodings=encodings)
    core.config.add_endpoint(Endpoint("local", "openai", openai_server.base_url, "local", price_as="openai"))
    yield core
    core.close()


def test_without_a_keyring_the_banner_offers_both_ways_and_stays(qtbot, keyringless_core, openai_server):
    from PySide6.QtWidgets import QPushButton

    core = keyringless_core
    assert not core.keys.persistent and core.keys.problem == NO_KEYRING
    assert "for this session only" in NO_KEYRING and "OPENAI_API_KEY" in NO_KEYRING
    window = make_window_for(qtbot, core)
    try:
        banner = window.notices
        assert banner.texts() == [NO_KEYRING]
        qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Ready"), timeout=5000)
        offer = [b for b in banner.findChildren(QPushButton) if "session" in b.text()]
        assert len(offer) == 1
        offer[0].click()
        page = window.settings_dialog.keys
        assert window.settings_dialog.tabs.currentWidget() is page
        qtbot.waitUntil(lambda: "local" in page._rows, timeout=5000)
        page.entry("local").setText(openai_server.api_key)
        qtbot.keyClick(page.entry("local"), Qt.Key.Key_Return)
        qtbot.waitUntil(
            lambda: page.source_text("local").startswith("Source: this session only"), timeout=5000
        )
        window.settings_dialog.close()
        window.picker.select("local", "gpt-4o-mini")
        type_prompt(qtbot, window, "Hi")
        with qtbot.waitSignal(window.session.runFinished, timeout=10_000) as finished:
            window.run()  # the dialog had the focus: the action is called, not its shortcut
        assert finished.args[0].status == "ok"  # the session key works
        assert banner.isVisible() and banner.texts() == [NO_KEYRING]  # once, still there after a run
        banner.dismiss(NO_KEYRING)
        assert not banner.isVisible()
    finally:
        window.close()  # before the core closes


def make_window_for(qtbot, core):
    """A window on ``core`` (not the fixture's): the session attaches it as the loader would."""
    from ui.main_window import MainWindow
    from ui.playground.session import Session
    from ui.window_state import WindowState

    session = Session(local_probe=lambda: [])
    window = MainWindow(session, WindowState(core.home / "window.ini"))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(session.coreReady, timeout=10_000):
        session.attach(core)
    return window


def test_edit_opens_the_form_filled_in(qtbot, window, core):
    mine = Endpoint("mine", "anthropic", "http://localhost:9/v1", "mine", "openai/gpt-4o", key_env="MY_KEY")
    off_gui(lambda: core.config.add_endpoint(mine))
    page = endpoints_page(qtbot, window, 4)
    page.table.selectRow(next(r for r in range(4) if page.table.item(r, 0).text() == "mine"))
    qtbot.mouseClick(page.edit, Qt.MouseButton.LeftButton)
    form = page.form
    assert form.name.text() == "mine" and form.name.isReadOnly()
    assert (form.api.currentData(), form.key_kind.currentData(), form.key_env.text()) == (
        "anthropic",
        "env",
        "MY_KEY",
    )
    assert form.draft().endpoint == mine
