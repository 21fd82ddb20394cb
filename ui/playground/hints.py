"""Empty states that say why a view is empty and what would fill it."""

from __future__ import annotations

import html
from typing import Any

from playground.llm.endpoints import Endpoint
from playground.llm.params import availability


def logprob_hint(endpoint: Endpoint | None, model: str, params: dict[str, Any], answered: bool) -> str:
    """Why the Probabilities view is empty for ``model``, and what to do (HTML, names escaped)."""
    if endpoint is None:
        return "Pick a model at the top first."
    name = html.escape(model)
    items = availability(endpoint.api, model, endpoint.official)
    item = next((a for a in items if a.spec.name == "logprobs"), None)
    if item is None or not item.enabled:
        why = f" ({html.escape(item.reason)})" if item is not None else ""
        return (
            f"<b>{name}</b> does not return token probabilities{why}. OpenAI chat models such as "
            "gpt-4o-mini, and many OpenAI-compatible servers, do: pick one at the top."
        )
    if not params.get("logprobs"):
        return (
            "Turn on <b>Log probabilities</b> in the Parameters panel (on the right), "
            f"then run again: <b>{name}</b> supports them."
        )
    if not answered:
        return "Run the prompt (Ctrl+Enter): each token of the answer is then shaded by how likely it was."
    return "The server sent no probabilities for this answer (some compatible servers ignore the option)."
