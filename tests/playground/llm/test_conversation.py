"""The conversation tree and its JSON file: branches kept on edit, switching, round trip, bad files."""

import json
import re

import pytest

from playground.llm.conversation import (
    MAX_TURNS,
    Branches,
    Choice,
    ConversationFile,
    ConversationFileError,
    from_calls,
    read_file,
    write_file,
)
from playground.llm.request import Message


def U(text):
    return Message("user", text)


def A(text):
    return Message("assistant", text)


def branched() -> Branches:
    tree, end = Branches().commit([U("Capital of France?")])
    tree = tree.add(end, A("Paris."))
    tree, end = tree.commit([U("Capital of France?"), A("Paris."), U("Population?")])
    tree = tree.add(end, A("2.1 million."))
    tree, end = tree.commit([U("Second city?")])  # the first turn edited and run again
    return tree.add(end, A("Lyon."))


def test_an_edited_turn_starts_a_branch_and_the_old_turns_stay():
    tree = branched()
    assert tree.messages() == [U("Second city?"), A("Lyon.")]
    assert tree.choices([U("Second city?"), A("Lyon."), U("")]) == [Choice(1, 2), Choice(0, 1), None]
    back = tree.switch(tree.messages(), 0, -1)
    assert back.messages() == [U("Capital of France?"), A("Paris."), U("Population?"), A("2.1 million.")]
    assert back.switch(back.messages(), 0, -1) is None  # no version before the first
    assert back.switch(back.messages(), 0, 1).messages() == [U("Second city?"), A("Lyon.")]


def test_asking_again_adds_a_version_of_the_answer():
    tree, end = Branches().commit([U("Hi")])
    tree = tree.add(end, A("Hello!"))
    tree, again = tree.commit([U("Hi")])
    assert again == end
    tree = tree.add(again, A("Hi there!"))
    assert tree.choices(tree.messages()) == [Choice(0, 1), Choice(1, 2)]
    assert tree.switch(tree.messages(), 1, -1).messages() == [U("Hi"), A("Hello!")]


def test_history_calls_rebuild_the_tree_and_show_the_chosen_call():
    calls = [
        ([U("Capital of France?")], "Paris."),
        ([U("Capital of France?"), A("Paris."), U("Population?")], "2.1 million."),
        ([U("Second city?")], "Lyon."),
        ([U("Second city?"), A("Lyon."), U("Why?")], None),  # failed: no answer
    ]
    tree, ends = from_calls(calls)
    assert len(tree.turns) == 7
    assert tree.show(ends[1]).messages() == [
        U("Capital of France?"),
        A("Paris."),
        U("Population?"),
        A("2.1 million."),
    ]
    assert tree.show(ends[3]).messages() == [U("Second city?"), A("Lyon."), U("Why?")]


def saved() -> ConversationFile:
    return ConversationFile(
        branched().switch(branched().messages(), 0, -1),
        system="Be brief.",
        endpoint="local",
        api="openai",
        base_url="http://127.0.0.1:1234/v1",
        model="gpt-4o-mini",
        params={"temperature": 0.3, "max_tokens": 200},
        conversation_id="abc",
    )


def test_json_round_trip_keeps_turns_branches_model_and_parameters(tmp_path):
    path = tmp_path / "chat.json"
    write_file(path, saved())
    loaded = read_file(path)
    assert loaded == saved()
    assert loaded.branches.messages() == saved().branches.messages()
    assert loaded.branches.switch(loaded.branches.messages(), 0, 1).messages() == [
        U("Second city?"),
        A("Lyon."),
    ]
    data = json.loads(path.read_text())
    assert data["format"] == "llm-playground-conversation" and data["version"] == 1
    assert not list(tmp_path.glob("*.tmp"))


HEAD = '{"format": "llm-playground-conversation", "version": 1, '


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("{not json", "not JSON"),
        ('{"calls": []}', "not an LLM Playground conversation"),
        ('{"format": "llm-playground-conversation", "version": 99}', "newer version"),
        (
            HEAD + '"turns": [{"parent": 3, "role": "user", "content": "x"}]}',
            "Turn 1 follows",
        ),
        (
            HEAD + '"turns": [{"role": "system", "content": "x"}]}',
            "needs a role",
        ),
        (
            '{"format": "llm-playground-conversation", "version": 1, "turns": [], "shown": [4]}',
            "does not have",
        ),
        (
            '{"format": "llm-playground-conversation", "version": 1, "params": {"api_key": "sk-x"}}',
            "unknown parameter 'api_key'",
        ),
        (
            '{"format": "llm-playground-conversation", "version": 1, "params": {"temperature": 9}}',
            "temperature must be at most",
        ),
        ('{"format": "llm-playground-conversation", "version": 1, "turns": {}}', "'turns' must be list"),
    ],
)
def test_a_bad_file_says_what_is_wrong(tmp_path, text, says):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ConversationFileError, match=re.escape(says)):
        read_file(path)


