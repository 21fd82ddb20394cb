"""An OpenAI Chat Completions server on 127.0.0.1, speaking the documented wire format (SSE included)."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from typing import Any

from tests.servers import images, openai_responses
from tests.servers.base import Script, ScriptedHandler, ScriptedServer
from tests.servers.prompt_cache import PromptCache
from tests.servers.schema_answers import NO_STRUCTURED_MODEL, answer_text
from tests.servers.tool_calls import openai_deltas, pieces_count, with_results


def prompt_token_rule(body: dict[str, Any]) -> int:
    """The server's own (deliberately simple) prompt count, so tests can tell reported from estimated."""
    words = 0
    for m in body.get("messages", []):
        text, count = images.openai_parts(m.get("content", ""))
        words += len(text.split()) + count * images.IMAGE_TOKENS
    words += len(json.dumps(body["tools"]).split()) if body.get("tools") else 0  # definitions count too
    return words + 7


# Valid JSON, but content is a number: a wrong-shaped chunk.
WRONG_SHAPE = 'data: {"id": "chatcmpl-test", "choices": [{"delta": {"content": 42}}]}\n\n'


class OpenAIHandler(ScriptedHandler):
    def do_GET(self) -> None:
        self.read_json()
        if self.path.rstrip("/").endswith("/models"):
            if not self._authorized(self.owner.default):
                return
            data = [
                {"id": m, "object": "model", "created": 1700000000, "owned_by": "test"}
                for m in self.owner.models
            ]
            self.send_json(200, {"object": "list", "data": data})
            return
        self.send_json(404, {"error": {"message": "Unknown path", "type": "invalid_request_error"}})

    def do_POST(self) -> None:
        body = self.read_json() or {}
        responses = self.path.rstrip("/").endswith("/responses")  # the Responses API (openai_responses)
        if not self.path.rstrip("/").endswith("/chat/completions") and not responses:
            self.send_json(
                404, {"error": {"message": f"Unknown path {self.path}", "type": "invalid_request_error"}}
            )
            return
        script = self.owner.next_script(body.get("model"))
        if not self._authorized(script):
            return
        if script.status != 200:
            self.send_json(
                script.status,
                {
                    "error": {
                        "message": script.error_message or "Error",
                        "type": script.error_type or "server_error",
                        "param": None,
                        "code": script.error_code,
                    }
                },
                script.headers,
            )
            return
        try:
            prompt_token_rule(body) if not responses else openai_responses.prompt_tokens(body)
        except images.BadImage as exc:
            self.send_json(
                400, {"error": {"message": str(exc), "type": "invalid_request_error", "param": None}}
            )
            return
        if responses:
            openai_responses.serve(self, body, script)
            return
        refusal = _format_refusal(body)
        if refusal:
            self.send_json(
                400,
                {"error": {"message": refusal, "type": "invalid_request_error", "param": "response_format"}},
            )
            return
        script = with_results(body, _structured(body, self.owner.prompt_cache.openai(body, script)))
        if script.hang_up:
            self.drop_connection()
            return
        if body.get("stream"):
            self._stream(body, script)
        else:
            self._complete(body, script)

    def _authorized(self, script: Script) -> bool:
        expected = self.owner.api_key
        given = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
        if expected is None or given == expected:
            return True
        shown = given if script.echo_key else (given[:3] + "*" * 8 + given[-4:] if len(given) > 8 else "***")
        self.send_json(
            401,
            {
                "error": {
                    "message": f"Incorrect API key provided: {shown}. You can find your API key at "
                    "https://platform.openai.com/account/api-keys.",
                    "type": "invalid_request_error",
                    "param": None,
                    "code": "invalid_api_key",
                }
            },
        )
        return False

    def _usage(self, body: dict[str, Any], script: Script, completion_tokens: int) -> dict[str, Any]:
        prompt = script.prompt_tokens if script.prompt_tokens is not None else prompt_token_rule(body)
        return {
            "prompt_tokens": prompt,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": script.cached_tokens, "audio_tokens": 0},
            "completion_tokens_details": {
                "reasoning_tokens": script.reasoning_tokens,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
        }

    def _pieces(self, body: dict[str, Any], script: Script) -> tuple[list[str], str]:
        pieces = script.pieces()
        limit = body.get("max_completion_tokens") or body.get("max_tokens")
        finish = script.finish_reason or "stop"
        if limit and len(pieces) > limit:
            pieces, finish = pieces[:limit], "length"
        for stop in _as_list(body.get("stop")):
            text = "".join(pieces)
            if stop in text:
                pieces = [p for p in _split_keep(text[: text.index(stop)])]
                finish = "stop"
        return pieces, finish

    def _complete(self, body: dict[str, Any], script: Script) -> None:
        pieces, finish = self._pieces(body, script)
        self.send_json(
            200,
            {
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": "".join(pieces)},
                        "logprobs": None,
                        "finish_reason": finish,
                    }
                ],
                "usage": self._usage(body, script, len(pieces) + script.reasoning_tokens),
            },
        )

    def _stream(self, body: dict[str, Any], script: Script) -> None:
        pieces, finish = self._pieces(body, script)
        want_usage = bool((body.get("stream_options") or {}).get("include_usage")) and script.usage != "none"
        base = {
            "id": "chatcmpl-test",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": body.get("model"),
            "system_fingerprint": "fp_test",
        }

        def chunk(
            delta: dict[str, Any],
            finish_reason: str | None = None,
            logprobs: Any = None,
            usage: Any = None,
            choices: bool = True,
        ) -> str:
            payload = dict(base)
            payload["choices"] = (
                [{"index": 0, "delta": delta, "logprobs": logprobs, "finish_reason": finish_reason}]
                if choices
                else []
            )
            if want_usage:
                payload["usage"] = usage
            return f"data: {json.dumps(payload)}\n\n"

        self.start_stream()
        self.pause(script.first_token_delay)
        self.send_chunk(chunk({"role": "assistant", "content": "", "refusal": None}))
        for piece in _split_keep(script.reasoning):
            self.send_chunk(chunk({"reasoning_content": piece}))
        for delta in openai_deltas(script):
            self.send_chunk(chunk(delta))
        if script.tool_calls:
            pieces, finish = [], "tool_calls"
        for i, piece in enumerate(pieces):
            if script.cut_after is not None and i == script.cut_after:
                self.drop_connection()
                return
            if script.malformed_after is not None and i == script.malformed_after:
                self.send_chunk('data: {"id": "chatcmpl-test", "choices": [{"delta": {"content": "oops"\n\n')
                self.end_stream()
                return
            if self.fault(script, i, WRONG_SHAPE):
                return
            logprobs = _logprobs(piece, body.get("top_logprobs") or 0) if body.get("logprobs") else None
            self.send_chunk(chunk({"content": piece}, logprobs=logprobs))
            self.owner.count_chunk()
            self.pause(script.token_delay)
        usage = self._usage(body, script, len(pieces) + script.reasoning_tokens + pieces_count(script))
        if script.usage == "with_last_choice" and want_usage:
            self.send_chunk(chunk({}, finish, usage=usage))
        else:
            self.send_chunk(chunk({}, finish))
            if want_usage:
                self.send_chunk(chunk({}, usage=usage, choices=False))
        self.send_chunk("data: [DONE]\n\n")
        self.end_stream()


