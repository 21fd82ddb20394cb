"""An Anthropic Messages server on 127.0.0.1, speaking the documented SSE event sequence."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from tests.servers import images
from tests.servers.base import Script, ScriptedHandler, ScriptedServer, split_pieces
from tests.servers.prompt_cache import PromptCache, TooManyBreakpoints
from tests.servers.schema_answers import NO_STRUCTURED_MODEL, answer_text
from tests.servers.tool_calls import anthropic_events, pieces_count, with_results

ERROR_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "billing_error": 402,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "overloaded_error": 529,
}


def input_token_rule(body: dict[str, Any]) -> int:
    """The server's own simple prompt count: words of system and messages, plus 5."""
    words = len(_content_text(body.get("system", "")).split())
    words += sum(len(_content_text(m.get("content")).split()) for m in body.get("messages", []))
    words += (
        sum(images.anthropic_images(m.get("content")) for m in body.get("messages", [])) * images.IMAGE_TOKENS
    )
    words += len(json.dumps(body["tools"]).split()) if body.get("tools") else 0  # definitions count too
    return words + 5


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    return " ".join(block.get("text", "") for block in content or [] if isinstance(block, dict))


class AnthropicHandler(ScriptedHandler):
    def do_GET(self) -> None:
        self.read_json()
        if self.path.split("?")[0].rstrip("/").endswith("/models"):
            if not self._authorized(self.owner.default):
                return
            data = [
                {"type": "model", "id": m, "display_name": m, "created_at": "2025-09-29T00:00:00Z"}
                for m in self.owner.models
            ]
            first = data[0]["id"] if data else None
            last = data[-1]["id"] if data else None
            self.send_json(200, {"data": data, "has_more": False, "first_id": first, "last_id": last})
            return
        self._error(404, "not_found_error", f"Unknown path {self.path}")

    def do_POST(self) -> None:
        body = self.read_json() or {}
        path = self.path.split("?")[0].rstrip("/")
        if path.endswith("/messages/count_tokens"):
            if self._authorized(self.owner.default):
                self.send_json(200, {"input_tokens": input_token_rule(body)})
            return
        if not path.endswith("/messages"):
            self._error(404, "not_found_error", f"Unknown path {self.path}")
            return
        script = self.owner.next_script(body.get("model"))
        if not self._authorized(script):
            return
        if not self.headers.get("anthropic-version"):
            self._error(400, "invalid_request_error", "anthropic-version header is required")
            return
        try:
            input_token_rule(body)
        except images.BadImage as exc:
            self._error(400, "invalid_request_error", str(exc))
            return
        if "max_tokens" not in body:
            self._error(400, "invalid_request_error", "max_tokens: Field required")
            return
        thinking = (body.get("thinking") or {}).get("type") == "enabled"
        if thinking and ("temperature" in body or "top_k" in body):
            self._error(
                400, "invalid_request_error", "temperature and top_k may not be set when thinking is enabled"
            )
            return
        if script.status != 200:
            self._error(
                script.status,
                script.error_type or "api_error",
                script.error_message or "Error",
                script.headers,
            )
            return
        refusal = _format_refusal(body, thinking)
        if refusal:
            self._error(400, "invalid_request_error", refusal)
            return
        try:
            script = with_results(body, _structured(body, self.owner.prompt_cache.anthropic(body, script)))
        except TooManyBreakpoints as exc:
            self._error(400, "invalid_request_error", str(exc))
            return
        if script.hang_up:
            self.drop_connection()
            return
        if body.get("stream"):
            self._stream(body, script, thinking)
        else:
            self._complete(body, script)

    def _authorized(self, script: Script) -> bool:
        expected = self.owner.api_key
        # The API documents x-api-key; the SDK may send the key as a bearer token instead.
        bearer = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
        given = self.headers.get("x-api-key") or bearer
        if expected is None or given == expected:
            return True
        message = f"invalid x-api-key: {given}" if script.echo_key else "invalid x-api-key"
        self._error(401, "authentication_error", message)
        return False

    def _error(self, status: int, err_type: str, message: str, headers: dict[str, str] | None = None) -> None:
        self.send_json(
            status,
            {"type": "error", "error": {"type": err_type, "message": message}, "request_id": "req_test"},
            headers,
        )

    def _pieces(self, body: dict[str, Any], script: Script) -> tuple[list[str], str, str | None]:
        pieces = script.pieces()
        stop_reason, stop_sequence = script.finish_reason or "end_turn", None
        if len(pieces) > body["max_tokens"]:
            pieces, stop_reason = pieces[: body["max_tokens"]], "max_tokens"
        for stop in body.get("stop_sequences") or []:
            text = "".join(pieces)
            if stop in text:
                pieces, stop_reason, stop_sequence = (
                    split_pieces(text[: text.index(stop)]),
                    "stop_sequence",
                    stop,
                )
        return pieces, stop_reason, stop_sequence

    def _usage(self, body: dict[str, Any], script: Script) -> dict[str, Any]:
        total = script.prompt_tokens if script.prompt_tokens is not None else input_token_rule(body)
        plain = max(total - script.cached_tokens - script.cache_write_tokens, 0)
        return {
            "input_tokens": plain,
            "cache_creation_input_tokens": script.cache_write_tokens,
            "cache_read_input_tokens": script.cached_tokens,
            "cache_creation": {
                "ephemeral_5m_input_tokens": script.cache_write_tokens - script.cache_write_1h_tokens,
                "ephemeral_1h_input_tokens": script.cache_write_1h_tokens,
            },
        }

    def _complete(self, body: dict[str, Any], script: Script) -> None:
        pieces, stop_reason, stop_sequence = self._pieces(body, script)
        usage = self._usage(body, script) | {"output_tokens": len(pieces)}
        self.send_json(
            200,
            {
                "id": "msg_test",
                "type": "message",
                "role": "assistant",
                "model": body["model"],
                "content": [_content_block(body, "".join(pieces))],
                "stop_reason": stop_reason,
                "stop_sequence": stop_sequence,
                "usage": usage,
            },
        )

    def _event(self, name: str, payload: dict[str, Any]) -> None:
        self.send_chunk(f"event: {name}\ndata: {json.dumps(payload)}\n\n")

    def _tool_calls(self, script: Script, index: int, thought: int) -> None:
        """The scripted calls as tool_use blocks, then stop_reason tool_use."""
        for name, payload in anthropic_events(script, index):
            self._event(name, payload)
            self.owner.count_chunk()
        delta = {"stop_reason": "tool_use", "stop_sequence": None}
        text = len(script.pieces()) if script.text != Script.text else 0
        usage = {"output_tokens": pieces_count(script) + text + thought}
        self._event("message_delta", {"type": "message_delta", "delta": delta, "usage": usage})
        self._event("message_stop", {"type": "message_stop"})
        self.end_stream()

    def _stream(self, body: dict[str, Any], script: Script, thinking: bool) -> None:
        pieces, stop_reason, stop_sequence = self._pieces(body, script)
        usage = self._usage(body, script)
        self.start_stream()
        self.pause(script.first_token_delay)
        self._event(
            "message_start",
            {
                "type": "message_start",
                "message": {
                    "id": "msg_test",
                    "type": "message",
                    "role": "assistant",
                    "model": body["model"],
                    "content": [],
                    "stop_reason": None,
                    "stop_sequence": None,
                    "usage": usage | {"output_tokens": 1},
                },
            },
        )
        index = 0
        thought = 0
        if thinking and script.reasoning:
            self._event(
                "content_block_start",
                {
                    "type": "content_block_start",
                    "index": 0,
                    "content_block": {"type": "thinking", "thinking": "", "signature": ""},
                },
            )
            for piece in split_pieces(script.reasoning):
                thought += 1
                self._event(
                    "content_block_delta",
                    {
                        "type": "content_block_delta",
                        "index": 0,
                        "delta": {"type": "thinking_delta", "thinking": piece},
                    },
                )
            self._event(
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": 0,
                    "delta": {"type": "signature_delta", "signature": "c2ln"},
                },
            )
            self._event("content_block_stop", {"type": "content_block_stop", "index": 0})
            index = 1
        if script.tool_calls:
            self._tool_calls(script, index, thought)
            return
        tool = _forced_tool(body)
        block = (
            {"type": "tool_use", "id": "toolu_test", "name": tool, "input": {}}
            if tool
            else {"type": "text", "text": ""}
        )
        self._event(
            "content_block_start", {"type": "content_block_start", "index": index, "content_block": block}
        )
        self._event("ping", {"type": "ping"})
        for i, piece in enumerate(pieces):
            if script.cut_after is not None and i == script.cut_after:
                self.drop_connection()
                return
            if script.malformed_after is not None and i == script.malformed_after:
                self.send_chunk('event: content_block_delta\ndata: {"type": "content_block_delta", "ind\n\n')
                self.end_stream()
                return
            if script.error_event_after is not None and i == script.error_event_after:
                self._event(
                    "error",
                    {"type": "error", "error": {"type": script.error_event_type, "message": "Overloaded"}},
                )
                self.end_stream()
                return
            wrong = 'event: content_block_delta\ndata: {"type": "content_block_delta", "delta": "text"}\n\n'
            if self.fault(script, i, wrong):
                return
            self._event(
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": index,
                    "delta": (
                        {"type": "input_json_delta", "partial_json": piece}
                        if tool
                        else {"type": "text_delta", "text": piece}
                    ),
                },
            )
            self.owner.count_chunk()
            self.pause(script.token_delay)
        self._event("content_block_stop", {"type": "content_block_stop", "index": index})
        final_usage = {"output_tokens": len(pieces) + thought}
        if thought:
            final_usage["output_tokens_details"] = {"thinking_tokens": thought}
        self._event(
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": stop_reason, "stop_sequence": stop_sequence},
                "usage": final_usage,
            },
        )
        self._event("message_stop", {"type": "message_stop"})
        self.end_stream()


