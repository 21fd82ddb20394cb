"""Admin API clients: each provider's daily costs and usage by model for a range of UTC days, page by page.

What these rely on (read 2026-12):
- OpenAI Costs `GET /v1/organization/costs` and Usage `GET /v1/organization/usage/completions`:
  https://platform.openai.com/docs/api-reference/usage (and developers.openai.com/api/reference/cli/
  resources/admin/subresources/organization/subresources/usage/methods/costs). Admin key as a Bearer
  token; `start_time`/`end_time` unix seconds (end exclusive), `bucket_width=1d`, `limit`, `page` =
  the previous `next_page`, `has_more`. Costs group by `line_item` ("gpt-4o-2024-08-06, input"), not by
  model; amounts are `{value, currency}` in dollars (a JSON number: read through str, never float
  maths). Usage groups by `model`: `input_tokens` (cached included), `input_cached_tokens`,
  `output_tokens`, `num_model_requests`. The openai SDK exposes both (`client.admin.organization.usage`),
  so it is used, with its retries (Retry-After honoured, bounded by ``max_retries``).
- Anthropic Usage & Cost Admin API, `GET /v1/organizations/usage_report/messages` and
  `GET /v1/organizations/cost_report`: https://docs.anthropic.com/en/api/usage-cost-api and
  https://platform.claude.com/docs/en/api/admin/cost_report. `x-api-key` (an `sk-ant-admin...` key),
  `anthropic-version: 2023-06-01`; `starting_at`/`ending_at` RFC 3339; `bucket_width=1d` (at most 31
  buckets a page); `page` = `next_page`, `has_more`. The cost report groups by `description` (which
  fills `model`), not by model; its `amount` is a decimal string in cents ("123.45" = $1.2345). Usage
  groups by `group_by[]=model`: `uncached_input_tokens`, `cache_read_input_tokens`,
  `cache_creation.{ephemeral_5m,ephemeral_1h}_input_tokens`, `output_tokens`. The anthropic SDK has no
  such calls, so they go over HTTP (httpx, which the SDK brings) with our own bounded Retry-After.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, ClassVar, Protocol

from playground.bills.model import BilledCost, BilledUsage, BillsError, Cancelled, Kind, Page, Provider

TIMEOUT_S = 30.0
RETRIES = 3  # 429 and 5xx: tries after the first
MAX_WAIT_S = 30.0  # the longest Retry-After we honour before giving up
PAGE_DAYS = 31
ANTHROPIC_VERSION = "2023-06-01"


class AdminClient(Protocol):
    provider: Provider

    def pages(self, kind: Kind, first: date, end: date) -> Iterator[Page]:
        """Pages of daily buckets for the UTC days [first, end)."""
        ...


def not_admin(provider: Provider, status: int) -> BillsError:
    where = (
        "platform.openai.com ▸ Settings ▸ Admin keys"
        if provider is Provider.OPENAI
        else "console.anthropic.com ▸ Settings ▸ Admin keys (it starts with sk-ant-admin)"
    )
    return BillsError(
        f"{provider.label} refused the key ({status}): this is not an admin key, or it lacks usage "
        f"access. Create an admin key at {where} and save it as '{provider.key_name}'."
    )


def rate_limited(provider: Provider) -> BillsError:
    return BillsError(
        f"{provider.label} is still rate-limiting the import after {RETRIES + 1} tries; "
        "try again in a minute (what was fetched is kept and the import resumes)."
    )


def network(provider: Provider, why: str) -> BillsError:
    return BillsError(
        f"Could not reach {provider.label} ({why}). "
        "Check the connection; the import resumes where it stopped."
    )


def _next_page(provider: Provider, body: dict[str, Any], seen: set[str], limit: int) -> str | None:
    """The cursor of the next page, None at the end. Every page holds at least one day, so a server
    that repeats a cursor or pages past the range's days would loop forever: that is an error."""
    page = body.get("next_page")
    if not body.get("has_more") or not page:
        return None
    if str(page) in seen or len(seen) >= limit:
        raise BillsError(
            f"{provider.label} kept saying there is more after {len(seen) + 1} pages; the import stopped "
            "(what was fetched is kept)."
        )
    seen.add(str(page))
    return str(page)


