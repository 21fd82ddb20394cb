"""'View code': the exact request of the current setup as Python (official SDKs) and as curl."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from pprint import pformat
from typing import Any

from playground.keys import ENV_VARS
from playground.llm.endpoints import Endpoint
from playground.llm.request import Request

DEFAULT_URLS = {"openai": "https://api.openai.com/v1", "anthropic": "https://api.anthropic.com"}
DEFAULT_URLS["openai-responses"] = DEFAULT_URLS["openai"]
ANTHROPIC_VERSION = "2023-06-01"


@dataclass(frozen=True)
class GeneratedCode:
    python: str
    curl: str
    key_note: str


def generate(endpoint: Endpoint, request: Request) -> GeneratedCode:
    """'View code' for ``request``: its parameters checked as a run would (raises PlaygroundError)."""
    from playground.llm.params import prepare

    params = prepare(endpoint.api, request.model, endpoint.official, request.params).values
    env = key_env(endpoint)
    note = (
        f"The key is read from the environment variable {env}; it never appears in the code."
        if env
        else "This endpoint needs no key."
    )
    if any(m.images for m in request.messages):
        note += " Images are shown as placeholders: put each file's base64 there (base64 -w0 FILE)."
    return GeneratedCode(
        python_code(endpoint, request, params), curl_command(endpoint, request, params), note
    )


def body_for(endpoint: Endpoint, request: Request, params: dict[str, Any]) -> dict[str, Any]:
    """The body as sent, images as short placeholders (never their base64)."""
    from playground.llm.image_parts import placeholders

    body: dict[str, Any] = placeholders(_full_body(endpoint, request, params), request.messages)
    return body


def _full_body(endpoint: Endpoint, request: Request, params: dict[str, Any]) -> dict[str, Any]:
    if endpoint.api == "anthropic":
        from playground.llm.providers.anthropic_messages import request_body

        return request_body(request, params)
    if endpoint.api == "openai-responses":
        from playground.llm.providers.openai_responses import request_body as responses_body

        return responses_body(endpoint, request, params)
    from playground.llm.providers.openai_chat import request_body as openai_body

    return openai_body(endpoint, request, params)


def key_env(endpoint: Endpoint) -> str | None:
    """The environment variable the generated code reads the key from (None for keyless servers)."""
    if not endpoint.key_name:
        return None
    if endpoint.key_env:  # the same variable the app reads the key from
        return endpoint.key_env
    return ENV_VARS.get(endpoint.key_name, f"{endpoint.key_name.upper().replace('-', '_')}_API_KEY")


def python_code(endpoint: Endpoint, request: Request, params: dict[str, Any]) -> str:
    body = body_for(endpoint, request, params)
    env = key_env(endpoint)
    key_arg = f'os.environ["{env}"]' if env else '"not-needed"'
    if endpoint.api == "openai-responses":
        from playground.llm.codegen_responses import python_code as responses_python

        return responses_python(endpoint, body, key_arg, _kwargs)
    if endpoint.api == "anthropic":
        body.pop("stream", None)
        extra: dict[str, Any] = {k: body.pop(k) for k in ("temperature", "top_p", "top_k") if k in body}
        if extra:
            body["extra_body"] = extra  # the SDK takes sampling parameters through extra_body
        base = f",\n    base_url={endpoint.base_url!r}" if endpoint.base_url else ""
        return (
            "import os\n\nimport anthropic\n\n"
            f"client = anthropic.Anthropic(\n    api_key={key_arg}{base},\n)\n\n"
            f"with client.messages.stream(\n{_kwargs(body)}\n) as stream:\n"
            + (_TOOL_ANSWER if "tool_choice" in body else _TEXT_ANSWER)
            + "    print(stream.get_final_message().usage)\n"
        )
    extra = {"top_k": body.pop("top_k")} if "top_k" in body else {}
    if extra:
        body["extra_body"] = extra
    base = f",\n    base_url={endpoint.base_url!r}" if endpoint.base_url else ""
    return (
        "import os\n\nfrom openai import OpenAI\n\n"
        f"client = OpenAI(\n    api_key={key_arg}{base},\n)\n\n"
        f"stream = client.chat.completions.create(\n{_kwargs(body)}\n)\n"
        "for chunk in stream:\n"
        "    if chunk.choices and chunk.choices[0].delta.content:\n"
        '        print(chunk.choices[0].delta.content, end="", flush=True)\n'
        "    if chunk.usage:\n"
        "        print()\n"
        "        print(chunk.usage)\n"
    )


_TEXT_ANSWER = '    for text in stream.text_stream:\n        print(text, end="", flush=True)\n    print()\n'
# A forced tool (structured output on a Claude model without native support): its input is the answer.
_TOOL_ANSWER = (
    "    message = stream.get_final_message()\n"
    '    print(next(b.input for b in message.content if b.type == "tool_use"))\n'
)


def curl_command(endpoint: Endpoint, request: Request, params: dict[str, Any]) -> str:
    body = body_for(endpoint, request, params)
    env = key_env(endpoint)
    base = (endpoint.base_url or DEFAULT_URLS[endpoint.api]).rstrip("/")
    if endpoint.api == "anthropic":
        url = f"{base}/v1/messages" if not base.endswith("/v1") else f"{base}/messages"
        headers = [f"x-api-key: ${env}"] if env else []
        headers += [f"anthropic-version: {ANTHROPIC_VERSION}"]
    else:
        url = f"{base}/responses" if endpoint.api == "openai-responses" else f"{base}/chat/completions"
        headers = [f"Authorization: Bearer ${env}"] if env else []
    headers.append("Content-Type: application/json")
    lines = [f"curl -N {shlex.quote(url)}"]
    # Double quotes so the shell expands the key variable; the key itself never appears.
    lines += [f'  -H "{h}"' for h in headers]
    lines.append(f"  -d {shlex.quote(json.dumps(body, indent=2, ensure_ascii=False))}")
    return " \\\n".join(lines)


def _kwargs(body: dict[str, Any]) -> str:
    lines = []
    for key, value in body.items():
        text = pformat(value, width=88, sort_dicts=False)
        text = text.replace("\n", "\n    ")
        lines.append(f"    {key}={text},")
    return "\n".join(lines)
