"""Shared parts of the two admin-API test servers: a known bill per UTC day and model, a key check,
pagination by ``next_page`` with a small page size, and scripted faults (status + headers)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.servers.base import JsonHandler, LocalServer


@dataclass(frozen=True)
class Line:
    """What the server bills for one day and model."""

    day: str
    model: str
    cost: Decimal  # USD
    input_tokens: int = 0
    cached_tokens: int = 0
    output_tokens: int = 0
    requests: int = 0


@dataclass
class Fault:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None


class AdminServer(LocalServer):
    def __init__(self, admin_key: str, lines: list[Line] | None = None, page_days: int = 3):
        self.admin_key = admin_key
        self.lines = list(lines or [])
        self.page_days = page_days
        self.faults: list[Fault] = []
        # After this many good pages the server is "down" (500 to everything) until this is set to None.
        self.fail_after_pages: int | None = None
        self.requests: list[tuple[str, dict[str, list[str]], dict[str, str]]] = []
        self.pages_served = 0
        # When set, pages after the first wait for it (10 s at most): a test can act between pages.
        self.hold_after_first: threading.Event | None = None
        super().__init__()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def next_fault(self) -> Fault | None:
        hold = self.hold_after_first
        if hold is not None and self.pages_served >= 1:
            hold.wait(10)
        with self._lock:
            if self.faults:
                return self.faults.pop(0)
            if self.fail_after_pages is not None and self.pages_served >= self.fail_after_pages:
                body = {"error": {"type": "api_error", "message": "Internal error"}}
                return Fault(500, {"retry-after-ms": "5", "retry-after": "0"}, body)
            return None

    def served(self) -> None:
        with self._lock:
            self.pages_served += 1

    def window(self, first: date, end: date, page: str | None) -> tuple[list[date], str | None]:
        """The days of one page: from the cursor (a day) or ``first``, at most ``page_days`` of them."""
        start = date.fromisoformat(page) if page else first
        days = [start + timedelta(days=i) for i in range(self.page_days) if start + timedelta(days=i) < end]
        after = start + timedelta(days=self.page_days)
        return days, (after.isoformat() if after < end else None)

    def lines_of(self, day: date) -> list[Line]:
        return [line for line in self.lines if line.day == day.isoformat()]


class AdminHandler(JsonHandler):
    protocol_version = "HTTP/1.1"

    @property
    def owner(self) -> AdminServer:
        return self.server.owner  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def query(self) -> tuple[str, dict[str, list[str]]]:
        parts = urlsplit(self.path)
        params = parse_qs(parts.query)
        self.owner.requests.append((parts.path, params, dict(self.headers.items())))
        return parts.path, params

    def send_fault(self, fault: Fault) -> None:
        body = fault.body or {"error": {"type": "error", "message": f"status {fault.status}"}}
        self.send_json(fault.status, body, fault.headers)


def utc_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
