"""promptfoo configurations: the subset runs, the rest is listed precisely and nothing is sent."""

import json
from pathlib import Path

from playground.eval.checks import Kind
from playground.eval.suite import load
from tests.playground.cli.cli_proc import cli

FOLDER = Path(__file__).resolve().parents[2] / "data" / "eval" / "promptfoo"


def test_the_guide_example_lists_what_is_not_supported():
    loaded = load(FOLDER / "guide.yaml")
    assert loaded.unsupported == (
        "provider 'vertex:gemini-2.0-flash-exp': give it an endpoint with --map vertex=ENDPOINT",
        "test 1: assertion type 'contains-json'",
    )
    suite = loaded.suite
    assert [p.messages[0].content for p in suite.prompts] == [
        "Convert this English to {{language}}: {{input}}\n",
        "Translate to {{language}}: {{input}}\n",
    ]
    assert [(t.endpoint, t.model) for t in suite.targets] == [("openai", "gpt-5-mini")]
    assert [dict(c.vars) for c in suite.cases][1] == {"language": "German", "input": "How's it going?"}


def test_the_guide_example_with_a_mapped_provider_still_names_the_assertion():
    loaded = load(FOLDER / "guide.yaml", {"vertex": "local"})
    assert loaded.unsupported == ("test 1: assertion type 'contains-json'",)
    assert [(t.endpoint, t.model) for t in loaded.suite.targets][1] == ("local", "gemini-2.0-flash-exp")


def test_the_subset_maps_to_our_suite():
    loaded = load(FOLDER / "translate.yaml", {"openai": "local"})
    assert loaded.unsupported == ()
    assert loaded.ignored == ("top-level outputPath", "evaluateOptions.maxConcurrency")
    suite = loaded.suite
    assert suite.name == "Translations" and suite.repeats == 2
    chat = suite.prompts[1]
    assert chat.system == "You translate into {{language}}." and chat.messages[0].content == "{{text}}"
    assert [(t.endpoint, t.model, t.params) for t in suite.targets] == [
        ("local", "gpt-4o-mini", {}),
        ("local", "gpt-4o", {"temperature": 0, "max_tokens": 64}),
    ]
    assert [k.kind for k in suite.checks] == [Kind.DURATION_MS, Kind.COST_USD]
    first, _, spanish, structured = suite.cases
    assert first.name == "French greeting"
    assert [(k.kind, k.value, k.ignore_case) for k in first.checks] == [
        (Kind.CONTAINS, "bonjour", True),
        (Kind.NOT_CONTAINS, "Sorry", False),
    ]
    assert spanish.name == "Spanish thanks" and dict(spanish.vars) == {
        "language": "Spanish",
        "text": "Thank you",
    }
    assert [(k.kind, k.value) for k in spanish.checks] == [(Kind.CONTAINS, "gracias")]
    assert [k.kind for k in structured.checks] == [Kind.IS_JSON]


def test_unsupported_assertions_fields_and_keys_are_each_named(tmp_path):
    (tmp_path / "c.yaml").write_text(
        "prompts: ['Say {{ word | upper }}']\n"
        "providers: [{id: 'openai:gpt-4o', config: {apiBaseUrl: 'http://x'}}, 'bedrock:titan']\n"
        "scenarios: []\n"
        "tests:\n"
        "  - vars: {word: [a, b]}\n"
        "    options: {transform: 'output.trim()'}\n"
        "    assert:\n"
        "      - {type: similar, value: polite}\n"
        "      - {type: contains, value: A, weight: 3}\n"
        "      - {type: equals, value: {a: 1}}\n"
    )
    assert load(tmp_path / "c.yaml").unsupported == (
        "top-level scenarios",
        "prompt 'prompt 1': Nunjucks tags or filters ({% %}, {{ x | f }})",
        "provider 'openai:gpt-4o': config apiBaseUrl",
        "provider 'bedrock:titan': give it an endpoint with --map bedrock=ENDPOINT",
        "test 1: field(s) options",
        "test 1: var word holds a list or table (promptfoo expands those into many tests)",
        "test 1: assertion type 'similar'",
        "test 1: assertion contains: field(s) weight",
        "test 1: equals with a JSON value",
    )


