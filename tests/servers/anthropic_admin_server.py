"""Anthropic's Usage & Cost Admin API on 127.0.0.1, as documented (https://docs.anthropic.com/en/api/
usage-cost-api, https://platform.claude.com/docs/en/api/admin/cost_report): ``x-api-key`` admin key,
``anthropic-version``, RFC 3339 ranges, daily buckets, ``page``/``next_page``/``has_more``; the cost
report's amounts are decimal strings in cents, one result per model and token type."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from tests.servers.admin_base import AdminHandler, AdminServer, Fault, Line


def _rfc3339(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


class AnthropicAdminHandler(AdminHandler):
    def do_GET(self) -> None:
        path, params = self.query()
        owner = self.owner
        if self.headers.get("x-api-key") != owner.admin_key:
            body = {
                "type": "error",
                "error": {"type": "authentication_error", "message": "invalid x-api-key"},
            }
            self.send_fault(Fault(401, body=body))
            return
        if not self.headers.get("anthropic-version"):
            self.send_fault(
                Fault(
                    400,
                    body={
                        "type": "error",
                        "error": {
                            "type": "invalid_request_error",
                            "message": "anthropic-version header is required",
                        },
                    },
                )
            )
            return
        if (fault := owner.next_fault()) is not None:
            self.send_fault(fault)
            return
        if path not in ("/v1/organizations/cost_report", "/v1/organizations/usage_report/messages"):
            self.send_fault(Fault(404))
            return
        first = datetime.fromisoformat(params["starting_at"][0].replace("Z", "+00:00")).date()
        end = datetime.fromisoformat(params["ending_at"][0].replace("Z", "+00:00")).date()
        days, cursor = owner.window(first, end, (params.get("page") or [None])[0])
        cost = path.endswith("cost_report")
        group_by = params.get("group_by[]", [])
        data = [
            {
                "starting_at": _rfc3339(day),
                "ending_at": _rfc3339(day + timedelta(days=1)),
                "results": [
                    r
                    for line in owner.lines_of(day)
                    for r in (_costs(line, group_by) if cost else [_usage(line, group_by)])
                ],
            }
            for day in days
        ]
        owner.served()
        self.send_json(200, {"data": data, "has_more": cursor is not None, "next_page": cursor})


def _costs(line: Line, group_by: list[str]) -> list[dict]:
    """Two token-cost results (input and output) in cents; they sum back to the line's dollars."""
    cents = line.cost * 100
    half = cents / 2
    by_description = "description" in group_by
    return [
        {
            "currency": "USD",
            "amount": str(value),
            "workspace_id": None,
            "description": f"Claude, {token_type}" if by_description else None,
            "cost_type": "tokens" if by_description else None,
            "context_window": "0-200k" if by_description else None,
            "model": line.model if by_description else None,
            "service_tier": "standard" if by_description else None,
            "token_type": token_type if by_description else None,
        }
        for token_type, value in (("uncached_input_tokens", half), ("output_tokens", cents - half))
    ]


def _usage(line: Line, group_by: list[str]) -> dict:
    return {
        "uncached_input_tokens": line.input_tokens - line.cached_tokens,
        "cache_read_input_tokens": line.cached_tokens,
        "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0},
        "output_tokens": line.output_tokens,
        "server_tool_use": {"web_search_requests": 0},
        "model": line.model if "model" in group_by else None,
        "api_key_id": None,
        "workspace_id": None,
        "service_tier": None,
        "context_window": None,
    }


class AnthropicAdminServer(AdminServer):
    handler_class = AnthropicAdminHandler

    def __init__(
        self,
        lines: list[Line] | None = None,
        admin_key: str = "sk-ant-admin01-test-0123456789",
        page_days: int = 3,
    ):
        super().__init__(admin_key, lines, page_days)
