"""Links a Playground run to the library version it came from, on the run thread (a write)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playground.core import Core
    from playground.llm.request import Request
    from playground.llm.result import CallResult
    from playground.prompts.records import PromptVersion

log = logging.getLogger(__name__)


def link_to_library(core: Core, version: PromptVersion | None, request: Request, result: CallResult) -> None:
    """Record the link when the run recorded a call and the draft is still exactly ``version``."""
    if version is None or version.id is None or result.call_id is None:
        return
    from playground.prompts.diff import same_prompt
    from playground.prompts.records import PromptVersion as Version
    from playground.prompts.store import PromptStore

    if not same_prompt(version, Version.of_request(request)):
        return
    try:
        PromptStore(core.storage).link_call_id(result.call_id, version.id)
    except Exception:  # a lost link must not lose the run's result
        log.exception("could not link the call to its library version")
