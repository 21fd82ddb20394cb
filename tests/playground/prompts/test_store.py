import json

import pytest

from playground.history.storage import Storage
from playground.llm.request import Message
from playground.prompts.diff import diff_text, diff_versions, same_prompt
from playground.prompts.store import PromptNotFound, PromptStore
from playground.prompts.transfer import BadPromptFile, export_prompt, import_prompt

SCHEMA = {"response_format": {"name": "city", "schema": {"type": "object"}}}


@pytest.fixture
def store(tmp_path):
    storage = Storage(tmp_path / "h.db")
    yield PromptStore(storage)
    storage.close()


def save(store, name, note, text, *, system="Be brief.", params=None, model="gpt-4o"):
    return store.save(
        name,
        note,
        system=system,
        messages=[Message("user", text)],
        params=params if params is not None else {"temperature": 0.2},
        endpoint="openai",
        model=model,
    )


def test_each_save_is_the_next_version_and_reopens_whole(store):
    v1 = save(store, "capital", "first", "Capital of {{country}}?")
    v2 = save(store, "capital", "with schema", "Capital of {{country}}? Answer JSON.", params=SCHEMA)
    other = save(store, "haiku", "", "A haiku about {{topic}}")
    assert (v1.version, v2.version, other.version) == (1, 2, 1)
    newest, oldest = store.versions("capital")
    assert newest.version == 2 and newest.note == "with schema"
    assert newest.params == SCHEMA and newest.messages[0].content.endswith("Answer JSON.")
    assert oldest.params == {"temperature": 0.2} and oldest.system == "Be brief."
    assert store.version(v1.id).label == "capital v1"
    assert store.names() == ["capital", "haiku"]


def test_a_nameless_save_is_refused(store):
    with pytest.raises(ValueError, match="name"):
        save(store, "  ", "", "x")
    assert store.names() == []


def test_search_finds_names_notes_and_text(store):
    save(store, "capital", "first", "Capital of {{country}}?")
    save(store, "haiku", "shorter lines", "A haiku about {{topic}}", system="You are a poet.")
    assert [s.name for s in store.search("")] == ["capital", "haiku"]
    assert [s.name for s in store.search("HAIKU")] == ["haiku"]
    assert [s.name for s in store.search("shorter")] == ["haiku"]
    assert [s.name for s in store.search("poet")] == ["haiku"]
    assert [s.name for s in store.search("{{country}}")] == ["capital"]
    assert store.search("nothing like this") == []
    (hit,) = store.search("capital")
    assert hit.versions == 1 and hit.latest_note == "first"


def test_diff_names_the_fields_that_changed(store):
    v1 = save(store, "capital", "", "Capital of {{country}}?")
    v2 = save(store, "capital", "", "Capital city of {{country}}?", params=SCHEMA, model="gpt-4o-mini")
    fields = [d.field for d in diff_versions(v1, v2)]
    assert fields == ["message 1 (user)", "params", "model"]
    text = diff_text(v1, v2)
    assert "-Capital of {{country}}?" in text and "+Capital city of {{country}}?" in text
    assert "+openai/gpt-4o-mini" in text and "response_format" in text
    assert diff_text(v1, v1) == "capital v1 and capital v1 are the same prompt."
    assert same_prompt(v1, store.version(v1.id)) and not same_prompt(v1, v2)


def test_export_import_round_trip_adds_versions_after_existing(store, tmp_path):
    save(store, "capital", "first", "Capital of {{country}}?")
    save(store, "capital", "schema", "Capital? JSON", params=SCHEMA)
    path = tmp_path / "capital.json"
    assert export_prompt(store, "capital", path) == 2
    store.delete("capital")
    with pytest.raises(PromptNotFound):
        store.versions("capital")
    imported = import_prompt(store, path)
    assert [v.version for v in imported] == [1, 2]
    v2, v1 = store.versions("capital")
    assert (v1.note, v2.note, v2.params) == ("first", "schema", SCHEMA)
    # into a name that exists: the file's versions come after, nothing overwritten
    import_prompt(store, path)
    assert [v.version for v in store.versions("capital")] == [4, 3, 2, 1]
    assert [v.note for v in store.versions("capital")] == ["schema", "first", "schema", "first"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json {", "not JSON"),
        (json.dumps({"hello": 1}), "not an LLM Playground prompt file"),
        (
            json.dumps({"format": "llm-playground-prompt", "format_version": 1, "name": "x", "versions": []}),
            "no versions",
        ),
        (
            json.dumps(
                {
                    "format": "llm-playground-prompt",
                    "format_version": 1,
                    "name": "x",
                    "versions": [
                        {"version": 1, "messages": []},
                        {"version": 2, "messages": [{"role": "bot"}]},
                    ],
                }
            ),
            "version 2 is damaged",
        ),
    ],
)
def test_a_bad_file_says_why_and_changes_nothing(store, tmp_path, content, message):
    save(store, "x", "", "keep me")
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(BadPromptFile, match=message):
        import_prompt(store, path)
    assert [v.messages[0].content for v in store.versions("x")] == ["keep me"]


def test_call_links_name_the_version_and_go_with_a_deleted_prompt(store):
    v1 = save(store, "capital", "", "Capital?")
    store.link_call("uid-1", v1.id)
    store._storage.writer.flush()
    link = store.link_of("uid-1")
    assert link is not None and link.label == "From prompt capital v1"
    assert store.link_of("uid-2") is None
    store.delete("capital")
    assert store.link_of("uid-1") is None