def test_a_binary_or_missing_file_says_so(tmp_path):
    binary = tmp_path / "x.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ConversationFileError, match="not a text file"):
        read_file(binary)
    with pytest.raises(ConversationFileError, match=r"Could not read nope\.json"):
        read_file(tmp_path / "nope.json")


def test_the_file_never_holds_a_secret_hidden_in_the_base_url():
    leaky = ConversationFile(
        Branches(), endpoint="proxy", base_url="https://me:sk-secret@proxy.example/v1?key=sk-2"
    )
    text = leaky.to_json()
    assert "sk-secret" not in text and "sk-2" not in text
    assert json.loads(text)["endpoint"]["base_url"] == "https://proxy.example/v1"


def _chain(n: int) -> str:
    turns = [
        {"parent": i - 1 if i else None, "role": ("user", "assistant")[i % 2], "content": f"t{i}"}
        for i in range(n)
    ]
    return HEAD + json.dumps({"turns": turns, "shown": [n - 1]})[1:]


def test_a_long_conversation_opens_and_shows_quickly(tmp_path):
    import time

    path = tmp_path / "long.json"
    path.write_text(_chain(MAX_TURNS))
    started = time.monotonic()
    opened = read_file(path)
    shown = opened.branches.messages()
    assert len(shown) == MAX_TURNS and shown[-1].content == f"t{MAX_TURNS - 1}"
    assert opened.branches.choices(shown)[-1] == Choice(0, 1)
    again, last = opened.branches.commit([*shown, Message("user", "one more")])  # a run after opening
    assert last == MAX_TURNS and again.messages()[-1].content == "one more"
    assert time.monotonic() - started < 3.0  # was quadratic: 60,000 turns did not open in minutes


def test_a_file_with_too_many_turns_says_so(tmp_path):
    path = tmp_path / "huge.json"
    path.write_text(_chain(MAX_TURNS + 1))
    with pytest.raises(ConversationFileError, match=f"opens at most {MAX_TURNS:,}"):
        read_file(path)


def test_a_tool_loop_with_a_schema_and_tools_saves_and_opens_whole(tmp_path):
    from playground.llm.tools import ToolCall, ToolResult

    call = ToolCall("call_1", "get_weather", '{"city": "Paris"}')
    tree, end = Branches().commit([U("Weather in Paris?")])
    tree = tree.add(end, Message("assistant", "", tool_calls=(call,)))
    asked = [*tree.messages(), Message("user", "", tool_results=(ToolResult("call_1", "18 C, sunny"),))]
    tree, end = tree.commit(asked)
    tree = tree.add(end, A("It is 18 C and sunny."))
    tools = {
        "tools": [
            {
                "name": "get_weather",
                "description": "Weather now",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
            }
        ],
        "choice": "auto",
        "parallel": True,
    }
    output = {"mode": "json_schema", "schema": {"type": "object"}, "name": "answer", "strict": True}
    path = tmp_path / "loop.json"
    write_file(path, ConversationFile(tree, api="openai", params={"tools": tools, "output": output}))
    opened = read_file(path)
    assert opened.params == {"tools": tools, "output": output}
    shown = opened.branches.messages()
    assert [m.tool_calls[0].name for m in shown if m.tool_calls] == ["get_weather"]
    assert [m.tool_results[0].content for m in shown if m.tool_results] == ["18 C, sunny"]
    assert shown[-1].content == "It is 18 C and sunny."


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"output": {"mode": "json_schema", "schema": {"type": 5}}}, "not valid JSON Schema"),
        ({"tools": {"tools": [{"name": "bad name!"}]}}, "may hold only letters"),
        ({"output": {"mode": "yaml"}}, "output mode must be one of"),
    ],
)
def test_a_file_with_a_bad_schema_or_tool_says_what_is_wrong(tmp_path, params, says):
    path = tmp_path / "bad.json"
    path.write_text(HEAD + json.dumps({"params": params})[1:])
    with pytest.raises(ConversationFileError, match=re.escape(says)):
        read_file(path)


def test_a_conversation_file_keeps_its_images_whole(tmp_path):
    from playground.llm.images import read_image
    from tests.playground.llm.image_samples import png

    image = read_image(png(40, 30))
    tree, end = Branches().commit([Message("user", "What is this?", images=(image,))])
    tree = tree.add(end, A("A dark square."))
    path = tmp_path / "seen.json"
    write_file(path, ConversationFile(tree, api="openai"))
    opened = read_file(path).branches.messages()
    assert opened[0].images == (image,) and not opened[0].missing_images  # bytes in the file, not a reference
    assert opened[1].content == "A dark square."