def test_a_promptfoo_suite_runs_from_the_cli(openai_server):
    openai_server.api_key = None
    openai_server.answer_per_model(
        {"gpt-4o-mini": "Bonjour le monde! Guten Morgen. Gracias.", "gpt-4o": '{"text": "Bonjour"}'}
    )
    added = cli("endpoints", "add", "local", "--base-url", openai_server.base_url, "--price-as", "openai")
    assert added.returncode == 0, added.stderr
    out = cli("eval", str(FOLDER / "translate.yaml"), "--map", "openai=local", "--json")
    assert out.returncode == 0, out.stderr
    assert "ignored (does not change the results): top-level outputPath" in out.stderr
    data = json.loads(out.stdout)
    # columns: each prompt x each provider; 4 cases x 2 repeats each
    assert [(c["passed"], c["cells"]) for c in data["columns"]] == [(6, 8), (4, 8), (6, 8), (4, 8)]
    assert len(openai_server.received) == 32
    chat_call = next(r.body for r in openai_server.received if r.body["messages"][0]["role"] == "system")
    assert chat_call["messages"][0]["content"].startswith("You translate into ")


def test_an_unsupported_suite_exits_2_listing_everything_and_sends_nothing(openai_server):
    out = cli("eval", str(FOLDER / "guide.yaml"))
    assert out.returncode == 2
    assert "not supported: test 1: assertion type 'contains-json'" in out.stderr
    assert "not supported: provider 'vertex:gemini-2.0-flash-exp'" in out.stderr
    assert "nothing was sent" in out.stderr.splitlines()[-1]
    assert "Traceback" not in out.stderr


TOOLS_CONFIG = """
prompts: ["What is the weather in {{city}}?"]
providers:
  - id: openai:chat:gpt-4o-mini
    config:
      tools:
        - type: function
          function:
            name: get_current_weather
            description: Get the current weather in a given location
            parameters:
              type: object
              properties:
                location: {type: string}
              required: [location]
tests:
  - vars: {city: Boston}
    assert:
      - type: is-valid-openai-tools-call
"""


def test_provider_tools_and_the_tool_call_assertion_map_to_our_suite(tmp_path):
    (tmp_path / "tools.yaml").write_text(TOOLS_CONFIG)
    loaded = load(tmp_path / "tools.yaml", {"openai": "local"})
    assert loaded.unsupported == ()
    (target,) = loaded.suite.targets
    assert [t["name"] for t in target.params["tools"]["tools"]] == ["get_current_weather"]
    (case,) = loaded.suite.cases
    assert [c.kind for c in case.checks] == [Kind.CALLED_TOOL]


def test_a_bad_tool_definition_is_listed_and_the_suite_does_not_run(tmp_path):
    (tmp_path / "tools.yaml").write_text(TOOLS_CONFIG.replace("type: object", "type: nonsense"))
    loaded = load(tmp_path / "tools.yaml", {"openai": "local"})
    assert len(loaded.unsupported) == 1
    where = "provider 'openai:chat:gpt-4o-mini': tools: Tool get_current_weather"
    assert loaded.unsupported[0].startswith(where)


def test_llm_rubric_is_graded_by_the_default_test_provider(tmp_path):
    (tmp_path / "rubric.yaml").write_text(
        "prompts: ['Write a haiku about {{topic}}']\n"
        "providers: [openai:gpt-4o-mini]\n"
        "defaultTest:\n  options:\n    provider: openai:gpt-4o\n"
        "tests:\n  - vars: {topic: rain}\n    assert:\n"
        "      - type: llm-rubric\n        value: is a haiku about rain\n"
    )
    loaded = load(tmp_path / "rubric.yaml", {"openai": "local"})
    assert loaded.unsupported == ()
    assert (loaded.suite.grader.endpoint, loaded.suite.grader.model) == ("local", "gpt-4o")
    (case,) = loaded.suite.cases
    assert [(c.kind, c.value) for c in case.checks] == [(Kind.RUBRIC, "is a haiku about rain")]
