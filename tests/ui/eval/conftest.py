"""The Evaluate page's fixtures: the suite's endpoints on the local test servers, and the page."""

from __future__ import annotations

import pytest

from playground.llm.endpoints import Endpoint
from tests.playground.eval.test_cli_eval import ANSWERS, CLAUDE
from ui.common.background import Background
from ui.eval.page import EvalPage


@pytest.fixture
def servers(core, openai_server, anthropic_server):
    """The suite's endpoints, keyless (the CLI's process, run for comparison, has no keyring)."""
    openai_server.api_key = anthropic_server.api_key = None
    openai_server.answer_per_model(ANSWERS)
    anthropic_server.answer_per_model({"claude-haiku-4-5": CLAUDE})
    for name, server, api in (
        ("local", openai_server, "openai"),
        ("localant", anthropic_server, "anthropic"),
    ):
        core.config.add_endpoint(Endpoint(name, api, server.base_url, price_as=api))
    return openai_server, anthropic_server


@pytest.fixture
def page(qtbot, core, tmp_path):
    background = Background()
    made = EvalPage(
        background, ask_path=lambda parent: None, ask_cases=lambda parent: tmp_path / "more.jsonl"
    )
    qtbot.addWidget(made)
    made.resize(1280, 760)
    made.show()
    made.set_core(core)
    yield made
    made.shutdown()
    background.shutdown()