def _read(provider: Provider, parse: Any, kind: Kind, body: Any) -> Page:
    """A page through ``parse``; a body without the documented fields is a clear error, not a bug."""
    try:
        page: Page = parse(kind, body)
    except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError) as exc:
        raise BillsError(
            f"{provider.label} sent a bill this app cannot read ({type(exc).__name__}: {exc}); "
            "is the base URL an admin API?"
        ) from None
    return page


def _utc_day(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).date().isoformat()


def _unix(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def _line_item_model(line_item: str | None) -> str:
    """'gpt-4o-2024-08-06, input' → 'gpt-4o-2024-08-06'; costs with no line item are '(other)'."""
    if not line_item:
        return "(other)"
    return line_item.rsplit(", ", 1)[0].strip() or "(other)"


def openai_page(kind: Kind, body: dict[str, Any]) -> Page:
    """One OpenAI page (costs or completions usage) as our rows."""
    days, costs, usage = [], [], []
    for bucket in body.get("data") or []:
        day = _utc_day(int(bucket["start_time"]))
        days.append(day)
        for r in bucket.get("results") or []:
            if kind is Kind.COSTS:
                amount = r.get("amount") or {}
                if str(amount.get("currency", "usd")).lower() != "usd":
                    raise BillsError(f"OpenAI billed in {amount.get('currency')}; only USD is supported.")
                costs.append(
                    BilledCost(day, _line_item_model(r.get("line_item")), Decimal(str(amount["value"])))
                )
            else:
                usage.append(
                    BilledUsage(
                        day,
                        r.get("model") or "(other)",
                        int(r.get("input_tokens") or 0),
                        int(r.get("input_cached_tokens") or 0),
                        int(r.get("output_tokens") or 0),
                        int(r.get("num_model_requests") or 0),
                    )
                )
    return Page(kind, tuple(days), tuple(costs), tuple(usage))


def anthropic_page(kind: Kind, body: dict[str, Any]) -> Page:
    """One Anthropic page (cost report or messages usage) as our rows; cents become dollars."""
    days, costs, usage = [], [], []
    for bucket in body.get("data") or []:
        day = (
            datetime.fromisoformat(bucket["starting_at"].replace("Z", "+00:00"))
            .astimezone(UTC)
            .date()
            .isoformat()
        )
        days.append(day)
        for r in bucket.get("results") or []:
            if kind is Kind.COSTS:
                if str(r.get("currency", "USD")).upper() != "USD":
                    raise BillsError(f"Anthropic billed in {r.get('currency')}; only USD is supported.")
                model = r.get("model") or r.get("description") or r.get("cost_type") or "(other)"
                costs.append(BilledCost(day, model, Decimal(str(r["amount"])) / 100))
            else:
                creation = r.get("cache_creation") or {}
                cached = int(r.get("cache_read_input_tokens") or 0)
                written = sum(int(v or 0) for v in creation.values())
                usage.append(
                    BilledUsage(
                        day,
                        r.get("model") or "(other)",
                        int(r.get("uncached_input_tokens") or 0) + cached + written,
                        cached,
                        int(r.get("output_tokens") or 0),
                        None,
                    )
                )
    return Page(kind, tuple(days), tuple(costs), tuple(usage))


class OpenAIAdmin:
    provider = Provider.OPENAI

    def __init__(self, key: str, base_url: str | None = None, timeout_s: float = TIMEOUT_S):
        import openai

        self._client = openai.OpenAI(
            admin_api_key=key, api_key="unused", base_url=base_url, timeout=timeout_s, max_retries=RETRIES
        )

    def pages(self, kind: Kind, first: date, end: date) -> Iterator[Page]:
        import openai

        usage = self._client.admin.organization.usage
        page: str | None = None
        seen: set[str] = set()
        while True:
            args: dict[str, Any] = {
                "start_time": _unix(first),
                "end_time": _unix(end),
                "bucket_width": "1d",
                "limit": PAGE_DAYS,
            }
            if page:
                args["page"] = page
            try:
                if kind is Kind.COSTS:
                    response: Any = usage.costs(group_by=["line_item"], **args)
                else:
                    response = usage.completions(group_by=["model"], **args)
            except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
                raise not_admin(self.provider, exc.status_code) from None
            except openai.RateLimitError:
                raise rate_limited(self.provider) from None
            except openai.APITimeoutError:
                raise network(self.provider, "timed out") from None
            except openai.APIConnectionError:
                raise network(self.provider, "no connection") from None
            except openai.APIStatusError as exc:
                raise BillsError(f"OpenAI answered {exc.status_code}: {exc.message}") from None
            except ValueError:
                raise BillsError("OpenAI sent an answer that is not JSON.") from None
            body = response.model_dump()
            yield _read(self.provider, openai_page, kind, body)
            page = _next_page(self.provider, body, seen, (end - first).days)
            if page is None:
                return


class AnthropicAdmin:
    provider = Provider.ANTHROPIC
    PATHS: ClassVar[dict[Kind, str]] = {
        Kind.COSTS: "/v1/organizations/cost_report",
        Kind.USAGE: "/v1/organizations/usage_report/messages",
    }

    def __init__(
        self,
        key: str,
        base_url: str | None = None,
        timeout_s: float = TIMEOUT_S,
        cancel: threading.Event | None = None,
    ):
        import httpx2 as httpx

        self._httpx = httpx
        self._client = httpx.Client(
            base_url=(base_url or "https://api.anthropic.com").rstrip("/"),
            headers={"x-api-key": key, "anthropic-version": ANTHROPIC_VERSION},
            timeout=timeout_s,
        )
        self._cancel = cancel or threading.Event()

    def pages(self, kind: Kind, first: date, end: date) -> Iterator[Page]:
        page: str | None = None
        seen: set[str] = set()
        while True:
            params: list[tuple[str, str | int | float | bool | None]] = [
                ("starting_at", f"{first.isoformat()}T00:00:00Z"),
                ("ending_at", f"{end.isoformat()}T00:00:00Z"),
                ("bucket_width", "1d"),
                ("limit", str(PAGE_DAYS)),
                ("group_by[]", "description" if kind is Kind.COSTS else "model"),
            ]
            if page:
                params.append(("page", page))
            body = self._get(self.PATHS[kind], params)
            yield _read(self.provider, anthropic_page, kind, body)
            page = _next_page(self.provider, body, seen, (end - first).days)
            if page is None:
                return

    def _get(self, path: str, params: list[tuple[str, str | int | float | bool | None]]) -> dict[str, Any]:
        for attempt in range(RETRIES + 1):
            try:
                response = self._client.get(path, params=params)
            except self._httpx.TimeoutException:
                raise network(self.provider, "timed out") from None
            except self._httpx.TransportError:
                raise network(self.provider, "no connection") from None
            status = response.status_code
            if status in (401, 403):
                raise not_admin(self.provider, status)
            if status == 429 or status >= 500:
                wait = _retry_after(response.headers.get("retry-after"), attempt)
                if attempt == RETRIES or wait > MAX_WAIT_S:
                    raise (
                        rate_limited(self.provider)
                        if status == 429
                        else BillsError(f"Anthropic answered {status} {RETRIES + 1} times; try again later.")
                    )
                if self._cancel.wait(wait):
                    raise Cancelled()
                continue
            if status != 200:
                raise BillsError(f"Anthropic answered {status}: {_message(response)}")
            try:
                data: dict[str, Any] = response.json()
            except ValueError:
                raise BillsError("Anthropic sent an answer that is not JSON.") from None
            return data
        raise AssertionError("unreachable")

    def close(self) -> None:
        self._client.close()


def _retry_after(header: str | None, attempt: int) -> float:
    try:
        return max(0.0, float(header)) if header is not None else 0.5 * 2.0**attempt
    except ValueError:
        return 0.5 * 2.0**attempt


def _message(response: Any) -> str:
    try:
        message: object = response.json()["error"]["message"]
        return str(message)
    except (ValueError, KeyError, TypeError):
        text: str = response.text
        return text[:200]


def make_client(
    provider: Provider, key: str, base_url: str | None = None, cancel: threading.Event | None = None
) -> AdminClient:
    if provider is Provider.OPENAI:
        return OpenAIAdmin(key, base_url)
    return AnthropicAdmin(key, base_url, cancel=cancel)