def _format_refusal(body: dict[str, Any]) -> str:
    """OpenAI's 400 for a response_format it cannot honour (its documented messages)."""
    fmt = (body.get("response_format") or {}).get("type")
    if fmt == "json_object":
        said = " ".join(str(m.get("content", "")) for m in body.get("messages", []))
        if "json" not in said.lower():
            return (
                "'messages' must contain the word 'json' in some form, to use 'response_format' of type "
                "'json_object'."
            )
    if fmt == "json_schema" and body.get("model") == NO_STRUCTURED_MODEL:
        return "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model."
    return ""


def _structured(body: dict[str, Any], script: Script) -> Script:
    """The script with a JSON answer when the request asked for one (see schema_answers)."""
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return replace(script, text=answer_text(script, (fmt.get("json_schema") or {}).get("schema")))
    if fmt.get("type") == "json_object":
        return replace(script, text=answer_text(script, {"type": "object", "properties": {"answer": {}}}))
    return script


def _as_list(value: Any) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)


def _split_keep(text: str) -> list[str]:
    from tests.servers.base import split_pieces

    return split_pieces(text)


def _logprobs(piece: str, top: int) -> dict[str, Any]:
    # A deterministic, plausible probability per token: longer pieces are less likely.
    lp = -0.05 * len(piece)
    alternatives = [{"token": piece, "logprob": lp, "bytes": list(piece.encode())}]
    for k in range(1, top):
        alt = f"{piece.strip()}{k}"
        alternatives.append({"token": alt, "logprob": lp - 1.5 * k, "bytes": list(alt.encode())})
    return {
        "content": [
            {"token": piece, "logprob": lp, "bytes": list(piece.encode()), "top_logprobs": alternatives[:top]}
        ],
        "refusal": None,
    }


class OpenAITestServer(ScriptedServer):
    handler_class = OpenAIHandler

    def __init__(
        self,
        api_key: str | None = "sk-test-key-0123456789",
        models: tuple[str, ...] = ("gpt-4o-mini", "gpt-4o", "test-model"),
    ):
        super().__init__(api_key, models)
        self.prompt_cache = PromptCache()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"


__all__ = ["OpenAITestServer", "Script"]