def _content_block(body: dict[str, Any], text: str) -> dict[str, Any]:
    """A text block, or the forced tool's call with the answer as its input."""
    tool = _forced_tool(body)
    if tool:
        return {"type": "tool_use", "id": "toolu_test", "name": tool, "input": json.loads(text)}
    return {"type": "text", "text": text}


def _forced_tool(body: dict[str, Any]) -> str | None:
    choice = body.get("tool_choice") or {}
    return str(choice.get("name")) if choice.get("type") == "tool" else None


def _format_refusal(body: dict[str, Any], thinking: bool) -> str:
    """The API's 400 for structured output it cannot give."""
    fmt = ((body.get("output_config") or {}).get("format") or {}).get("type")
    if fmt == "json_schema" and body.get("model") == NO_STRUCTURED_MODEL:
        return f"output_config.format: structured outputs are not supported by {body['model']}"
    tool = _forced_tool(body)
    if tool and thinking:
        return "Thinking may not be enabled when tool_choice forces tool use."
    if tool and tool not in [t.get("name") for t in body.get("tools") or []]:
        return f"tool_choice: tool {tool!r} not found in tools"
    return ""


def _structured(body: dict[str, Any], script: Script) -> Script:
    """A JSON answer made from the schema (the native format's or the forced tool's), unless scripted."""
    fmt = (body.get("output_config") or {}).get("format") or {}
    tool = _forced_tool(body)
    if fmt.get("type") == "json_schema":
        return replace(script, text=answer_text(script, fmt.get("schema")))
    if tool:
        schema = next(t.get("input_schema") for t in body["tools"] if t.get("name") == tool)
        text = answer_text(script, schema)
        return replace(script, text=text, finish_reason=script.finish_reason or "tool_use")
    return script


class AnthropicTestServer(ScriptedServer):
    handler_class = AnthropicHandler

    def __init__(
        self,
        api_key: str | None = "sk-ant-test-key-0123456789",
        models: tuple[str, ...] = ("claude-sonnet-4-6", "claude-haiku-4-5"),
    ):
        super().__init__(api_key, models)
        self.prompt_cache = PromptCache()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"
