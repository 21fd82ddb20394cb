"""'View code' for the OpenAI Responses API style: the SDK's ``client.responses.create`` reading its
typed events (text, reasoning summary, function calls, the usage at the end). Beside codegen.py,
which picks it by the endpoint's API style and writes the curl command for every style."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playground.llm.endpoints import Endpoint

_EVENTS = (
    "for event in stream:\n"
    '    if event.type == "response.output_text.delta":\n'
    '        print(event.delta, end="", flush=True)\n'
)
_SUMMARY = (
    '    elif event.type == "response.reasoning_summary_text.delta":\n'
    '        print(event.delta, end="", flush=True)  # the reasoning summary\n'
)
_CALLS = (
    '    elif event.type == "response.output_item.done" and event.item.type == "function_call":\n'
    "        print(event.item.call_id, event.item.name, event.item.arguments)\n"
)
_USAGE = (
    '    elif event.type == "response.completed":\n        print()\n        print(event.response.usage)\n'
)


def python_code(
    endpoint: Endpoint, body: dict[str, Any], key_arg: str, kwargs: Callable[[dict[str, Any]], str]
) -> str:
    """The Python for ``body`` (already this API's body); ``kwargs`` lays out the arguments."""
    body = dict(body)
    if "top_k" in body:
        body["extra_body"] = {"top_k": body.pop("top_k")}  # not the SDK's; compatible servers take it
    base = f",\n    base_url={endpoint.base_url!r}" if endpoint.base_url else ""
    return (
        "import os\n\nfrom openai import OpenAI\n\n"
        f"client = OpenAI(\n    api_key={key_arg}{base},\n)\n\n"
        f"stream = client.responses.create(\n{kwargs(body)}\n)\n"
        + _EVENTS
        + (_SUMMARY if "reasoning" in body else "")
        + (_CALLS if "tools" in body else "")
        + _USAGE
    )
