"""OpenAI's organization Costs and Usage (completions) endpoints on 127.0.0.1, as documented
(https://platform.openai.com/docs/api-reference/usage): Bearer admin key, unix-second ranges, daily
buckets, ``page``/``next_page``/``has_more``; costs by ``line_item`` ("model, input" / "model, output"),
amounts ``{value, currency}`` in dollars."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.servers.admin_base import AdminHandler, AdminServer, Fault, Line, utc_midnight


class OpenAIAdminHandler(AdminHandler):
    def do_GET(self) -> None:
        path, params = self.query()
        owner = self.owner
        if self.headers.get("Authorization") != f"Bearer {owner.admin_key}":
            self.send_fault(
                Fault(401, body={"error": {"message": "Invalid admin key", "type": "invalid_request_error"}})
            )
            return
        if (fault := owner.next_fault()) is not None:
            self.send_fault(fault)
            return
        if path not in ("/v1/organization/costs", "/v1/organization/usage/completions"):
            self.send_fault(Fault(404))
            return
        first = datetime.fromtimestamp(int(params["start_time"][0]), UTC).date()
        end = datetime.fromtimestamp(int(params["end_time"][0]), UTC).date()
        days, cursor = owner.window(first, end, (params.get("page") or [None])[0])
        costs = path.endswith("/costs")
        group_by = params.get("group_by", []) + params.get("group_by[]", [])  # the SDK sends group_by[]
        data = [self._bucket(day, costs, group_by) for day in days]
        owner.served()
        self.send_json(
            200, {"object": "page", "data": data, "has_more": cursor is not None, "next_page": cursor}
        )

    def _bucket(self, day: date, costs: bool, group_by: list[str]) -> dict:
        start = int(utc_midnight(day).timestamp())
        results = []
        for line in self.owner.lines_of(day):
            if costs:
                # Split in two line items, as OpenAI does; the halves sum back to the line's cost.
                half = line.cost / 2
                for part, value in (("input", half), ("output", line.cost - half)):
                    results.append(
                        {
                            "object": "organization.costs.result",
                            "amount": {"value": float(value), "currency": "usd"},
                            "line_item": f"{line.model}, {part}" if "line_item" in group_by else None,
                            "project_id": None,
                        }
                    )
            else:
                results.append(_usage(line, "model" in group_by))
        return {"object": "bucket", "start_time": start, "end_time": start + 86_400, "results": results}


def _usage(line: Line, by_model: bool) -> dict:
    return {
        "object": "organization.usage.completions.result",
        "input_tokens": line.input_tokens,
        "output_tokens": line.output_tokens,
        "input_cached_tokens": line.cached_tokens,
        "num_model_requests": line.requests,
        "model": line.model if by_model else None,
        "project_id": None,
        "user_id": None,
        "api_key_id": None,
        "batch": None,
    }


class OpenAIAdminServer(AdminServer):
    handler_class = OpenAIAdminHandler

    def __init__(
        self, lines: list[Line] | None = None, admin_key: str = "sk-admin-test-0123456789", page_days: int = 3
    ):
        super().__init__(admin_key, lines, page_days)

    @property
    def api_base(self) -> str:
        return f"{self.base_url}/v1"
